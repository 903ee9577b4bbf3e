// DRPO step time as the run grows (issue 9 "Done when"): a batch of 512 questions × 5 rollouts over 30
// dataset keys; `fixed` after 1,000 and 10,000 steps of history, `incremental` at the same lengths, and
// the distribution of incremental's relative L2 error to fixed on the same batches — beside the error of
// fixed with another k-means seed, the noise floor that any re-clustering has.
//   npx tsx tools/bench/drpo/run.ts [--quick] [--histories=1000,10000] [--max-fixed-history=N] [--json=FILE]
// --max-fixed-history skips `fixed` (and its history) above N steps: at 10,000 steps one fixed step takes
// tens of minutes on a laptop core, which is the point of `incremental`.
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
  },
});
const MAX_FIXED_HISTORY = values['max-fixed-history'] === undefined ? Number.POSITIVE_INFINITY : Number(values['max-fixed-history']);
const QUESTIONS = 512;
const ROLLOUTS = 5;
const DOMAINS = 30;
/** History lengths, and per length: steps timed (fixed and incremental), and of those, steps with a second fixed seed. */
const PLAN = values.quick
  ? [
      { history: 50, steps: 4, baselineSteps: 4 },
      { history: 200, steps: 2, baselineSteps: 1 },
    ]
  : [
      { history: 1_000, steps: 2, baselineSteps: 1 },
      { history: 10_000, steps: 1, baselineSteps: 0 },
    ];

const histories = values.histories?.split(',').map(Number);
const plans = histories ? PLAN.filter((plan) => histories.includes(plan.history)) : PLAN;

const random = mulberry32(20250600);
const profiles = domainProfiles(DOMAINS, random);
const nextBatch = (): QuestionRollouts[] => rewardBatch(profiles, QUESTIONS, ROLLOUTS, random);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const formatPercent = (xs: number[]): string =>
  xs.length === 0 ? '—' : `${(100 * median(xs)).toFixed(1)} % (${xs.map((x) => (100 * x).toFixed(1)).join(', ')})`;

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
}

const rows: Row[] = [];
for (const plan of plans) {
  const runFixed = plan.history <= MAX_FIXED_HISTORY;
  const fixed = runFixed ? new DrpoEstimator({ mode: 'fixed', seed: 1 }) : undefined;
  const otherSeed = runFixed && plan.baselineSteps > 0 ? new DrpoEstimator({ mode: 'fixed', seed: 2 }) : undefined;
  const incremental = new DrpoEstimator({ mode: 'incremental', seed: 1 });
  const started = performance.now();
  for (let step = 0; step < plan.history; step++) {
    const batch = nextBatch();
    fixed?.observe(batch);
    otherSeed?.observe(batch);
    incremental.observe(batch);
  }
  // Incremental warm-starts from its previous centroids: one untimed step seeds them.
  incremental.stepBatch(nextBatch());
  process.stderr.write(`history of ${plan.history} steps built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const row: Row = { history: plan.history, fixedMs: [], incrementalMs: [], incrementalError: [], otherSeedError: [] };
  for (let step = 0; step < plan.steps; step++) {
    const batch = nextBatch();
    const [inc, incMs] = timed(() => incremental.stepBatch(batch));
    row.incrementalMs.push(incMs);
    if (!fixed) continue;
    const [fix, fixMs] = timed(() => fixed.stepBatch(batch));
    row.fixedMs.push(fixMs);
    row.incrementalError.push(relativeL2(inc.advantages, fix.advantages));
    if (otherSeed && step < plan.baselineSteps) row.otherSeedError.push(relativeL2(otherSeed.stepBatch(batch).advantages, fix.advantages));
    else otherSeed?.observe(batch);
    process.stderr.write(`  step ${step + 1}: fixed ${fixMs.toFixed(0)} ms, incremental ${incMs.toFixed(1)} ms, rel. L2 ${(100 * row.incrementalError[step]).toFixed(1)} %\n`);
  }
  // Incremental alone, for a steadier per-step time.
  for (let step = 0; step < 20; step++) row.incrementalMs.push(timed(() => incremental.stepBatch(nextBatch()))[1]);
  rows.push(row);
}

console.log(`DRPO step: ${QUESTIONS} questions × ${ROLLOUTS} rollouts, ${DOMAINS} dataset keys; medians; a shared machine, times are indicative`);
console.log('| history (steps) | fixed ms/step | incremental ms/step (median, max) | incremental vs fixed: rel. L2 error | fixed seed 2 vs seed 1 |');
console.log('| ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  console.log(
    `| ${row.history.toLocaleString('en-US')} | ${row.fixedMs.length ? median(row.fixedMs).toFixed(0) : 'not run'} | ${median(row.incrementalMs).toFixed(1)}, ${Math.max(...row.incrementalMs).toFixed(1)} | ` +
      `${formatPercent(row.incrementalError)} | ${formatPercent(row.otherSeedError)} |`,
  );
}
if (values.json) writeFileSync(values.json, JSON.stringify({ questions: QUESTIONS, rollouts: ROLLOUTS, domains: DOMAINS, rows }, null, 2) + '\n');
