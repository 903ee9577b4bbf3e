import { describe, expect, it } from 'vitest';
import { DrpoEstimator } from './drpo-advantage';
import { grpoAdvantages } from './grpo-advantage';
import { ReplayInputError, replayRolloutLines, type ReplayOptions } from './rollout-replay';

async function replay(lines: string[], options: ReplayOptions = {}): Promise<Record<string, unknown>[]> {
  async function* source(): AsyncGenerator<string> {
    yield* lines;
  }
  const out: Record<string, unknown>[] = [];
  for await (const line of replayRolloutLines(source(), options)) out.push(JSON.parse(line) as Record<string, unknown>);
  return out;
}

const rollout = (step: number, question: string, reward: number, extra: Record<string, unknown> = {}): string =>
  JSON.stringify({ step, question_id: question, domain: 'ct', dataset_key: question.startsWith('m') ? 'mri/brain_tumor' : 'ct/lndb', reward, ...extra });

describe('replaying a rollout log', () => {
  it('groups by (step, question_id) in file order, even interleaved, and keeps every input field', async () => {
    const lines = [rollout(0, 'a', 1, { note: 'x' }), rollout(0, 'm', 0.2), rollout(0, 'a', 0), rollout(0, 'm', 0.4), rollout(1, 'a', 0.5), rollout(1, 'a', 0.7)];
    const out = await replay(lines, { mode: 'fixed', seed: 2 });
    expect(out).toHaveLength(6);
    expect(out[0]).toMatchObject({ step: 0, question_id: 'a', note: 'x', reward: 1 });
    // The same numbers as the estimator on the same groups.
    const expected = new DrpoEstimator({ mode: 'fixed', seed: 2 }).stepBatch([
      { domainKey: 'ct/lndb', rewards: [1, 0] },
      { domainKey: 'mri/brain_tumor', rewards: [0.2, 0.4] },
    ]);
    expect(out.slice(0, 4).map((r) => r.advantage)).toEqual([expected.advantages[0], expected.advantages[2], expected.advantages[1], expected.advantages[3]]);
    expect(out[1]).toMatchObject({ domain_temperature: expected.domainTemperature[1], cluster_temperature: expected.clusterTemperature[1], cluster_id: expected.clusterId[1] });
    expect(out[0].group_normalized_reward).toBe(expected.groupNormalizedRewards[0]);
  });

  it('keys domains by dataset_key by default and by domain on request', async () => {
    const lines = [rollout(0, 'a', 1), rollout(0, 'a', 0), rollout(0, 'm', 1), rollout(0, 'm', 0)];
    const byDataset = await replay(lines);
    const byDomain = await replay(lines, { domainKey: 'domain' });
    expect(byDataset[0].domain_temperature).not.toBe(byDomain[0].domain_temperature);
  });

  it('writes GRPO advantages with unit temperatures for --estimator=grpo', async () => {
    const out = await replay([rollout(0, 'a', 1), rollout(0, 'a', 0), rollout(0, 'a', 0.5)], { estimator: 'grpo' });
    expect(out.map((r) => r.advantage)).toEqual(Array.from(grpoAdvantages([{ domainKey: 'x', rewards: [1, 0, 0.5] }])));
    expect(out[0]).toMatchObject({ domain_temperature: 1, cluster_temperature: 1, cluster_id: null });
  });

  it('rejects bad input with a typed error and the line number', async () => {
    await expect(replay([rollout(0, 'a', 1), '{not json'])).rejects.toMatchObject({ code: 'REPLAY_BAD_JSON', line: 2 });
    await expect(replay([JSON.stringify({ step: 0, question_id: 'a', domain: 'ct' })])).rejects.toMatchObject({ code: 'REPLAY_MISSING_FIELD' });
    await expect(replay([rollout(0, 'a', Number.NaN)])).rejects.toMatchObject({ code: 'REPLAY_BAD_REWARD' });
    await expect(replay([rollout(0, 'a', 1), rollout(1, 'a', 1), rollout(0, 'b', 1)])).rejects.toMatchObject({ code: 'REPLAY_STEP_ORDER', line: 3 });
    await expect(replay([rollout(0, 'a', 1), rollout(0, 'a', 0), rollout(0, 'b', 1)])).rejects.toMatchObject({ code: 'REPLAY_UNEQUAL_GROUPS' });
    await expect(replay([])).rejects.toBeInstanceOf(ReplayInputError);
  });
});
