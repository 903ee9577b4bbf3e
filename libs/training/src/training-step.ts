// One training step (QoQ-Med §2; issue 10 "The loop"): n rollouts per question sampled at temperature 1,
// their rewards, the old (sampling) and reference log-probs, the advantages of the run's estimator, then
// the rollout batch split into mini-batches — at least two, so the second update sees a ratio ≠ 1 and
// the clipped objective acts — each one policy.update. The supervised arm replaces all of it by
// cross-entropy updates towards the gold answers.
import { lowVarKl, responseKl, type RewardComponents } from '@qoq/drpo';
import type { Completion, PolicyQuestion, PolicyUpdateBatch, PolicyUpdateMetrics, PolicyUpdateOptions, TrainablePolicy } from '@qoq/policy';
import type { AdvantageEstimator } from './advantage-estimator';
import type { TrainingExample } from './corpus-loader';
import type { GoldMaskStore } from './gold-mask-store';
import { randomStream, shuffleInPlace } from './question-sampler';
import { maskBoundingBox, rolloutRewards } from './rollout-rewards';
import type { TrainerConfig } from './trainer-config';

export const REWARD_COMPONENT_NAMES = ['overall', 'accuracy', 'iou', 'format', 'length'] as const;
type ComponentMeans = Record<(typeof REWARD_COMPONENT_NAMES)[number], number>;

/** One line of rollouts.jsonl: the input of stats:difficulty --rollouts and trainer:replay. */
export interface RolloutRecord {
  step: number;
  question_id: string;
  domain: string;
  dataset_key: string;
  rollout: number;
  reward: number;
  accuracy: number;
  iou: number;
  format: number;
  length: number;
  advantage: number;
  tokens: number;
}

export interface StepOutcome {
  /** One line of metrics.jsonl (deterministic: no timings). */
  readonly metrics: Record<string, unknown>;
  readonly rollouts: RolloutRecord[];
  /** One line of timings.jsonl (milliseconds). */
  readonly timings: Record<string, number>;
  /** For the progress line. */
  readonly summary: { reward: number; accuracy: number; loss: number; clipFraction: number; kl: number };
}

export interface StepContext {
  readonly config: TrainerConfig;
  readonly policy: TrainablePolicy;
  readonly estimator: AdvantageEstimator;
  readonly masks: GoldMaskStore;
  readonly now: () => number;
}

/** The learning rate of a step: linear warm-up over `warmupSteps`, then constant. */
export function learningRateAt(config: TrainerConfig, step: number): number {
  const { learningRate, warmupSteps } = config.optimizer;
  return warmupSteps > 0 ? learningRate * Math.min(1, step / warmupSteps) : learningRate;
}

export function updateOptions(config: TrainerConfig, step: number): PolicyUpdateOptions {
  return {
    learningRate: learningRateAt(config, step),
    weightDecay: config.optimizer.weightDecay,
    maxGradNorm: config.optimizer.maxGradNorm,
    clipRatioLow: config.loss.clipRatioLow,
    clipRatioHigh: config.loss.clipRatioHigh,
    clipRatioDual: config.loss.clipRatioDual,
    klCoefficient: config.loss.klCoefficient,
  };
}

function componentMeans(rewards: readonly RewardComponents[]): ComponentMeans {
  const means = { overall: 0, accuracy: 0, iou: 0, format: 0, length: 0 };
  for (const reward of rewards) for (const name of REWARD_COMPONENT_NAMES) means[name] += reward[name];
  for (const name of REWARD_COMPONENT_NAMES) means[name] = rewards.length > 0 ? means[name] / rewards.length : 0;
  return means;
}

function describe(values: ArrayLike<number>): { mean: number; std: number; min: number; max: number; mean_abs: number } {
  let sum = 0;
  let abs = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    abs += Math.abs(values[i]);
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) ** 2;
  return { mean, std: values.length > 1 ? Math.sqrt(squares / (values.length - 1)) : 0, min, max, mean_abs: abs / values.length };
}

