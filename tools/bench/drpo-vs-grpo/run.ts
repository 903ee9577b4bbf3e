// DRPO against GRPO on the corpus (issue 10 "Done when"; QoQ-Med §2, §4): four arms with identical
// budgets — GRPO, GRPO re-standardized over the batch, DRPO domain-only (T_c ≡ 1), full DRPO — each
// with its learning rate picked on validation from a small grid (tuning seed), then trained on ≥ 5
// paired seeds (the same seeds for every arm); prints test macro-F1 per dataset_key and overall, mean
// over seeds, with paired bootstrap 95 % intervals (the test questions resampled within each dataset,
// the same resample for every arm and seed), and the relative change of each arm against GRPO. The run
// folders' own eval.json skip their bootstrap (evaluation.bootstrap=0): this one is paired across arms.
//   npx nx run bench-drpo-vs-grpo:run [-- --seeds=5 --steps=300 --lr-grid=0.0003,0.001,0.003 --config=default
//     --arms=grpo,grpo-batch-std,drpo-domain-only,drpo --bootstrap=500 --output=DIR --json=FILE --quick --fresh]
// Outside CI: a full run trains (arms × (grid + seeds)) runs; --quick trains 2 arms × 1 lr × 2 seeds × 10 steps.
// An interrupted bench continues where it stopped: each run resumes its folder (a finished run is only
// re-tested); --fresh trains every run again.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { computeDatasetMetrics } from '@qoq/drpo';
import { findWorkspaceRoot } from '@qoq/runtime';
import {
  ESTIMATORS,
  loadTrainerConfig,
  parseSetOverride,
  prepareRun,
  randomStream,
  readJsonl,
  runTraining,
  tfPolicyRuntime,
  type EstimatorName,
  type TrainingCorpus,
} from '@qoq/training';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '5' },
    steps: { type: 'string' },
    'lr-grid': { type: 'string', default: '0.0003,0.001,0.003' },
    'tune-seed': { type: 'string', default: '0' },
    arms: { type: 'string', default: 'grpo,grpo-batch-std,drpo-domain-only,drpo' },
    config: { type: 'string', default: 'default' },
    bootstrap: { type: 'string', default: '500' },
    backend: { type: 'string', default: 'wasm' },
    output: { type: 'string' },
    json: { type: 'string' },
    quick: { type: 'boolean', default: false },
    fresh: { type: 'boolean', default: false },
  },
});

const root = findWorkspaceRoot();
const quick = values.quick;
const arms = (quick ? 'grpo,drpo' : values.arms).split(',') as EstimatorName[];
for (const arm of arms) if (!(ESTIMATORS as readonly string[]).includes(arm) || arm === 'supervised') throw new Error(`unknown arm ${arm}`);
const grid = (quick ? '0.003' : values['lr-grid']).split(',').map(Number);
const seedCount = quick ? 2 : Number(values.seeds);
const seeds = Array.from({ length: seedCount }, (_, i) => i + 1);
const tuneSeed = Number(values['tune-seed']);
const resamples = quick ? 50 : Number(values.bootstrap);
const outputRoot = values.output ?? join(root, 'data/bench/drpo-vs-grpo');
const stepsOverride = quick ? ['steps=10', 'evaluation.every=5', 'evaluation.maxPerDataset=20'] : values.steps ? [`steps=${values.steps}`] : [];

function armConfig(arm: EstimatorName, learningRate: number, seed: number, purpose: 'tune' | 'test') {
  return loadTrainerConfig(values.config, {
    set: [...stepsOverride, `optimizer.learningRate=${learningRate}`, 'evaluation.bootstrap=0'].map(parseSetOverride),
    fields: { estimator: arm, seed, backend: values.backend as 'wasm' | 'cpu', output: join(outputRoot, purpose, `${arm}-lr${learningRate}-s${seed}`) },
  });
}

const base = armConfig(arms[0], grid[0], tuneSeed, 'tune');
const runtime = await tfPolicyRuntime(base);
let corpus: TrainingCorpus | undefined;
const runTimes: number[] = [];

