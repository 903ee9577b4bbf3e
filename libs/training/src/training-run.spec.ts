// The loop end to end with the FakePolicy test double (fake-policy.spec-helper.ts): files and formats,
// determinism, exact resume after a kill (also inside a checkpoint write), the estimators.
import { readFile, readdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { replayRolloutLines } from '@qoq/drpo';
import { UsageError } from '@qoq/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTrainingCorpus, type TrainingCorpus } from './corpus-loader';
import { FakePolicy } from './fake-policy.spec-helper';
import { readJsonl } from './jsonl-log';
import { writeTestCorpus, writeTestStats } from './synthetic-training-corpus';
import { loadTrainerConfig, parseSetOverride, type EstimatorName, type TrainerConfig } from './trainer-config';
import { prepareRun, runTraining, type PolicyFactory, type StartMode, type TrainingRunResult } from './training-run';

let work: string;
let corpus: TrainingCorpus;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'training-run-'));
  await writeTestCorpus(join(work, 'corpus'));
  corpus = await loadTrainingCorpus(join(work, 'corpus'), { imageSize: 4 });
  await writeTestStats(join(work, 'stats'), corpus.manifestSha256);
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** The fields of a metrics.jsonl line these tests read. */
interface MetricsLine {
  step: number;
  reward?: Record<string, number>;
  reward_by_domain: Record<string, unknown>;
  advantage: { std: number };
  update: { updates: number; clip_fraction: number };
  drpo: { temperatures: Record<string, { temperature: number }> } | null;
}

const fakeFactory: PolicyFactory = ({ labelSets, config }) => new FakePolicy(labelSets, config.seed);

function testConfig(name: string, estimator: EstimatorName = 'drpo', extra: string[] = []): TrainerConfig {
  return loadTrainerConfig('smoke', {
    set: [
      'steps=12', 'batch.questions=8', 'batch.miniBatches=2', 'evaluation.every=4', 'evaluation.maxPerDataset=null',
      'evaluation.bootstrap=40', 'checkpoint.every=3', 'optimizer.learningRate=0.2', ...extra,
    ].map(parseSetOverride),
    fields: { estimator, corpus: join(work, 'corpus'), stats: join(work, 'stats'), output: join(work, 'runs', name), seed: 3 },
  });
}

async function train(config: TrainerConfig, mode: StartMode = 'new', hooks: Partial<Parameters<typeof runTraining>[0]> = {}): Promise<TrainingRunResult> {
  const prepared = await prepareRun(config, { workspaceRoot: work, imageSize: 4, corpus });
  return runTraining({ prepared, createPolicy: fakeFactory, mode, ...hooks });
}

const text = (run: string, file: string): Promise<string> => readFile(join(work, 'runs', run, file), 'utf8');
const stateBytes = (result: TrainingRunResult): Buffer => Buffer.concat(result.finalState.values.map((v) => Buffer.from(v.buffer, v.byteOffset, v.byteLength)));

