// @qoq/training — the DRPO / GRPO training loop around @qoq/policy (issue 10): corpus loading, config,
// seeded sampling, rollouts → rewards → advantages → mini-batch updates, checkpoints and exact resume,
// evaluation with bootstrap intervals beside label-prior baselines, the run report.
export {
  ESTIMATORS,
  changedKeys,
  checkPolicyKeys,
  configPath,
  configProblems,
  loadTrainerConfig,
  mergeConfig,
  parseSetOverride,
  runFolderOf,
  trainerSpecsDirectory,
  validatedConfig,
  workspacePath,
  type ConfigOverrides,
  type EstimatorName,
  type TrainerConfig,
} from './trainer-config';
export { parseNpy, encodeNpyFloat32, NpyFormatError, type NpyArray } from './npy-array';
export {
  ECG_LEADS,
  ECG_SAMPLES,
  SPLITS,
  checkStatsMatchCorpus,
  decodeEcg,
  decodeImage,
  loadTrainingCorpus,
  splitExamples,
  type CorpusLoadOptions,
  type SplitName,
  type TrainingCorpus,
  type TrainingExample,
} from './corpus-loader';
export { GoldMaskStore } from './gold-mask-store';
export { QuestionSampler, randomStream, shuffleInPlace, streamSeed, type SamplerState } from './question-sampler';
export { AdvantageEstimator, type AdvantageStep } from './advantage-estimator';
export { CheckpointStore, bestFolderName, stepFolderName, type BestRecord, type CheckpointMeta, type LoadedCheckpoint, type WriteProbe } from './checkpoint-store';
export { JsonlLog, readJsonl, type LogLength } from './jsonl-log';
export { evaluationFigures, type EvaluationFigures, type Figure, type GroupFigures } from './evaluation-figures';
export { BASELINES, baselinePrediction, labelPriors, type BaselineName, type DatasetPrior } from './label-prior-baseline';
export { baselineFigures, compareWithBaselines, evaluatePolicyOnSplit, greedyPredictions, type SplitEvaluation } from './split-evaluation';
export { maskBoundingBox, rewardOptions, rolloutRewards } from './rollout-rewards';
export { learningRateAt, miniBatchMembers, rolloutStep, supervisedStep, updateOptions, type RolloutRecord, type StepOutcome } from './training-step';
export {
  limitPerDataset,
  prepareRun,
  runTraining,
  writeRunReport,
  writeTestEvaluation,
  type EvalDocument,
  type PolicyFactory,
  type PolicyFactoryInput,
  type PreparedRun,
  type PrepareOptions,
  type StartMode,
  type TrainingRunOptions,
  type TrainingRunResult,
} from './training-run';
export { renderRunReport, type RunReportInput } from './run-report-html';
export { policyConfigOf, tfPolicyRuntime, vocabularyOf, type TfPolicyRuntime } from './tf-policy';
export { TEST_CORPUS_PLAN, testSplitOf, writeTestCorpus, writeTestStats, type TestCorpusPlan } from './synthetic-training-corpus';
