// trainer:replay (design.md "A training run folder"): a rollout log — one JSON object per rollout with
// `step`, `question_id`, a domain key and `reward`, any other fields kept — replayed through an
// advantage estimator step by step. A group is (step, question_id) in file order; only one step is
// held in memory at a time.
import { createReadStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { DrpoEstimator, type DrpoMode } from './drpo-advantage';
import { grpoAdvantages, type QuestionRollouts } from './grpo-advantage';

export type ReplayEstimator = 'drpo' | 'grpo';

export interface ReplayOptions {
  readonly estimator?: ReplayEstimator;
  readonly mode?: DrpoMode;
  readonly seed?: number;
  /** The record field DRPO groups domains by; default `dataset_key`, or `domain` when the first record has no `dataset_key`. */
  readonly domainKey?: 'dataset_key' | 'domain';
}

/** An unusable rollout log: bad JSON, a missing field, steps out of order. Maps to exit code 2. */
export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';
  constructor(
    readonly code: 'REPLAY_BAD_JSON' | 'REPLAY_MISSING_FIELD' | 'REPLAY_BAD_REWARD' | 'REPLAY_STEP_ORDER' | 'REPLAY_UNEQUAL_GROUPS' | 'REPLAY_EMPTY',
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
  }
}

export const REPLAY_FIELDS = ['group_normalized_reward', 'domain_temperature', 'cluster_temperature', 'cluster_id', 'advantage'] as const;

interface PendingRollout {
  readonly text: string;
  readonly record: Record<string, unknown>;
  readonly group: number;
  readonly indexInGroup: number;
}

/** The output line: the input text with the replay fields appended (re-serialized only if it already has them). */
function withFields(text: string, record: Record<string, unknown>, fields: Record<string, number | null>): string {
  const json = (value: number | null): string => JSON.stringify(value);
  if (REPLAY_FIELDS.some((field) => field in record)) return JSON.stringify({ ...record, ...fields });
  const trimmed = text.trimEnd();
  const body = trimmed.slice(0, trimmed.lastIndexOf('}'));
  const additions = REPLAY_FIELDS.map((field) => `${JSON.stringify(field)}:${json(fields[field])}`).join(',');
  return `${body}${Object.keys(record).length > 0 ? ',' : ''}${additions}}`;
}