async function train(arm: EstimatorName, learningRate: number, seed: number, purpose: 'tune' | 'test') {
  const config = armConfig(arm, learningRate, seed, purpose);
  const prepared = await prepareRun(config, { workspaceRoot: root, imageSize: runtime.policyConfig.imageSize, corpus, stderr: (line) => process.stderr.write(`${line}\n`) });
  corpus = prepared.corpus;
  const started = performance.now();
  const result = await runTraining({ prepared, createPolicy: runtime.createPolicy, mode: values.fresh ? 'fresh' : 'resume', stderr: (line) => (line.includes(' step ') ? undefined : process.stderr.write(`${line}\n`)) });
  runTimes.push((performance.now() - started) / 1000);
  process.stderr.write(`bench: ${arm} lr ${learningRate} seed ${seed} (${purpose}) took ${runTimes[runTimes.length - 1].toFixed(1)} s\n`);
  return { result, folder: prepared.runFolder, prepared };
}

// 1. The learning rate of each arm, on validation (the tuning seed).
const chosen = new Map<EstimatorName, number>();
const tuning: Record<string, Record<string, number>> = {};
for (const arm of arms) {
  tuning[arm] = {};
  let best = -Infinity;
  for (const learningRate of grid) {
    const { result } = await train(arm, learningRate, tuneSeed, 'tune');
    const macroF1 = result.best?.macroF1 ?? Number.NEGATIVE_INFINITY;
    tuning[arm][String(learningRate)] = macroF1;
    if (macroF1 > best) {
      best = macroF1;
      chosen.set(arm, learningRate);
    }
  }
}

// 2. Every arm on the paired seeds with its learning rate; the test predictions of each run.
interface Prediction {
  question_id: string;
  dataset_key: string;
  answer: string;
  prediction: string;
}
const predictions = new Map<string, Prediction[]>();
let datasetDomains: Record<string, string> = {};
for (const arm of arms) {
  for (const seed of seeds) {
    const { folder, result } = await train(arm, chosen.get(arm) as number, seed, 'test');
    datasetDomains = result.evaluation.dataset_domains;
    predictions.set(`${arm}/${seed}`, await readJsonl<Prediction>(join(folder, 'predictions-test.jsonl')));
  }
}

// 3. Test macro-F1 per dataset and overall (mean of domains of the mean of datasets), mean over seeds,
// with a paired bootstrap over the test questions.
const reference = predictions.get(`${arms[0]}/${seeds[0]}`) as Prediction[];
const byDataset = new Map<string, number[]>();
reference.forEach((row, index) => {
  const list = byDataset.get(row.dataset_key) ?? [];
  byDataset.set(row.dataset_key, list);
  list.push(index);
});
const datasetKeys = [...byDataset.keys()].sort();

function figures(selection: ReadonlyMap<string, readonly number[]>): Map<string, { datasets: Record<string, number>; overall: number }> {
  const result = new Map<string, { datasets: Record<string, number>; overall: number }>();
  for (const arm of arms) {
    const datasets: Record<string, number> = {};
    let overall = 0;
    for (const seed of seeds) {
      const rows = predictions.get(`${arm}/${seed}`) as Prediction[];
      const domainScores = new Map<string, number[]>();
      for (const key of datasetKeys) {
        const indices = selection.get(key) as readonly number[];
        const f1 = computeDatasetMetrics(indices.map((i) => rows[i].prediction), indices.map((i) => rows[i].answer)).summary.f1;
        datasets[key] = (datasets[key] ?? 0) + f1 / seeds.length;
        const domain = datasetDomains[key];
        domainScores.set(domain, [...(domainScores.get(domain) ?? []), f1]);
      }
      const domainMeans = [...domainScores.values()].map((list) => list.reduce((a, b) => a + b, 0) / list.length);
      overall += domainMeans.reduce((a, b) => a + b, 0) / domainMeans.length / seeds.length;
    }
    result.set(arm, { datasets, overall });
  }
  return result;
}