describe('runTraining (fake policy)', () => {
  let first: TrainingRunResult;
  beforeAll(async () => {
    first = await train(testConfig('drpo'));
  });

  it('writes the run folder of design.md: config, logs, checkpoints, eval.json, report.html', async () => {
    const files = (await readdir(join(work, 'runs', 'drpo'))).sort();
    expect(files).toEqual(['checkpoints', 'config.json', 'eval.json', 'metrics.jsonl', 'predictions-test.jsonl', 'report.html', 'rollouts.jsonl', 'run.json', 'timings.jsonl', 'validation.jsonl']);
    const metrics = await readJsonl<MetricsLine>(join(work, 'runs', 'drpo', 'metrics.jsonl'));
    expect(metrics.map((m) => m.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(metrics[0].update.updates).toBe(2);
    expect(Object.keys((metrics[0].drpo as NonNullable<MetricsLine['drpo']>).temperatures).every((key) => key.includes('/'))).toBe(true);
    // The second mini-batch update meets a ratio ≠ 1: the clip acts somewhere in the run.
    expect(metrics.some((m) => m.update.clip_fraction > 0)).toBe(true);
    expect(Object.keys(metrics[0].reward_by_domain).length).toBeGreaterThan(0);
    const rollouts = await readJsonl<Record<string, unknown>>(join(work, 'runs', 'drpo', 'rollouts.jsonl'));
    expect(rollouts).toHaveLength(12 * 8 * 5);
    expect(Object.keys(rollouts[0])).toEqual(['step', 'question_id', 'domain', 'dataset_key', 'rollout', 'reward', 'accuracy', 'iou', 'format', 'length', 'advantage', 'tokens']);
    expect((await readJsonl<{ step: number }>(join(work, 'runs', 'drpo', 'validation.jsonl'))).map((v) => v.step)).toEqual([4, 8, 12]);
    expect((await readdir(join(work, 'runs', 'drpo', 'checkpoints'))).filter((name) => name.startsWith('step-'))).toEqual(['step-000009', 'step-000012']);
    const evaluation = JSON.parse(await text('drpo', 'eval.json'));
    expect(evaluation.checkpoint.kind).toBe('best');
    expect(evaluation.checkpoint.step).toBe(first.best?.step);
    expect(Object.keys(evaluation.policy.datasets).sort()).toEqual(['derm/ham10000', 'ecg/ptb-xl', 'mammo/cbis', 'mammo/vindr']);
    expect(evaluation.policy.overall.macro_f1.ci95).toHaveLength(2);
    expect(evaluation.baselines.majority.datasets['ecg/ptb-xl'].macro_f1.value).toBeGreaterThan(0);
    expect(evaluation.policy.domains.mammo.iou.value).toBeGreaterThan(0);
    const html = await text('drpo', 'report.html');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|https?:\/\/(?!qoq)/);
  });

  it('writes rollouts that trainer:replay turns into the very advantages the run used', async () => {
    const lines = (await text('drpo', 'rollouts.jsonl')).trim().split('\n');
    async function* input() {
      yield* lines;
    }
    let i = 0;
    for await (const line of replayRolloutLines(input(), { estimator: 'drpo', mode: 'fixed', seed: 3, domainKey: 'dataset_key' })) {
      const original = JSON.parse(lines[i++]);
      expect(JSON.parse(line).advantage).toBe(original.advantage);
    }
    expect(i).toBe(lines.length);
  });

  it('gives the same run for the same config and seed, bit for bit', async () => {
    const again = await train(testConfig('drpo-again'));
    for (const file of ['metrics.jsonl', 'rollouts.jsonl', 'validation.jsonl', 'predictions-test.jsonl']) expect(await text('drpo-again', file)).toBe(await text('drpo', file));
    const strip = (s: string) => s.replace(/"output": "[^"]*"/, '');
    expect(strip(await text('drpo-again', 'config.json'))).toBe(strip(await text('drpo', 'config.json')));
    expect(stateBytes(again).equals(stateBytes(first))).toBe(true);
    expect(await text('drpo-again', 'eval.json')).toBe(await text('drpo', 'eval.json'));
  });

  it('resumes after a kill at any step and ends with the weights and logs of the uninterrupted run', async () => {
    for (const killAt of [5, 10]) {
      const name = `killed-${killAt}`;
      const config = testConfig(name);
      await expect(train(config, 'new', { afterStep: (step) => { if (step === killAt) throw new Error('SIGKILL'); } })).rejects.toThrow('SIGKILL');
      const resumed = await train(config, 'resume');
      expect(resumed.resumedFrom).toBe(killAt === 5 ? 3 : 9);
      expect(stateBytes(resumed).equals(stateBytes(first))).toBe(true);
      for (const file of ['metrics.jsonl', 'rollouts.jsonl', 'validation.jsonl']) expect(await text(name, file)).toBe(await text('drpo', file));
      expect(await text(name, 'eval.json')).toBe(await text('drpo', 'eval.json'));
    }
  });

  it('resumes from the previous checkpoint when the kill falls inside a checkpoint write', async () => {
    const config = testConfig('killed-in-write');
    let writes = 0;
    await expect(
      train(config, 'new', {
        checkpointProbe: (stage) => {
          if (stage === 'tensors-written' && ++writes === 5) throw new Error('SIGKILL');
        },
      }),
    ).rejects.toThrow('SIGKILL');
    const checkpoints = await readdir(join(work, 'runs', 'killed-in-write', 'checkpoints'));
    expect(checkpoints.some((name) => name.endsWith('.partial'))).toBe(true);
    const resumed = await train(config, 'resume');
    expect(resumed.resumedFrom).toBeGreaterThan(0);
    expect(stateBytes(resumed).equals(stateBytes(first))).toBe(true);
    expect(await text('killed-in-write', 'rollouts.jsonl')).toBe(await text('drpo', 'rollouts.jsonl'));
  });

  it('refuses to overwrite a run, or to resume it with another config', async () => {
    await expect(train(testConfig('drpo'))).rejects.toThrow(/already holds a run: pass --resume/);
    const error = await train(testConfig('drpo', 'drpo', ['optimizer.learningRate=0.01']), 'resume').catch((e) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toMatch(/changed: optimizer\.learningRate/);
  });

  it('extends a finished run when only steps grow', async () => {
    const longer = await train({ ...testConfig('drpo-again'), steps: 14 }, 'resume');
    expect(longer.resumedFrom).toBe(12);
    expect((await readJsonl(join(work, 'runs', 'drpo-again', 'metrics.jsonl'))).length).toBe(14);
  });
});

describe('the estimators', () => {
  it('runs GRPO, GRPO with batch re-standardization, DRPO domain-only and the supervised ceiling', async () => {
    const results: Record<string, TrainingRunResult> = {};
    for (const estimator of ['grpo', 'grpo-batch-std', 'drpo-domain-only', 'supervised'] as const) {
      results[estimator] = await train(testConfig(`arm-${estimator}`, estimator, ['steps=8']));
    }
    const grpo = await readJsonl<MetricsLine>(join(work, 'runs', 'arm-grpo', 'metrics.jsonl'));
    expect(grpo[0].drpo).toBeNull();
    const restandardized = await readJsonl<MetricsLine>(join(work, 'runs', 'arm-grpo-batch-std', 'metrics.jsonl'));
    // T_d = T_c = 1: the advantages are the GRPO scores over their batch std, so their std is ~1.
    expect(restandardized[0].advantage.std).toBeCloseTo(1, 3);
    expect(Object.values((restandardized[0].drpo as NonNullable<MetricsLine['drpo']>).temperatures).every((t) => t.temperature > 0)).toBe(true);
    const supervised = await readJsonl<MetricsLine>(join(work, 'runs', 'arm-supervised', 'metrics.jsonl'));
    expect(supervised[0].reward).toBeUndefined();
    expect(await readFile(join(work, 'runs', 'arm-supervised', 'rollouts.jsonl'), 'utf8')).toBe('');
    // The labels are learnable from the input: cross-entropy reaches well above the label prior.
    const evaluation = results.supervised.evaluation;
    expect(evaluation.policy.overall.macro_f1.value).toBeGreaterThan(evaluation.baselines.majority.overall.macro_f1.value);
  });
});
