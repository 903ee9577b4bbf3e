// The GPU check (issue 11), run on the GPU machine from the bundle that bundle.ts builds (or from the
// repository): 1. the adapter Dawn finds (vendor, device, driver); 2. teacher-forced parity of the
// candidate backend against WebAssembly on the sample corpus's questions (loss relative error ≤ 1e-4,
// gradient cosine ≥ 0.9999, identical advantages, per step); 3. training-step timings on both backends,
// for the default policy and a larger one where a GPU can pay off. Exit 0 when parity passes, 1 when it
// fails, 3 when the candidate backend is unavailable.
//   ./node run.mjs [--candidate=webgpu|cpu|auto] [--questions=DIR] [--steps=5] [--batch=32] [--rollouts=5]
//                  [--timing-steps=5] [--results=DIR]
// `--candidate=cpu` exercises the whole path on a machine without a GPU (what CI does with the bundle).
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  AnswerVocabulary,
  BACKEND_REQUESTS,
  PARITY_THRESHOLDS,
  checkBackendParity,
  describeBackend,
  formatAdapter,
  initBackend,
  probeWebGpu,
  timeTrainingSteps,
  validatePolicyConfig,
  type BackendRequest,
  type ParityOptions,
  type StepTiming,
} from '@qoq/policy';
import { readQuestionPack, resizePackImages } from './question-pack';

const { values } = parseArgs({
  options: {
    candidate: { type: 'string', default: 'webgpu' },
    questions: { type: 'string' },
    steps: { type: 'string', default: '5' },
    batch: { type: 'string', default: '32' },
    rollouts: { type: 'string', default: '5' },
    'timing-steps': { type: 'string', default: '5' },
    results: { type: 'string' },
    large: { type: 'string', default: '{"imageSize":64,"patchWidth":128,"ecgPatchWidth":128,"contextWidth":256,"hiddenWidth":256}' },
  },
});

const candidate = values.candidate as BackendRequest;
if (!BACKEND_REQUESTS.includes(candidate)) throw new Error(`--candidate must be one of ${BACKEND_REQUESTS.join(', ')}`);
const here = dirname(fileURLToPath(import.meta.url));
const questionsFolder = values.questions ?? join(here, 'sample-questions');
const log: string[] = [];
const say = (line: string): void => {
  log.push(line);
  process.stdout.write(`${line}\n`);
};

const started = new Date();
say(`QoQ Forge GPU check — ${started.toISOString()} — node ${process.version} ${process.platform}-${process.arch}`);

// 1. The adapter.
const probe = await probeWebGpu();
say(probe.found ? `adapter: ${formatAdapter(probe.adapter)} (vendor ${probe.adapter.vendor}, architecture ${probe.adapter.architecture})` : `adapter: none — ${probe.reason}`);
if (!probe.found && candidate === 'webgpu') {
  say('the candidate backend webgpu is unavailable: nothing to compare (exit 3)');
  process.exit(3);
}

// 2. Parity on the sample corpus's questions.
const pack = await readQuestionPack(questionsFolder);
const vocabulary = AnswerVocabulary.fromLabelSets(pack.labelSets.map(([datasetKey, labelSet]) => ({ datasetKey, labelSet })));
const defaultConfig = validatePolicyConfig({ imageSize: pack.imageSize });
const base: Omit<ParityOptions, 'policyConfig' | 'questions'> = {
  vocabulary,
  steps: Number(values.steps),
  batchQuestions: Number(values.batch),
  rollouts: Number(values.rollouts),
  seed: 0,
  update: { learningRate: 1e-3, weightDecay: 0.01, maxGradNorm: 1, clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3, klCoefficient: 0.2 },
};
say(`questions: ${pack.questions.length} from ${questionsFolder} (images ${pack.imageSize}×${pack.imageSize}); ${base.steps} steps × ${base.batchQuestions} questions × ${base.rollouts} rollouts`);
const parity = await checkBackendParity({ ...base, policyConfig: defaultConfig, questions: pack.questions }, candidate);
say(`parity: reference ${describeBackend(parity.reference)}; candidate ${describeBackend(parity.candidate)}`);
say(`thresholds: loss relative error ≤ ${PARITY_THRESHOLDS.lossRelativeError}, gradient cosine ≥ ${PARITY_THRESHOLDS.gradientCosine}, identical advantages`);
say('step  loss (wasm)      loss (candidate)  rel. error   grad cosine        norm ratio  max |Δ log-prob|  advantages  result');
for (const step of parity.steps) {
  say(
    `${String(step.step).padStart(4)}  ${step.loss.reference.toExponential(6).padStart(14)}  ${step.loss.candidate.toExponential(6).padStart(16)}  ${step.loss.relativeError.toExponential(2).padStart(10)}  ` +
      `${step.gradientCosine.toFixed(12)}  ${step.gradientNormRatio.toFixed(6).padStart(10)}  ${step.maxLogProbDifference.toExponential(2).padStart(16)}  ${(step.advantagesIdentical ? 'identical' : 'DIFFER').padStart(10)}  ${step.passed ? 'pass' : 'FAIL'}`,
  );
}
say(`parity: ${parity.passed ? 'PASSED' : 'FAILED'}`);

// 3. Timings: default and larger policy, wasm and the candidate, one after the other.
const largeConfig = validatePolicyConfig(JSON.parse(values.large) as Record<string, unknown>);
const timings: StepTiming[] = [];
for (const [label, config] of [['default', defaultConfig], ['large', largeConfig]] as const) {
  const questions = resizePackImages(pack.questions, pack.imageSize, config.imageSize);
  for (const backend of ['wasm', candidate] as const) {
    const info = await initBackend(backend);
    const timing = await timeTrainingSteps({ ...base, policyConfig: config, questions }, label, info.backend, Number(values['timing-steps']));
    timings.push(timing);
    say(`timing ${label} (${timing.parameters} parameters) on ${info.backend}: ${timing.stepMs.toFixed(1)} ms a step (rollout ${timing.rolloutMs.toFixed(1)} ms, 2 updates ${timing.updateMs.toFixed(1)} ms), ${timing.samplesPerSecond.toFixed(0)} samples/s`);
  }
  const [reference, other] = timings.slice(-2);
  say(`timing ${label}: ${other.backend} / wasm step-time ratio ${(other.stepMs / reference.stepMs).toFixed(2)} (below 1: faster than wasm)`);
}

if (values.results) {
  const device = probe.found ? [probe.adapter.vendor, probe.adapter.device].filter(Boolean).join('-') : `no-gpu-${candidate}`;
  const name = `${started.toISOString().slice(0, 10)}-${device.replace(/[^A-Za-z0-9.]+/g, '-').replace(/-+$/, '')}`;
  await mkdir(values.results, { recursive: true });
  await writeFile(join(values.results, `${name}.json`), `${JSON.stringify({ date: started.toISOString(), node: process.version, adapter: probe.found ? probe.adapter : null, probe, parity, timings, questions: pack.questions.length }, null, 2)}\n`);
  await writeFile(join(values.results, `${name}.txt`), `${log.join('\n')}\n`);
  say(`results: ${join(values.results, `${name}.json`)}`);
}
process.exit(parity.passed ? 0 : 1);
