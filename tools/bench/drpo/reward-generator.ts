// Rewards as DRPO sees them in training: per rollout 0.5·set-F1 + 0.3·IoU + 0.1·format + 0.1·length
// (the code's weights), each component on the values it really takes — set-F1 of small label sets,
// IoU only where the dataset has boxes, the format grid, long answers — over 30 dataset keys of unequal
// frequency (rare) and skill (hard).
import { mulberry32, type QuestionRollouts } from '@qoq/drpo';

const F1_VALUES = [0, 1 / 3, 0.4, 0.5, 2 / 3, 0.8, 1];
const IOU_VALUES = [0, 0.25, 0.5, 0.75];
const FORMAT_VALUES = [1, 1, 1, 1, 0.9, 0.6, 0.30000000000000004];

export interface DomainProfile {
  readonly key: string;
  readonly frequency: number;
  readonly skill: number;
  readonly hasBoxes: boolean;
  readonly multiLabel: boolean;
}

export function domainProfiles(count: number, random: () => number): DomainProfile[] {
  return Array.from({ length: count }, (_, i) => ({
    key: `domain-${String(i).padStart(2, '0')}`,
    // Zipf-like: the corpus is dominated by a few datasets (RSPECT alone is ~70 %).
    frequency: 1 / (i + 1) ** 1.1,
    skill: 0.15 + 0.75 * random(),
    hasBoxes: i % 3 === 0,
    multiLabel: i % 4 === 0,
  }));
}

export function rewardBatch(profiles: DomainProfile[], questions: number, rollouts: number, random: () => number): QuestionRollouts[] {
  const total = profiles.reduce((sum, p) => sum + p.frequency, 0);
  const pick = (): DomainProfile => {
    let target = random() * total;
    for (const profile of profiles) if ((target -= profile.frequency) < 0) return profile;
    return profiles[profiles.length - 1];
  };
  return Array.from({ length: questions }, () => {
    const profile = pick();
    // A question's difficulty moves all its rollouts together.
    const p = Math.min(0.98, Math.max(0.02, profile.skill + 0.3 * (random() - 0.5)));
    const rewards = Array.from({ length: rollouts }, () => {
      const f1 = profile.multiLabel ? F1_VALUES[Math.min(F1_VALUES.length - 1, Math.floor(p * F1_VALUES.length + random() * 2))] : random() < p ? 1 : 0;
      const iou = profile.hasBoxes ? IOU_VALUES[Math.floor(random() * IOU_VALUES.length)] : 0;
      const format = FORMAT_VALUES[Math.floor(random() * FORMAT_VALUES.length)];
      return 0.5 * f1 + 0.3 * iou + 0.1 * format + 0.1 * 1;
    });
    return { domainKey: profile.key, rewards };
  });
}

export { mulberry32 };
