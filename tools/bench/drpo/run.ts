// DRPO step time as the run grows (issue 9 "Done when"): a batch of 512 questions × 5 rollouts over 30
// dataset keys; `fixed` after 1,000 and 10,000 steps of history, `incremental` at the same lengths, and
// the distribution of incremental's relative L2 error to fixed on the same batches — beside two noise
// floors of fixed itself: fixed with another k-means seed, and fixed one step later (the same seed with
// one more batch, +0.1–0.2 % of history, in its history), which no cheaper method can be expected to beat.
//   npx tsx tools/bench/drpo/run.ts [--quick] [--histories=1000,10000] [--max-fixed-history=N]
//                                   [--fixed-steps=N] [--json=FILE]
// --max-fixed-history skips `fixed` (and its history) above N steps: at 10,000 steps one fixed step takes
// minutes, which is the point of `incremental`; --fixed-steps sets the steps timed with fixed per row.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DrpoEstimator, type QuestionRollouts } from '@qoq/drpo';
import { domainProfiles, mulberry32, rewardBatch } from './reward-generator';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    json: { type: 'string' },
    histories: { type: 'string' },
    'max-fixed-history': { type: 'string' },
    'fixed-steps': { type: 'string' },
  },
});
const MAX_FIXED_HISTORY = values['max-fixed-history'] === undefined ? Number.POSITIVE_INFINITY : Number(values['max-fixed-history']);
const QUESTIONS = 512;
const ROLLOUTS = 5;
const DOMAINS = 30;
/**
 * History lengths, and per length: steps timed (fixed and incremental), and of those, steps that also run
 * the two noise floors (each costs one more fixed step).
 */
const PLAN = values.quick
  ? [
      { history: 50, steps: 4, baselineSteps: 4 },
      { history: 200, steps: 3, baselineSteps: 2 },
    ]
  : [
      { history: 1_000, steps: 6, baselineSteps: 3 },
      { history: 10_000, steps: 1, baselineSteps: 0 },
    ];

const histories = values.histories?.split(',').map(Number);
const fixedSteps = values['fixed-steps'] === undefined ? undefined : Number(values['fixed-steps']);
const plans = (histories ? PLAN.filter((plan) => histories.includes(plan.history)) : PLAN).map((plan) =>
  fixedSteps === undefined ? plan : { ...plan, steps: fixedSteps, baselineSteps: Math.min(plan.baselineSteps, fixedSteps) },
);

const random = mulberry32(20250600);
const profiles = domainProfiles(DOMAINS, random);
const nextBatch = (): QuestionRollouts[] => rewardBatch(profiles, QUESTIONS, ROLLOUTS, random);

/** The q-quantile with linear interpolation between order statistics (numpy's default). */
const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  const at = q * (s.length - 1);
  const low = Math.floor(at);
  return low + 1 < s.length ? s[low] + (at - low) * (s[low + 1] - s[low]) : s[low];
};
const median = (xs: number[]): number => quantile(xs, 0.5);
const percent = (x: number): string => (100 * x).toFixed(1);
/** Median (p10, p90) over the steps, then every value. */
const formatDistribution = (xs: number[]): string =>
  xs.length === 0 ? '—' : `${percent(median(xs))} % (p10 ${percent(quantile(xs, 0.1))}, p90 ${percent(quantile(xs, 0.9))}; ${xs.map(percent).join(', ')})`;
const formatPercent = (xs: number[]): string => (xs.length === 0 ? '—' : `${percent(median(xs))} % (${xs.map(percent).join(', ')})`);

function relativeL2(a: Float64Array, reference: Float64Array): number {
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - reference[i]) ** 2;
    norm += reference[i] ** 2;
  }
  return Math.sqrt(diff / norm);
}

function timed<T>(f: () => T): [T, number] {
  const start = performance.now();
  const result = f();
  return [result, performance.now() - start];
}

interface Row {
  history: number;
  fixedMs: number[];
  incrementalMs: number[];
  incrementalError: number[];
  otherSeedError: number[];
  oneStepLaterError: number[];
  /** Distinct reward vectors in fixed's history, and questions: how far a histogram of distinct points compresses it. */
  distinctVectors?: number;
  questions?: number;
}

