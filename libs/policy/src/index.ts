// @qoq/policy — the TensorFlow.js policy that DRPO / GRPO trains (issue 10): encoders, answer vocabulary,
// restricted sampling, log-probs, the dual-clip update.
export type {
  Completion,
  PolicyQuestion,
  PolicyState,
  PolicyUpdateBatch,
  PolicyUpdateMetrics,
  PolicyUpdateOptions,
  TrainablePolicy,
} from './policy-contract';
export { createPolicy, MultimodalPolicy, PolicyInputError } from './multimodal-policy';
export { DEFAULT_POLICY_CONFIG, ECG_LEADS, ECG_SAMPLES, PolicyConfigError, validatePolicyConfig, type PolicyConfig } from './policy-config';
export { AnswerVocabulary, MAX_BOX_BINS, VocabularyError, type AnswerVocabularyJson, type CatalogDatasets, type LabelSetEntry } from './answer-vocabulary';
export { AnswerGrammarError, allowedTokens, checkAnswerTokens, maxAnswerLength, type AnswerConstraint } from './answer-grammar';
export {
  AnswerRenderingError,
  binsToPixels,
  decodeAnswerTokens,
  pixelsToBins,
  renderAnswer,
  THINK_TEXT,
  type DecodedAnswer,
  type PixelBox,
} from './answer-rendering';
export { BACKEND_REQUESTS, BackendUnavailableError, describeBackend, initBackend, resolveBackend, type BackendInfo, type BackendRequest, type InitBackendOptions, type PolicyBackend } from './tf-backend';
export { describeAdapter, formatAdapter, probeWebGpu, type DawnLoader, type GpuAdapterDescription, type GpuProbe } from './webgpu-adapter';
export { registerPolicyGradients } from './kernel-gradients';
export { PARITY_THRESHOLDS, checkBackendParity, timeTrainingSteps, type ParityOptions, type ParityQuestion, type ParityReport, type ParityStep, type StepTiming } from './backend-parity';
