// The reward of every completion of a rollout batch (QoQ-Med §3, @qoq/drpo computeReward) against the
// row's gold answer, gold box (pixels of images[0]) and gold mask.
import { CODE_REWARD_WEIGHTS, PAPER_REWARD_WEIGHTS, computeReward, type Box, type GoldMask, type RewardComponents, type RewardOptions } from '@qoq/drpo';
import type { Completion } from '@qoq/policy';
import type { TrainingExample } from './corpus-loader';
import type { GoldMaskStore } from './gold-mask-store';
import type { TrainerConfig } from './trainer-config';

export function rewardOptions(config: TrainerConfig): RewardOptions {
  return { mode: config.reward.mode, weights: config.reward.weights === 'paper' ? PAPER_REWARD_WEIGHTS : CODE_REWARD_WEIGHTS, iou: config.reward.iou };
}

/** Rewards of `completions` (question-major, `rollouts` per question) for the batch's examples. */
export async function rolloutRewards(
  examples: readonly TrainingExample[],
  completions: readonly Completion[],
  rollouts: number,
  masks: GoldMaskStore,
  config: TrainerConfig,
): Promise<RewardComponents[]> {
  if (completions.length !== examples.length * rollouts) {
    throw new Error(`the policy returned ${completions.length} completions for ${examples.length} questions × ${rollouts} rollouts`);
  }
  const options = rewardOptions(config);
  const rewards: RewardComponents[] = [];
  for (let q = 0; q < examples.length; q++) {
    const example = examples[q];
    const goldMask: GoldMask | null = example.maskPath === null ? null : await masks.get(example.maskPath);
    const target = { answer: example.answer, goldBox: example.goldBox, goldMask };
    for (let r = 0; r < rollouts; r++) rewards.push(computeReward(completions[q * rollouts + r].text, target, options));
  }
  return rewards;
}

/** The bounding box of a mask's foreground (for the supervised target of mask-only rows), or null. */
export function maskBoundingBox(mask: GoldMask): Box | null {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      if (mask.pixels[y * mask.width + x] > 0) {
        if (x < x1) x1 = x;
        if (x > x2) x2 = x;
        if (y < y1) y1 = y;
        if (y > y2) y2 = y;
      }
    }
  }
  return x2 < 0 ? null : [x1, y1, x2, y2];
}
