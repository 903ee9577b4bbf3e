// GRPO's group normalization (QoQ-Med §2.1): s = (r − mean(group)) / (std(group) + 1e-6), Bessel's std.

/** The rollouts of one question in one step: its n rewards, and the key DRPO groups it under. */
export interface QuestionRollouts {
  readonly domainKey: string;
  readonly rewards: ArrayLike<number>;
}

export const GRPO_EPSILON = 1e-6;

/** A batch whose questions do not all have the same number of rollouts. */
export class GroupSizeError extends Error {
  override readonly name = 'GroupSizeError';
  readonly code = 'DRPO_UNEQUAL_GROUPS';
}

/** The common group size n; throws GroupSizeError on an empty batch or unequal groups. */
export function commonGroupSize(questions: readonly QuestionRollouts[]): number {
  if (questions.length === 0) throw new GroupSizeError('the batch has no questions');
  const n = questions[0].rewards.length;
  if (n === 0) throw new GroupSizeError('a question has no rollouts');
  questions.forEach((question, index) => {
    if (question.rewards.length !== n) {
      throw new GroupSizeError(
        `question ${index} (${question.domainKey}) has ${question.rewards.length} rollouts, the first has ${n}: ` +
          'DRPO clusters reward vectors of one length, so every question needs the same number of rollouts',
      );
    }
  });
  return n;
}

/** Unbiased (n − 1) standard deviation; NaN for fewer than two values, as torch.std. */
export function besselStd(values: ArrayLike<number>, start = 0, end = values.length): number {
  const n = end - start;
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (let i = start; i < end; i++) mean += values[i];
  mean /= n;
  let squares = 0;
  for (let i = start; i < end; i++) squares += (values[i] - mean) * (values[i] - mean);
  return Math.sqrt(squares / (n - 1));
}

/**
 * Group-normalized rewards, flat and question-major. A one-rollout group gets mean 0 and std 1, as in
 * veRL's compute_grpo_outcome_advantage; a group of equal rewards gets 0 (no signal).
 */
export function groupNormalizedRewards(questions: readonly QuestionRollouts[]): Float64Array {
  const n = commonGroupSize(questions);
  const scores = new Float64Array(questions.length * n);
  questions.forEach((question, q) => {
    let mean = 0;
    let std = 1;
    // Equal rewards carry no signal: exactly 0, not the rounding error of their mean over 1e-6.
    if (n > 1 && Array.prototype.every.call(question.rewards, (r: number) => r === question.rewards[0])) {
      scores.fill(0, q * n, q * n + n);
      return;
    }
    if (n > 1) {
      for (let i = 0; i < n; i++) mean += question.rewards[i];
      mean /= n;
      std = besselStd(question.rewards);
    }
    for (let i = 0; i < n; i++) scores[q * n + i] = (question.rewards[i] - mean) / (std + GRPO_EPSILON);
  });
  return scores;
}

/** GRPO (QoQ-Med §2.7): the advantage is the group-normalized reward itself. */
export function grpoAdvantages(questions: readonly QuestionRollouts[]): Float64Array {
  return groupNormalizedRewards(questions);
}
