// difficulty.json of stats:difficulty (design.md "Statistics"): label proxies always, reward-based
// figures when a rollout log is given.
import type { DatasetTally } from './corpus-tally';
import {
  LABEL_DIFFICULTY_DEFINITIONS,
  datasetLabelDifficulty,
  domainLabelDifficulty,
  type DatasetLabelDifficulty,
  type DomainLabelDifficulty,
} from './label-difficulty';
import type { RarityReport } from './rarity';
import type { RolloutDifficulty } from './rollout-difficulty';

export interface DifficultyReport {
  corpus: RarityReport['corpus'];
  definitions: typeof LABEL_DIFFICULTY_DEFINITIONS;
  label_proxies: { by_dataset: DatasetLabelDifficulty[]; by_domain: DomainLabelDifficulty[] };
  /** Null without --rollouts. */
  rollouts: RolloutDifficulty | null;
}

export function computeDifficulty(tallies: readonly DatasetTally[], corpus: RarityReport['corpus'], rollouts: RolloutDifficulty | null): DifficultyReport {
  const byDataset = tallies.map(datasetLabelDifficulty);
  return {
    corpus,
    definitions: LABEL_DIFFICULTY_DEFINITIONS,
    label_proxies: { by_dataset: byDataset, by_domain: domainLabelDifficulty(byDataset) },
    rollouts,
  };
}