/** Mean of the update metrics over the mini-batch updates of a step, and the largest gradient norm. */
function meanUpdateMetrics(updates: readonly PolicyUpdateMetrics[]): Record<string, number> {
  const keys = ['loss', 'policyLoss', 'klLoss', 'clipFraction', 'dualClipFraction', 'gradNorm', 'entropy'] as const;
  const names: Record<(typeof keys)[number], string> = {
    loss: 'loss',
    policyLoss: 'policy_loss',
    klLoss: 'kl_loss',
    clipFraction: 'clip_fraction',
    dualClipFraction: 'dual_clip_fraction',
    gradNorm: 'grad_norm',
    entropy: 'entropy',
  };
  const result: Record<string, number> = {};
  for (const key of keys) result[names[key]] = updates.reduce((sum, update) => sum + update[key], 0) / updates.length;
  result.grad_norm_max = Math.max(...updates.map((update) => update.gradNorm));
  result.tokens = updates.reduce((sum, update) => sum + update.tokens, 0);
  result.updates = updates.length;
  return result;
}

/** The mini-batch of completions `members`: only the questions they answer, re-indexed. */
function miniBatch(
  questions: readonly PolicyQuestion[],
  completions: readonly Completion[],
  questionIndex: Int32Array,
  oldLogProbs: readonly Float32Array[],
  refLogProbs: readonly Float32Array[],
  advantages: Float64Array,
  members: readonly number[],
): PolicyUpdateBatch {
  const remap = new Map<number, number>();
  const subsetQuestions: PolicyQuestion[] = [];
  const subsetIndex = new Int32Array(members.length);
  members.forEach((member, i) => {
    const q = questionIndex[member];
    let local = remap.get(q);
    if (local === undefined) {
      local = subsetQuestions.length;
      remap.set(q, local);
      subsetQuestions.push(questions[q]);
    }
    subsetIndex[i] = local;
  });
  return {
    questions: subsetQuestions,
    completions: members.map((m) => completions[m]),
    questionIndex: subsetIndex,
    oldLogProbs: members.map((m) => oldLogProbs[m]),
    refLogProbs: members.map((m) => refLogProbs[m]),
    advantages: Float64Array.from(members, (m) => advantages[m]),
  };
}

/** Splits 0..count−1 (shuffled with `random`) into `parts` nearly equal mini-batches. */
export function miniBatchMembers(count: number, parts: number, random: () => number): number[][] {
  const order = shuffleInPlace(Array.from({ length: count }, (_, i) => i), random);
  const batches: number[][] = [];
  for (let p = 0; p < parts; p++) batches.push(order.slice(Math.floor((p * count) / parts), Math.floor(((p + 1) * count) / parts)));
  return batches.filter((batch) => batch.length > 0);
}

