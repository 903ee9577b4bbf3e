export { generateCorpus, type GenerateOptions, type GenerateSummary } from './corpus';
export {
  chanceLevel,
  loadSpec,
  promisedAccuracy,
  splitCounts,
  SPEC_PATH,
  SPLITS,
  type CorpusSpec,
  type DatasetSpec,
  type DifficultyTier,
  type RarityTier,
  type Split,
} from './spec';
export type { Box, LabelledBox, PhiSpan, PhiType, TruthItem } from './truth';
export { evaluateLearnability, type LearnabilityResult } from './learnability/learnability';