const point = figures(byDataset);
const draws = new Map<string, number[]>();
const random = randomStream(20251125, 'drpo-vs-grpo-bootstrap');
for (let b = 0; b < resamples; b++) {
  const selection = new Map<string, number[]>();
  for (const key of datasetKeys) {
    const indices = byDataset.get(key) as number[];
    selection.set(key, indices.map(() => indices[Math.floor(random() * indices.length)]));
  }
  const replicate = figures(selection);
  for (const arm of arms) {
    const figure = replicate.get(arm) as { datasets: Record<string, number>; overall: number };
    const grpo = replicate.get(arms[0]) as { datasets: Record<string, number>; overall: number };
    for (const [key, value] of [...Object.entries(figure.datasets), ['overall', figure.overall] as const]) {
      const name = `${arm}|${key}`;
      draws.set(name, [...(draws.get(name) ?? []), value]);
    }
    const relative = grpo.overall > 0 ? figure.overall / grpo.overall - 1 : Number.NaN;
    draws.set(`${arm}|relative`, [...(draws.get(`${arm}|relative`) ?? []), relative]);
  }
}
const ci = (name: string): [number, number] => {
  const sorted = Float64Array.from(draws.get(name) ?? [Number.NaN]).sort();
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))];
  return [q(0.025), q(0.975)];
};
const cell = (value: number, [low, high]: [number, number]) => `${value.toFixed(3)} [${low.toFixed(3)}, ${high.toFixed(3)}]`;

const lines: string[] = [];
lines.push(`test macro-F1, mean of ${seeds.length} paired seeds (${seeds.join(', ')}), 95 % paired bootstrap over test questions (${resamples} resamples)`);
lines.push(`learning rates chosen on validation (seed ${tuneSeed}): ${arms.map((arm) => `${arm} ${chosen.get(arm)}`).join(', ')}`);
lines.push(['dataset_key'.padEnd(26), ...arms.map((arm) => arm.padEnd(26))].join(' '));
for (const key of [...datasetKeys, 'overall']) {
  lines.push([key.padEnd(26), ...arms.map((arm) => {
    const figure = point.get(arm) as { datasets: Record<string, number>; overall: number };
    const value = key === 'overall' ? figure.overall : figure.datasets[key];
    return cell(value, ci(`${arm}|${key}`)).padEnd(26);
  })].join(' '));
}
const grpoOverall = (point.get(arms[0]) as { overall: number }).overall;
lines.push(['vs ' + arms[0], ...arms.map((arm) => {
  const relative = (point.get(arm) as { overall: number }).overall / grpoOverall - 1;
  const [low, high] = ci(`${arm}|relative`);
  return `${(100 * relative).toFixed(1)} % [${(100 * low).toFixed(1)}, ${(100 * high).toFixed(1)}]`.padEnd(26);
})].join(' '));
const meanRun = runTimes.reduce((a, b) => a + b, 0) / runTimes.length;
lines.push(`one arm-seed run (training + validation + test): mean ${meanRun.toFixed(1)} s over ${runTimes.length} runs`);
process.stdout.write(`${lines.join('\n')}\n`);

if (values.json) {
  await mkdir(dirname(values.json), { recursive: true });
  const document = {
    arms,
    seeds,
    tuning,
    chosen: Object.fromEntries(chosen),
    test_macro_f1: Object.fromEntries(arms.map((arm) => [arm, { ...(point.get(arm) as object), ci95: Object.fromEntries([...datasetKeys, 'overall'].map((key) => [key, ci(`${arm}|${key}`)])) }])),
    relative_to_first_arm: Object.fromEntries(arms.map((arm) => [arm, { value: (point.get(arm) as { overall: number }).overall / grpoOverall - 1, ci95: ci(`${arm}|relative`) }])),
    run_seconds: runTimes,
  };
  await writeFile(values.json, `${JSON.stringify(document, null, 2)}\n`);
}