/** One rollout step of the RL estimators on the examples of the batch. */
export async function rolloutStep(context: StepContext, step: number, examples: readonly TrainingExample[]): Promise<StepOutcome> {
  const { config, policy, estimator, masks, now } = context;
  const n = config.batch.rollouts;
  const questions = examples.map((example) => example.question);
  const started = now();
  const completions = await policy.sample(questions, n, randomStream(config.seed, 'rollout', step));
  const sampled = now();
  const rewards = await rolloutRewards(examples, completions, n, masks, config);
  const rewarded = now();
  const questionIndex = Int32Array.from(completions, (_, i) => Math.floor(i / n));
  const oldLogProbs = completions.map((completion) => completion.logProbs);
  const refLogProbs = await policy.referenceLogProbs(questions, completions, questionIndex);
  const referenced = now();

  const klPerCompletion = Float64Array.from(completions, (_, i) => responseKl(oldLogProbs[i], refLogProbs[i]));
  let klTokens = 0;
  let klSum = 0;
  completions.forEach((_, i) => {
    for (let t = 0; t < oldLogProbs[i].length; t++) klSum += lowVarKl(oldLogProbs[i][t], refLogProbs[i][t]);
    klTokens += oldLogProbs[i].length;
  });
  const groups = examples.map((example, q) => ({ domainKey: estimator.keyOf(example), rewards: rewards.slice(q * n, q * n + n).map((reward) => reward.overall) }));
  const advantage = estimator.step(groups, klPerCompletion);
  const estimated = now();

  const updates: PolicyUpdateMetrics[] = [];
  const options = updateOptions(config, step);
  for (let epoch = 0; epoch < config.batch.epochs; epoch++) {
    for (const members of miniBatchMembers(completions.length, config.batch.miniBatches, randomStream(config.seed, 'minibatch', step, epoch))) {
      updates.push(await policy.update(miniBatch(questions, completions, questionIndex, oldLogProbs, refLogProbs, advantage.advantages, members), options));
    }
  }
  const updated = now();

  const byDomain = new Map<string, RewardComponents[]>();
  const byDataset = new Map<string, RewardComponents[]>();
  examples.forEach((example, q) => {
    for (const [map, key] of [[byDomain, example.domain], [byDataset, example.datasetKey]] as const) {
      const list = map.get(key) ?? [];
      map.set(key, list);
      list.push(...rewards.slice(q * n, q * n + n));
    }
  });
  const grouped = (map: Map<string, RewardComponents[]>) =>
    Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, list]) => [key, { rollouts: list.length, ...componentMeans(list) }]));
  const flatGroups = groups.filter((group) => group.rewards.every((reward) => reward === group.rewards[0])).length;
  const update = meanUpdateMetrics(updates);
  const means = componentMeans(rewards);
  const metrics = {
    step,
    learning_rate: options.learningRate,
    questions: examples.length,
    rollouts: completions.length,
    reward: means,
    reward_by_domain: grouped(byDomain),
    reward_by_dataset: grouped(byDataset),
    zero_variance_share: flatGroups / groups.length,
    advantage: describe(advantage.advantages),
    kl_old_ref: klTokens > 0 ? klSum / klTokens : 0,
    completion_tokens: klTokens / completions.length,
    update,
    drpo: advantage.temperatures === null ? null : { batch_std: advantage.batchStd, temperatures: advantage.temperatures },
  };
  const rollouts: RolloutRecord[] = completions.map((completion, i) => {
    const example = examples[Math.floor(i / n)];
    const reward = rewards[i];
    return {
      step,
      question_id: example.id,
      domain: example.domain,
      dataset_key: example.datasetKey,
      rollout: i % n,
      reward: reward.overall,
      accuracy: reward.accuracy,
      iou: reward.iou,
      format: reward.format,
      length: reward.length,
      advantage: advantage.advantages[i],
      tokens: completion.tokens.length,
    };
  });
  const timings = {
    step,
    sample_ms: sampled - started,
    reward_ms: rewarded - sampled,
    reference_ms: referenced - rewarded,
    advantage_ms: estimated - referenced,
    update_ms: updated - estimated,
    step_ms: updated - started,
  };
  return {
    metrics,
    rollouts,
    timings,
    summary: { reward: means.overall, accuracy: means.accuracy, loss: update.loss, clipFraction: update.clip_fraction, kl: metrics.kl_old_ref },
  };
}

/** One step of the supervised arm: cross-entropy updates towards the gold labels and boxes, no rollouts. */
export async function supervisedStep(context: StepContext, step: number, examples: readonly TrainingExample[]): Promise<StepOutcome> {
  const { config, policy, masks, now } = context;
  const started = now();
  const boxes: Array<readonly [number, number, number, number] | null> = [];
  for (const example of examples) {
    if (example.goldBox !== null) boxes.push(example.goldBox);
    else if (example.maskPath !== null) boxes.push(maskBoundingBox(await masks.get(example.maskPath)));
    else boxes.push(null);
  }
  const prepared = now();
  const options = updateOptions(config, step);
  const updates: PolicyUpdateMetrics[] = [];
  for (let epoch = 0; epoch < config.batch.epochs; epoch++) {
    for (const members of miniBatchMembers(examples.length, Math.min(config.batch.miniBatches, examples.length), randomStream(config.seed, 'minibatch', step, epoch))) {
      updates.push(
        await policy.supervisedUpdate(
          members.map((m) => examples[m].question),
          members.map((m) => examples[m].labels),
          members.map((m) => boxes[m]),
          options,
        ),
      );
    }
  }
  const updated = now();
  const update = meanUpdateMetrics(updates);
  return {
    metrics: { step, learning_rate: options.learningRate, questions: examples.length, update },
    rollouts: [],
    timings: { step, target_ms: prepared - started, update_ms: updated - prepared, step_ms: updated - started },
    summary: { reward: Number.NaN, accuracy: Number.NaN, loss: update.loss, clipFraction: 0, kl: 0 },
  };
}
