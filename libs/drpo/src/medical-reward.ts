// The reward of one completion (QoQ-Med §3; the code's medical_compute_score), every component returned.
import { accuracyReward } from './accuracy-reward';
import { formatReward } from './format-reward';
import { iouReward, type Box, type GoldMask, type IouAggregation, type RewardMode } from './iou-reward';
import { codePointLength } from './python-text';

export interface RewardWeights {
  readonly accuracy: number;
  readonly iou: number;
  readonly format: number;
  readonly length: number;
}

/** The released code's weights (medical.py). */
export const CODE_REWARD_WEIGHTS: RewardWeights = { accuracy: 0.5, iou: 0.3, format: 0.1, length: 0.1 };
/** The paper's 0.6 / 0.2 / 0.2 (accuracy, IoU, format; no length term). */
export const PAPER_REWARD_WEIGHTS: RewardWeights = { accuracy: 0.6, iou: 0.2, format: 0.2, length: 0 };

export interface RewardOptions {
  /** `fixed` (default): never throws, scores every predicted box; `code`: bit-for-bit the released code. */
  readonly mode?: RewardMode;
  readonly weights?: RewardWeights;
  /** How several predicted boxes combine: `mean` (code) or `max` (paper). */
  readonly iou?: IouAggregation;
}

export interface RewardTarget {
  /** Gold labels joined by ", " (the record's `answer`). */
  readonly answer: string;
  readonly goldBox?: Box | null;
  readonly goldMask?: GoldMask | null;
}

export interface RewardComponents {
  readonly overall: number;
  /** Set-F1 of the boxed labels (the code's `standard_score`). */
  readonly accuracy: number;
  readonly iou: number;
  readonly format: number;
  readonly length: number;
}

/** 1 above 600 characters (code points, as Python's len), else 0.001 × the length. */
export function lengthReward(completion: string): number {
  const length = codePointLength(completion);
  return length > 600 ? 1 : 0.001 * length;
}

/**
 * The reward of a completion. Throws RewardComputationError only in `code` mode, where the released
 * code raises (golden err-001, err-002); `fixed` returns a value for every string.
 */
export function computeReward(completion: string, target: RewardTarget, options: RewardOptions = {}): RewardComponents {
  const mode = options.mode ?? 'fixed';
  const weights = options.weights ?? CODE_REWARD_WEIGHTS;
  const accuracy = accuracyReward(completion, target.answer);
  const iou = iouReward(completion, {
    mode,
    aggregation: options.iou ?? 'mean',
    goldBox: target.goldBox,
    goldMask: target.goldMask,
  });
  const format = formatReward(completion);
  const length = lengthReward(completion);
  let overall: number;
  if (iou.float32) {
    // The mask path returns a float32 tensor; each Python float meets it as a float32 (torch's type
    // promotion), so the sum is float32 throughout.
    const f = Math.fround;
    overall = f(f(weights.accuracy * accuracy) + f(f(weights.iou) * iou.iou));
    overall = f(overall + f(weights.format * format));
    overall = f(overall + f(weights.length * length));
  } else {
    overall = weights.accuracy * accuracy + weights.iou * iou.iou + weights.format * format + weights.length * length;
  }
  return { overall, accuracy, iou: iou.iou, format, length };
}
