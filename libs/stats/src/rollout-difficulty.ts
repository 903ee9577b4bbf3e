// Difficulty from a training run's rollouts.jsonl (design.md "A training run folder": one line per
// rollout with step, question_id, domain, dataset_key, reward and its components). A group is the
// rollouts of one (step, question_id); one step is held in memory at a time. The DRPO temperatures are
// those of a replay of the log through @qoq/drpo's estimator (QoQ-Med §2) — illustrative only: the
// trainer's own N_d counts the questions it saw online, which a replay of a partial log cannot know.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { DrpoEstimator, type QuestionRollouts } from '@qoq/drpo';
import { UsageError } from '@qoq/runtime';
import { round6 } from './rarity';

export const REWARD_COMPONENTS = ['accuracy', 'iou', 'format', 'length'] as const;
/** Histogram bin width of the reward distributions. */
export const REWARD_BIN_WIDTH = 0.1;

export const ROLLOUT_DEFINITIONS = {
  pass_rate: 'share of rollouts whose accuracy component (set-F1) is ≥ the pass threshold; the reward itself when a line has no accuracy component',
  within_group_variance: 'mean over groups (step, question_id) of the sample variance (n − 1) of their rewards',
  zero_variance_share: 'share of groups whose rollouts all got the same reward: GRPO gives them no signal',
  drpo: 'DrpoEstimator (mode fixed, seed 0) stepped over the log step by step, keyed by dataset_key; the state after the last step. Illustrative: the trainer counts N_d online',
  reward_histogram: `rollouts per reward bin of width ${REWARD_BIN_WIDTH}; bin i covers [i·w, (i+1)·w)`,
} as const;

export interface RolloutGroupStats {
  key: string;
  rollouts: number;
  groups: number;
  mean_reward: number;
  mean_components: Record<string, number>;
  pass_rate: number;
  within_group_variance: number | null;
  zero_variance_share: number;
  reward_histogram: Array<{ bin_start: number; rollouts: number }>;
}

export interface DrpoTemperature {
  dataset_key: string;
  last_step: string;
  question_count: number;
  domain_mean: number;
  domain_temperature: number;
  clusters: number;
}

export interface RolloutDifficulty {
  file_rollouts: number;
  pass_threshold: number;
  definitions: typeof ROLLOUT_DEFINITIONS;
  by_dataset: RolloutGroupStats[];
  by_domain: RolloutGroupStats[];
  steps: Array<{ step: string; groups: number; zero_variance_share: number }>;
  drpo_illustrative: DrpoTemperature[];
}

class GroupAccumulator {
  rollouts = 0;
  groups = 0;
  rewardSum = 0;
  passes = 0;
  varianceSum = 0;
  varianceGroups = 0;
  flatGroups = 0;
  readonly componentSums = new Map<string, { sum: number; count: number }>();
  readonly bins = new Map<number, number>();

  addGroup(rewards: readonly number[], accuracies: ReadonlyArray<number | null>, components: ReadonlyArray<Record<string, number>>, threshold: number): void {
    this.groups++;
    const n = rewards.length;
    let mean = 0;
    for (let i = 0; i < n; i++) {
      const reward = rewards[i];
      this.rollouts++;
      this.rewardSum += reward;
      mean += reward / n;
      if ((accuracies[i] ?? reward) >= threshold) this.passes++;
      const bin = Math.floor(reward / REWARD_BIN_WIDTH + 1e-9);
      this.bins.set(bin, (this.bins.get(bin) ?? 0) + 1);
      for (const [name, value] of Object.entries(components[i])) {
        const entry = this.componentSums.get(name) ?? { sum: 0, count: 0 };
        entry.sum += value;
        entry.count++;
        this.componentSums.set(name, entry);
      }
    }
    if (rewards.every((r) => r === rewards[0])) this.flatGroups++;
    if (n > 1) {
      let squares = 0;
      for (const reward of rewards) squares += (reward - mean) ** 2;
      this.varianceSum += squares / (n - 1);
      this.varianceGroups++;
    }
  }

  result(key: string): RolloutGroupStats {
    return {
      key,
      rollouts: this.rollouts,
      groups: this.groups,
      mean_reward: round6(this.rewardSum / this.rollouts),
      mean_components: Object.fromEntries([...this.componentSums].sort((a, b) => a[0].localeCompare(b[0])).map(([name, { sum, count }]) => [name, round6(sum / count)])),
      pass_rate: round6(this.passes / this.rollouts),
      within_group_variance: this.varianceGroups > 0 ? round6(this.varianceSum / this.varianceGroups) : null,
      zero_variance_share: round6(this.flatGroups / this.groups),
      reward_histogram: [...this.bins].sort((a, b) => a[0] - b[0]).map(([bin, rollouts]) => ({ bin_start: round6(bin * REWARD_BIN_WIDTH), rollouts })),
    };
  }
}

interface PendingGroup {
  datasetKey: string;
  domain: string;
  rewards: number[];
  accuracies: Array<number | null>;
  components: Array<Record<string, number>>;
}