/** Streams replayed lines for the lines of a rollout log. */
export async function* replayRolloutLines(lines: AsyncIterable<string>, options: ReplayOptions = {}): AsyncGenerator<string> {
  const estimator = options.estimator ?? 'drpo';
  const drpo = new DrpoEstimator({ mode: options.mode ?? 'fixed', seed: options.seed ?? 0 });
  let domainField = options.domainKey;
  let lineNumber = 0;
  let currentStep: string | undefined;
  const finishedSteps = new Set<string>();
  let pending: PendingRollout[] = [];
  let groups: Array<{ domainKey: string; rewards: number[] }> = [];
  let groupIndex = new Map<string, number>();
  let startLine = 0;

  const flush = function* (): Generator<string> {
    if (pending.length === 0) return;
    const sizes = new Set(groups.map((g) => g.rewards.length));
    if (sizes.size > 1) {
      throw new ReplayInputError('REPLAY_UNEQUAL_GROUPS', `step ${currentStep} has groups of sizes ${[...sizes].join(', ')}: every question needs the same number of rollouts`, startLine);
    }
    const questions: QuestionRollouts[] = groups;
    const n = groups[0].rewards.length;
    let advantages: Float64Array;
    let normalized: Float64Array;
    let domainTemperature: ArrayLike<number> | undefined;
    let clusterTemperature: ArrayLike<number> | undefined;
    let clusterId: ArrayLike<number> | undefined;
    if (estimator === 'grpo') {
      normalized = grpoAdvantages(questions);
      advantages = normalized;
    } else {
      const result = drpo.stepBatch(questions);
      ({ advantages, groupNormalizedRewards: normalized, domainTemperature, clusterTemperature, clusterId } = result);
    }
    const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);
    for (const rollout of pending) {
      const flat = rollout.group * n + rollout.indexInGroup;
      yield withFields(rollout.text, rollout.record, {
        group_normalized_reward: finite(normalized[flat]),
        domain_temperature: domainTemperature ? finite(domainTemperature[rollout.group]) : 1,
        cluster_temperature: clusterTemperature ? finite(clusterTemperature[rollout.group]) : 1,
        cluster_id: clusterId ? clusterId[rollout.group] : null,
        advantage: finite(advantages[flat]),
      });
    }
    pending = [];
    groups = [];
    groupIndex = new Map();
  };

  for await (const text of lines) {
    lineNumber++;
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      throw new ReplayInputError('REPLAY_BAD_JSON', 'not a JSON value', lineNumber);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new ReplayInputError('REPLAY_BAD_JSON', 'not a JSON object', lineNumber);
    }
    const fields = record as Record<string, unknown>;
    for (const field of ['step', 'question_id', 'reward']) {
      if (!(field in fields)) throw new ReplayInputError('REPLAY_MISSING_FIELD', `no "${field}"`, lineNumber);
    }
    domainField ??= 'dataset_key' in fields ? 'dataset_key' : 'domain';
    if (typeof fields[domainField] !== 'string') {
      throw new ReplayInputError('REPLAY_MISSING_FIELD', `no string "${domainField}" (choose the key with --domain-key=dataset_key|domain)`, lineNumber);
    }
    if (typeof fields.reward !== 'number' || !Number.isFinite(fields.reward)) {
      throw new ReplayInputError('REPLAY_BAD_REWARD', '"reward" must be a finite number', lineNumber);
    }
    const step = JSON.stringify(fields.step);
    if (step !== currentStep) {
      yield* flush();
      if (currentStep !== undefined) finishedSteps.add(currentStep);
      if (finishedSteps.has(step)) {
        throw new ReplayInputError('REPLAY_STEP_ORDER', `step ${step} appears again after another step: the rollouts of a step must be contiguous`, lineNumber);
      }
      currentStep = step;
      startLine = lineNumber;
    }
    const groupKey = JSON.stringify(fields.question_id);
    let group = groupIndex.get(groupKey);
    if (group === undefined) {
      group = groups.length;
      groupIndex.set(groupKey, group);
      groups.push({ domainKey: fields[domainField] as string, rewards: [] });
    }
    groups[group].rewards.push(fields.reward);
    pending.push({ text, record: fields, group, indexInGroup: groups[group].rewards.length - 1 });
  }
  if (lineNumber === 0 || currentStep === undefined) throw new ReplayInputError('REPLAY_EMPTY', 'the rollout log has no records');
  yield* flush();
}

export interface ReplaySummary {
  readonly rollouts: number;
}

/**
 * Replays `inputPath` into `outputPath`, complete or absent: written under a temporary name beside the
 * output and renamed at the end; on any error the temporary file is removed and nothing is written.
 */
export async function replayRolloutFile(inputPath: string, outputPath: string, options: ReplayOptions = {}): Promise<ReplaySummary> {
  const temporary = join(dirname(outputPath), `.${basename(outputPath)}.${process.pid}.tmp`);
  const output = await open(temporary, 'w');
  // No await between creating the reader and iterating it: readline emits lines as soon as the file is
  // read, and lines emitted before the async iterator is attached are lost (seen as an "empty" log).
  const input = createInterface({ input: createReadStream(inputPath, { encoding: 'utf8' }), crlfDelay: Infinity });
  let rollouts = 0;
  try {
    let buffer = '';
    for await (const line of replayRolloutLines(input, options)) {
      buffer += line + '\n';
      rollouts++;
      if (buffer.length > 1 << 20) {
        await output.write(buffer);
        buffer = '';
      }
    }
    await output.write(buffer);
    await output.close();
    await rename(temporary, outputPath);
  } catch (error) {
    await output.close().catch(() => undefined);
    await rm(temporary, { force: true });
    input.close();
    throw error;
  }
  return { rollouts };
}
