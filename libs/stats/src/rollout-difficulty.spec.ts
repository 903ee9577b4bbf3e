import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@qoq/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolloutDifficulty } from './rollout-difficulty';

let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'qoq-stats-rollouts-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function log(name: string, records: object[]): string {
  const path = join(workDir, name);
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

describe('rollout difficulty', () => {
  it('reads components at the top level, as trainer:replay logs carry them, and passes on accuracy, not reward', async () => {
    const records = [0, 0.4, 0.6, 1].map((accuracy, i) => ({ step: 1, question_id: 'q', domain: 'derm', dataset_key: 'derm/ham10000', reward: accuracy + 0.5, accuracy, format: 0.5, rollout: i }));
    const result = await rolloutDifficulty(log('top-level.jsonl', records), { passThreshold: 0.5 });
    const ham = result.by_dataset[0];
    expect(ham.mean_components).toEqual({ accuracy: 0.5, format: 0.5 });
    // Rewards are all ≥ 0.5; only two accuracies are.
    expect(ham.pass_rate).toBe(0.5);
    expect(ham.reward_histogram.map((b) => b.rollouts).reduce((a, b) => a + b, 0)).toBe(4);
  });

  it('refuses a step whose questions have different rollout counts, naming the file', async () => {
    const records = [
      { step: 0, question_id: 'a', domain: 'ct', dataset_key: 'ct/rspect', reward: 1 },
      { step: 0, question_id: 'a', domain: 'ct', dataset_key: 'ct/rspect', reward: 0 },
      { step: 0, question_id: 'b', domain: 'ct', dataset_key: 'ct/rspect', reward: 1 },
    ];
    const path = log('unequal.jsonl', records);
    await expect(rolloutDifficulty(path)).rejects.toThrow(UsageError);
    await expect(rolloutDifficulty(path)).rejects.toThrow(/unequal\.jsonl/);
  });

  it('refuses a step that comes back after another one', async () => {
    const records = [0, 1, 0].map((step) => ({ step, question_id: `q${step}`, domain: 'ct', dataset_key: 'ct/rspect', reward: 1 }));
    await expect(rolloutDifficulty(log('order.jsonl', records))).rejects.toThrow(/line 3: ROLLOUTS_INVALID: step 0 appears again/);
  });
});
