// @qoq/drpo — rewards, GRPO / DRPO advantages, k-means, the policy loss and evaluation metrics of
// QoQ-Med (../shared/qoq-med.md §2–§4). Pure math in float64; the loss also over tfjs tensors.
export {
  computeReward,
  lengthReward,
  CODE_REWARD_WEIGHTS,
  PAPER_REWARD_WEIGHTS,
  type RewardComponents,
  type RewardOptions,
  type RewardTarget,
  type RewardWeights,
} from './medical-reward';
export { RewardComputationError, type Box, type GoldMask, type IouAggregation, type RewardMode } from './iou-reward';
export { extractLastBoxed, extractEvaluationAnswer, parseConditions, NO_ANSWER } from './answer-extraction';
export { setF1 } from './accuracy-reward';
export {
  computeDatasetMetrics,
  computeMetricsByDataSource,
  evaluate,
  type DatasetMetrics,
  type EvaluatedSample,
  type EvaluationReport,
  type SummaryMetrics,
} from './evaluation-metrics';
export { grpoAdvantages, groupNormalizedRewards, GroupSizeError, type QuestionRollouts } from './grpo-advantage';
export {
  DrpoEstimator,
  DrpoInputError,
  type DomainDiagnostics,
  type DomainPrior,
  type DrpoHistorySnapshot,
  type DrpoMode,
  type DrpoOptions,
  type DrpoStepInput,
  type DrpoStepResult,
} from './drpo-advantage';
export { dampAdvantagesByKl, lowVarKl, responseKl } from './kl-damping';
export { mulberry32 } from './prng';
export { policyLoss, CODE_POLICY_LOSS, type PolicyLossInput, type PolicyLossOptions, type PolicyLossResult } from './policy-loss';
export { policyLossTensor, type PolicyLossTensors, type PolicyLossTensorResult } from './policy-loss-tensor';
export { replayRolloutFile, replayRolloutLines, ReplayInputError, type ReplayOptions, type ReplaySummary } from './rollout-replay';