const rows: Row[] = [];
for (const plan of plans) {
  const runFixed = plan.history <= MAX_FIXED_HISTORY;
  const baselines = runFixed && plan.baselineSteps > 0;
  // `let`: released before incremental is timed alone, so that collecting their heaps (hundreds of MB of
  // distinct vectors) is not charged to incremental's steps, as it would not be in a run without them.
  let fixed = runFixed ? new DrpoEstimator({ mode: 'fixed', seed: 1 }) : undefined;
  let otherSeed = baselines ? new DrpoEstimator({ mode: 'fixed', seed: 2 }) : undefined;
  let oneStepLater = baselines ? new DrpoEstimator({ mode: 'fixed', seed: 1 }) : undefined;
  const incremental = new DrpoEstimator({ mode: 'incremental', seed: 1 });
  const started = performance.now();
  for (let step = 0; step < plan.history; step++) {
    const batch = nextBatch();
    fixed?.observe(batch);
    otherSeed?.observe(batch);
    oneStepLater?.observe(batch);
    incremental.observe(batch);
  }
  // Incremental warm-starts from its previous centroids: one untimed step seeds them. The same batch
  // puts `oneStepLater` one batch ahead of `fixed` for the rest of the row.
  const warmUp = nextBatch();
  incremental.stepBatch(warmUp);
  oneStepLater?.observe(warmUp);
  process.stderr.write(`history of ${plan.history} steps built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const row: Row = { history: plan.history, fixedMs: [], incrementalMs: [], incrementalError: [], otherSeedError: [], oneStepLaterError: [] };
  if (fixed) {
    const domains = fixed.snapshot().domains;
    row.distinctVectors = domains.reduce((n, [, d]) => n + (d.kind === 'distinct' ? d.weights.length : 0), 0);
    row.questions = domains.reduce((n, [, d]) => n + d.questionCount, 0);
  }
  for (let step = 0; step < plan.steps; step++) {
    const batch = nextBatch();
    const [inc, incMs] = timed(() => incremental.stepBatch(batch));
    row.incrementalMs.push(incMs);
    if (!fixed) continue;
    const reference = fixed;
    const [fix, fixMs] = timed(() => reference.stepBatch(batch));
    row.fixedMs.push(fixMs);
    row.incrementalError.push(relativeL2(inc.advantages, fix.advantages));
    let floors = '';
    for (const [baseline, errors] of [
      [otherSeed, row.otherSeedError],
      [oneStepLater, row.oneStepLaterError],
    ] as const) {
      if (!baseline) continue;
      // Past baselineSteps the floors only keep their history in step with fixed's.
      if (step < plan.baselineSteps) errors.push(relativeL2(baseline.stepBatch(batch).advantages, fix.advantages));
      else baseline.observe(batch);
    }
    if (step < plan.baselineSteps && baselines) floors = `, seed 2 ${percent(row.otherSeedError[step])} %, one step later ${percent(row.oneStepLaterError[step])} %`;
    process.stderr.write(`  step ${step + 1}: fixed ${fixMs.toFixed(0)} ms, incremental ${incMs.toFixed(1)} ms, rel. L2 ${percent(row.incrementalError[step])} %${floors}\n`);
  }
  // Incremental alone, for a steadier per-step time.
  fixed = otherSeed = oneStepLater = undefined;
  for (let step = 0; step < 20; step++) row.incrementalMs.push(timed(() => incremental.stepBatch(nextBatch()))[1]);
  rows.push(row);
}

console.log(`DRPO step: ${QUESTIONS} questions × ${ROLLOUTS} rollouts, ${DOMAINS} dataset keys; a shared machine, times are indicative`);
console.log(
  '| history (steps) | distinct vectors / questions | fixed ms/step (median) | incremental ms/step (median, p90, max) | incremental vs fixed: rel. L2, median (p10, p90; each step) | fixed seed 2 vs seed 1 | fixed one step later vs fixed |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  const distinct = row.distinctVectors === undefined ? '—' : `${row.distinctVectors.toLocaleString('en-US')} / ${(row.questions ?? 0).toLocaleString('en-US')}`;
  console.log(
    `| ${row.history.toLocaleString('en-US')} | ${distinct} | ${row.fixedMs.length ? median(row.fixedMs).toFixed(0) : 'not run'} | ` +
      `${median(row.incrementalMs).toFixed(1)}, ${quantile(row.incrementalMs, 0.9).toFixed(1)}, ${Math.max(...row.incrementalMs).toFixed(1)} | ` +
      `${formatDistribution(row.incrementalError)} | ${formatPercent(row.otherSeedError)} | ${formatPercent(row.oneStepLaterError)} |`,
  );
}
if (values.json) writeFileSync(values.json, JSON.stringify({ questions: QUESTIONS, rollouts: ROLLOUTS, domains: DOMAINS, rows }, null, 2) + '\n');
