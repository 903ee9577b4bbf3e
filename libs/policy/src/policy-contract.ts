// The contract between the policy (this lib) and the training loop (@qoq/training): what a question
// looks like to the model, what a completion carries, and the operations one DRPO / GRPO step needs.
// The loop never touches tensors; the policy never reads files.

/** One question as the model sees it; media already decoded by the loop's corpus loader. */
export interface PolicyQuestion {
  /** The corpus row id. */
  readonly id: string;
  readonly datasetKey: string;
  /** Allowed answers in canonical (catalog) order: decoding is restricted to them. */
  readonly labelSet: readonly string[];
  /** [imageSize, imageSize, 3] RGB in [0, 1], row-major HWC (the loader resizes; null for ECG rows). */
  readonly image: Float32Array | null;
  /** [8, 2500] float32, lead-major (null for image rows). */
  readonly ecg: Float32Array | null;
  /** Pixels of the normalized image that boxes are expressed in (null for ECG rows). */
  readonly imageWidth: number | null;
  readonly imageHeight: number | null;
  /** Whether the answer carries a ```json block of bbox_2d objects (the dataset has gold boxes or masks). */
  readonly boxTask: boolean;
  /**
   * Optional (added after the first version of this contract): the most labels an answer may name, e.g. 1
   * for a single-label dataset (catalog task_type). Absent: the policy config's maxAnswerLabels.
   */
  readonly maxAnswerLabels?: number;
}

/** One generated answer. */
export interface Completion {
  /** Generated token ids (vocabulary of the policy), without padding. */
  readonly tokens: Int32Array;
  /** The rendered official answer text (<think>…</think>, optional ```json block, \boxed{…}). */
  readonly text: string;
  /** Per-token log-probabilities under the policy that sampled it, with the decoding restriction applied. */
  readonly logProbs: Float32Array;
}

/** A mini-batch of completions to learn from; arrays are completion-major and aligned. */
export interface PolicyUpdateBatch {
  readonly questions: readonly PolicyQuestion[];
  readonly completions: readonly Completion[];
  /** completion i answers questions[questionIndex[i]]. */
  readonly questionIndex: Int32Array;
  /** Per completion, per token: log-probs of the policy before this rollout batch's updates ("old"). */
  readonly oldLogProbs: readonly Float32Array[];
  /** Per completion, per token: log-probs of the reference (initial) policy. */
  readonly refLogProbs: readonly Float32Array[];
  /** Per completion: the (DRPO or GRPO) advantage, broadcast over its tokens. */
  readonly advantages: Float64Array;
}

export interface PolicyUpdateOptions {
  readonly learningRate: number;
  readonly weightDecay: number;
  /** Gradient clipping by global norm. */
  readonly maxGradNorm: number;
  /** Dual-clip loss parameters (see @qoq/drpo policyLossTensor / CODE_POLICY_LOSS). */
  readonly clipRatioLow: number;
  readonly clipRatioHigh: number;
  readonly clipRatioDual: number;
  /** Coefficient of the k3 (low-variance) KL to the reference policy. */
  readonly klCoefficient: number;
}

export interface PolicyUpdateMetrics {
  readonly loss: number;
  readonly policyLoss: number;
  readonly klLoss: number;
  readonly clipFraction: number;
  readonly dualClipFraction: number;
  readonly gradNorm: number;
  readonly entropy: number;
  readonly tokens: number;
}

/** Weights and optimizer state as plain arrays (order fixed by `names`), for atomic checkpoints. */
export interface PolicyState {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly values: readonly Float32Array[];
  /** Optimizer step counter and its moment arrays, same naming scheme ("<name>/m", "<name>/v"). */
  readonly optimizerStep: number;
}

/**
 * What the training loop needs from a policy. Everything that reads the model's outputs is asynchronous:
 * the WebGPU backend cannot read back synchronously in Node.
 */
export interface TrainablePolicy {
  /** `count` completions per question, question-major, temperature 1, sampled with `random` (uniform [0,1)). */
  sample(questions: readonly PolicyQuestion[], count: number, random: () => number): Promise<Completion[]>;
  /** One greedy completion per question (evaluation). */
  greedy(questions: readonly PolicyQuestion[]): Promise<Completion[]>;
  /** Per-token log-probs of given completions under the current weights (restriction applied), no gradient. */
  logProbs(questions: readonly PolicyQuestion[], completions: readonly Completion[], questionIndex: Int32Array): Promise<Float32Array[]>;
  /** Per-token log-probs under the reference policy (the initial weights, frozen at creation or setReference). */
  referenceLogProbs(questions: readonly PolicyQuestion[], completions: readonly Completion[], questionIndex: Int32Array): Promise<Float32Array[]>;
  /** One optimizer step (AdamW + global-norm clipping) on the dual-clip objective with k3 KL. */
  update(batch: PolicyUpdateBatch, options: PolicyUpdateOptions): Promise<PolicyUpdateMetrics>;
  /** One optimizer step of token cross-entropy towards the gold answers (the supervised ceiling). */
  supervisedUpdate(questions: readonly PolicyQuestion[], goldLabels: readonly (readonly string[])[], goldBoxes: readonly (readonly [number, number, number, number] | null)[], options: PolicyUpdateOptions): Promise<PolicyUpdateMetrics>;
  getState(): PolicyState;
  /** Restores weights, optimizer moments and step exactly (bitwise) from getState's output. */
  setState(state: PolicyState): void;
  /** Reference weights (for checkpoints: the reference is part of the run's state). */
  getReferenceState(): PolicyState;
  setReferenceState(state: PolicyState): void;
  dispose(): void;
}
