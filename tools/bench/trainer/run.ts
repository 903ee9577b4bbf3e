// Policy throughput (issue 10 "Done when": rollout and update samples/s beside the backend's matrix-multiply
// rate measured in the same run, so efficiency is a ratio). One training step as trainer:drpo runs it:
// sample Q questions × n rollouts, reference log-probs of all of them, then U mini-batch updates.
//   npx tsx tools/bench/trainer/run.ts [--backend=wasm|cpu] [--questions=32] [--rollouts=5] [--updates=2] [--steps=5]
//     [--config='{"imageSize":64}'] (policy config overrides) [--json=FILE]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { loadCatalog } from '@qoq/catalog';
import { mulberry32 } from '@qoq/runtime';
import {
  AnswerVocabulary,
  createPolicy,
  ECG_LEADS,
  ECG_SAMPLES,
  initBackend,
  type Completion,
  type PolicyBackend,
  type PolicyQuestion,
  type PolicyUpdateBatch,
  validatePolicyConfig,
} from '@qoq/policy';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    questions: { type: 'string', default: '32' },
    rollouts: { type: 'string', default: '5' },
    updates: { type: 'string', default: '2' },
    steps: { type: 'string', default: '5' },
    config: { type: 'string', default: '{}' },
    json: { type: 'string' },
  },
});
const backend = values.backend as PolicyBackend;
const QUESTIONS = Number(values.questions);
const ROLLOUTS = Number(values.rollouts);
const UPDATES = Number(values.updates);
const STEPS = Number(values.steps);

const info = await initBackend(backend);
const catalog = loadCatalog();
const vocabulary = AnswerVocabulary.fromCatalog(catalog);
const config = validatePolicyConfig(JSON.parse(values.config));

/** Questions over every dataset of the catalog, with seeded noise images / ECGs. */
function benchQuestions(count: number, seed: number): PolicyQuestion[] {
  const random = mulberry32(seed);
  const datasets = catalog.datasets();
  return Array.from({ length: count }, (_, i) => {
    const dataset = datasets[i % datasets.length];
    const isImage = dataset.media_kind === 'image';
    return {
      id: `bench-${i}`,
      datasetKey: dataset.dataset_key,
      labelSet: dataset.label_set,
      image: isImage ? Float32Array.from({ length: config.imageSize * config.imageSize * 3 }, () => random()) : null,
      ecg: isImage ? null : Float32Array.from({ length: ECG_LEADS * ECG_SAMPLES }, () => random() - 0.5),
      imageWidth: isImage ? 512 : null,
      imageHeight: isImage ? 512 : null,
      boxTask: dataset.localization !== 'none',
      maxAnswerLabels: dataset.task_type === 'multi-label' ? undefined : 1,
    };
  });
}