function componentsOf(record: Record<string, unknown>): Record<string, number> {
  const source = typeof record.components === 'object' && record.components !== null && !Array.isArray(record.components) ? (record.components as Record<string, unknown>) : record;
  const components: Record<string, number> = {};
  for (const name of REWARD_COMPONENTS) {
    const value = source[name];
    if (typeof value === 'number' && Number.isFinite(value)) components[name] = value;
  }
  return components;
}

/** Streams `path` and returns the reward-based difficulty; UsageError (exit 2) naming the file and line on bad input. */
export async function rolloutDifficulty(path: string, options: { passThreshold?: number } = {}): Promise<RolloutDifficulty> {
  const threshold = options.passThreshold ?? 0.5;
  const byDataset = new Map<string, GroupAccumulator>();
  const byDomain = new Map<string, GroupAccumulator>();
  const steps: RolloutDifficulty['steps'] = [];
  const drpo = new DrpoEstimator({ mode: 'fixed', seed: 0 });
  const temperatures = new Map<string, DrpoTemperature>();
  const seenSteps = new Set<string>();
  let currentStep: string | undefined;
  let pending = new Map<string, PendingGroup>();
  let lineNumber = 0;
  let rollouts = 0;
  const bad = (message: string): UsageError => new UsageError(`${path}: line ${lineNumber}: ROLLOUTS_INVALID: ${message}`, 'ROLLOUTS_INVALID');

  const flush = (): void => {
    if (currentStep === undefined || pending.size === 0) return;
    const groups = [...pending.values()];
    let flat = 0;
    for (const group of groups) {
      for (const [map, key] of [[byDataset, group.datasetKey], [byDomain, group.domain]] as const) {
        let accumulator = map.get(key);
        if (!accumulator) map.set(key, (accumulator = new GroupAccumulator()));
        accumulator.addGroup(group.rewards, group.accuracies, group.components, threshold);
      }
      if (group.rewards.every((r) => r === group.rewards[0])) flat++;
    }
    steps.push({ step: currentStep, groups: groups.length, zero_variance_share: round6(flat / groups.length) });
    const questions: QuestionRollouts[] = groups.map((group) => ({ domainKey: group.datasetKey, rewards: group.rewards }));
    let result;
    try {
      result = drpo.stepBatch(questions);
    } catch (error) {
      throw bad(`step ${currentStep}: ${error instanceof Error ? error.message : String(error)}`);
    }
    for (const [key, diagnostics] of Object.entries(result.domains)) {
      temperatures.set(key, {
        dataset_key: key,
        last_step: currentStep,
        question_count: diagnostics.questionCount,
        domain_mean: round6(diagnostics.domainMean),
        domain_temperature: round6(diagnostics.domainTemperature),
        clusters: diagnostics.k,
      });
    }
    pending = new Map();
  };

  let input;
  try {
    input = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
    for await (const text of input) {
      lineNumber++;
      if (text.trim() === '') continue;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(text) as Record<string, unknown>;
      } catch {
        throw bad('not JSON');
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) throw bad('not a JSON object');
      for (const field of ['step', 'question_id', 'dataset_key', 'domain']) if (!(field in record)) throw bad(`no "${field}"`);
      if (typeof record.dataset_key !== 'string' || typeof record.domain !== 'string') throw bad('"dataset_key" and "domain" must be strings');
      if (typeof record.reward !== 'number' || !Number.isFinite(record.reward)) throw bad('"reward" must be a finite number');
      const step = JSON.stringify(record.step);
      if (step !== currentStep) {
        flush();
        if (currentStep !== undefined) seenSteps.add(currentStep);
        if (seenSteps.has(step)) throw bad(`step ${step} appears again after another step: a step's rollouts must be contiguous`);
        currentStep = step;
      }
      const groupKey = JSON.stringify(record.question_id);
      let group = pending.get(groupKey);
      if (!group) pending.set(groupKey, (group = { datasetKey: record.dataset_key, domain: record.domain, rewards: [], accuracies: [], components: [] }));
      const components = componentsOf(record);
      group.rewards.push(record.reward);
      group.accuracies.push(components.accuracy ?? null);
      group.components.push(components);
      rollouts++;
    }
    flush();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${path}: ROLLOUTS_UNREADABLE: ${error instanceof Error ? error.message : String(error)}`, 'ROLLOUTS_UNREADABLE');
  } finally {
    input?.close();
  }
  if (rollouts === 0) throw new UsageError(`${path}: ROLLOUTS_INVALID: the rollout log has no records`, 'ROLLOUTS_INVALID');
  const sorted = (map: Map<string, GroupAccumulator>): RolloutGroupStats[] => [...map].sort((a, b) => a[0].localeCompare(b[0])).map(([key, acc]) => acc.result(key));
  return {
    file_rollouts: rollouts,
    pass_threshold: threshold,
    definitions: ROLLOUT_DEFINITIONS,
    by_dataset: sorted(byDataset),
    by_domain: sorted(byDomain),
    steps,
    drpo_illustrative: [...temperatures.values()].sort((a, b) => a.dataset_key.localeCompare(b.dataset_key)),
  };
}