/** Median of repeated timings of `f` (ms) on [rows, k] × [k, n] matrices, and the GFLOP/s it implies. */
function matMulRate(rows: number, k: number, n: number): { shape: string; gflops: number } {
  const a = tf.randomNormal([rows, k], 0, 1, 'float32', 1);
  const b = tf.randomNormal([k, n], 0, 1, 'float32', 2);
  const times: number[] = [];
  for (let i = 0; i < 30; i++) {
    const start = performance.now();
    const c = tf.matMul(a, b);
    c.dataSync();
    times.push(performance.now() - start);
    c.dispose();
  }
  a.dispose();
  b.dispose();
  const ms = median(times.slice(5));
  return { shape: `${rows}×${k}·${k}×${n}`, gflops: (2 * rows * k * n) / ms / 1e6 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** The shared dimension of a matMul from its operand and output shapes (either operand may be transposed). */
function innerDimension(a: number[], b: number[], out: number[]): number {
  const m = out[out.length - 2];
  const n = out[out.length - 1];
  const fromA = [a[a.length - 2] === m ? a[a.length - 1] : -1, a[a.length - 1] === m ? a[a.length - 2] : -1];
  const fromB = [b[b.length - 1] === n ? b[b.length - 2] : -1, b[b.length - 2] === n ? b[b.length - 1] : -1];
  const common = fromA.find((k) => k > 0 && fromB.includes(k));
  if (common === undefined) throw new Error(`cannot read a matMul of [${a}] and [${b}] into [${out}]`);
  return common;
}

/** Matrix-multiply FLOPs of `f`, from the shapes of the BatchMatMul kernels tf.profile records. */
async function matMulFlops(f: () => Promise<void>): Promise<{ flops: number; kernels: number }> {
  const profile = await tf.profile(f);
  let flops = 0;
  for (const kernel of profile.kernels) {
    if (kernel.name !== 'BatchMatMul') continue;
    const [a, b] = kernel.inputShapes as number[][];
    const out = kernel.outputShapes[0] as number[];
    flops += 2 * out.reduce((product, extent) => product * extent, 1) * innerDimension(a, b, out);
  }
  return { flops, kernels: profile.kernels.length };
}

const questions = benchQuestions(QUESTIONS, 1);
const policy = createPolicy(config, vocabulary, 1);
const random = mulberry32(2);
const options = { learningRate: 1e-3, weightDecay: 0.01, maxGradNorm: 1, clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3, klCoefficient: 1e-4 };
const questionIndex = Int32Array.from({ length: QUESTIONS * ROLLOUTS }, (_, r) => Math.floor(r / ROLLOUTS));

function miniBatches(completions: Completion[], refLogProbs: Float32Array[]): PolicyUpdateBatch[] {
  return Array.from({ length: UPDATES }, (_, u) => {
    const rows = completions.map((_, r) => r).filter((r) => questionIndex[r] % UPDATES === u);
    return {
      questions,
      completions: rows.map((r) => completions[r]),
      questionIndex: Int32Array.from(rows, (r) => questionIndex[r]),
      oldLogProbs: rows.map((r) => completions[r].logProbs),
      refLogProbs: rows.map((r) => refLogProbs[r]),
      advantages: Float64Array.from(rows, (r) => ((r * 7919) % 5) - 2),
    };
  });
}

// Warm-up step (first kernel calls, operator packing), then FLOP counts from one profiled step.
{
  const completions = await policy.sample(questions, ROLLOUTS, random);
  const ref = await policy.referenceLogProbs(questions, completions, questionIndex);
  for (const batch of miniBatches(completions, ref)) await policy.update(batch, options);
}
let profiled: Completion[] = [];
const rolloutCount = await matMulFlops(async () => void (profiled = await policy.sample(questions, ROLLOUTS, random)));
const referenceCount = await matMulFlops(async () => void await policy.referenceLogProbs(questions, profiled, questionIndex));
const updateCount = await matMulFlops(async () => void await policy.update(miniBatches(profiled, profiled.map((c) => c.logProbs))[0], options));

const times = { rollout: [] as number[], reference: [] as number[], update: [] as number[], step: [] as number[] };
let tokens = 0;
for (let s = 0; s < STEPS; s++) {
  const stepStart = performance.now();
  let start = performance.now();
  const completions = await policy.sample(questions, ROLLOUTS, random);
  times.rollout.push(performance.now() - start);
  tokens += completions.reduce((n, c) => n + c.tokens.length, 0);
  start = performance.now();
  const ref = await policy.referenceLogProbs(questions, completions, questionIndex);
  times.reference.push(performance.now() - start);
  for (const batch of miniBatches(completions, ref)) {
    start = performance.now();
    await policy.update(batch, options);
    times.update.push(performance.now() - start);
  }
  times.step.push(performance.now() - stepStart);
}
// The decoder's shapes (positions × hidden, hidden × vocabulary) and a square one.
const rates = [matMulRate(QUESTIONS * ROLLOUTS, config.hiddenWidth, config.hiddenWidth), matMulRate(QUESTIONS * ROLLOUTS, config.hiddenWidth, vocabulary.size), matMulRate(256, 256, 256)];
const peak = Math.max(...rates.map((r) => r.gflops));
policy.dispose();

const samples = QUESTIONS * ROLLOUTS;
const perUpdate = samples / UPDATES;
const rolloutMs = median(times.rollout);
const referenceMs = median(times.reference);
const updateMs = median(times.update);
const stepMs = median(times.step);
const achieved = (flops: number, ms: number): number => flops / ms / 1e6;
const result = {
  backend: info.backend,
  threads: info.threads,
  simd: info.simd,
  note: info.note,
  parameters: policy.parameterCount,
  config,
  questions: QUESTIONS,
  rollouts: ROLLOUTS,
  updatesPerStep: UPDATES,
  meanTokensPerAnswer: tokens / (STEPS * samples),
  rolloutSamplesPerSecond: samples / (rolloutMs / 1000),
  referenceSamplesPerSecond: samples / (referenceMs / 1000),
  updateSamplesPerSecond: perUpdate / (updateMs / 1000),
  stepMs,
  projected300StepsMinutes: (300 * stepMs) / 60_000,
  matMul: rates,
  kernelsPerRollout: rolloutCount.kernels,
  kernelsPerUpdate: updateCount.kernels,
  modelMatMulGflopsRollout: achieved(rolloutCount.flops, rolloutMs),
  modelMatMulGflopsReference: achieved(referenceCount.flops, referenceMs),
  modelMatMulGflopsUpdate: achieved(updateCount.flops, updateMs),
  efficiencyRollout: achieved(rolloutCount.flops, rolloutMs) / peak,
  efficiencyUpdate: achieved(updateCount.flops, updateMs) / peak,
};

const f1 = (x: number): string => x.toFixed(1);
console.log(`backend ${result.backend} (threads ${result.threads}, SIMD ${result.simd})${result.note ? ` — ${result.note}` : ''}; ${result.parameters} parameters; config ${JSON.stringify(config)}`);
console.log(`step: ${QUESTIONS} questions × ${ROLLOUTS} rollouts, ${UPDATES} mini-batch updates; ${f1(result.meanTokensPerAnswer)} tokens per answer; median of ${STEPS} steps`);
console.log(`  rollout    ${f1(result.rolloutSamplesPerSecond).padStart(8)} samples/s  (${f1(rolloutMs)} ms; ${rolloutCount.kernels} kernels; model matMul ${result.modelMatMulGflopsRollout.toFixed(2)} GFLOP/s)`);
console.log(`  reference  ${f1(result.referenceSamplesPerSecond).padStart(8)} samples/s  (${f1(referenceMs)} ms; model matMul ${result.modelMatMulGflopsReference.toFixed(2)} GFLOP/s)`);
console.log(`  update     ${f1(result.updateSamplesPerSecond).padStart(8)} samples/s  (${f1(updateMs)} ms per mini-batch of ${perUpdate}; ${updateCount.kernels} kernels; model matMul ${result.modelMatMulGflopsUpdate.toFixed(2)} GFLOP/s)`);
console.log(`  step       ${f1(stepMs)} ms → 300 steps ≈ ${result.projected300StepsMinutes.toFixed(1)} min (policy only: no corpus loading, rewards or advantages)`);
console.log(`backend matMul: ${rates.map((r) => `${r.shape} ${r.gflops.toFixed(2)} GFLOP/s`).join('; ')}`);
console.log(`efficiency (model matMul rate / best backend matMul rate): rollout ${(100 * result.efficiencyRollout).toFixed(1)} %, update ${(100 * result.efficiencyUpdate).toFixed(1)} %`);
if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
