// The policy's architecture and optimizer constants: one plain object, defaults below, validated strictly
// so that a typo in a run's JSON config stops the run before training (issue 10: "an unknown config key:
// exit 2 before training").

export interface PolicyConfig {
  /** Side of the square RGB image the loader provides ([imageSize, imageSize, 3]). */
  readonly imageSize: number;
  /** Side of a ViT patch; imageSize must be a multiple. */
  readonly patchSize: number;
  /** Width of a patch's embedding before the position-specific projection. */
  readonly patchWidth: number;
  /** Samples per ECG patch; 2500 must be a multiple (50 → 50 patches per lead, 0.2 s at 250 Hz). */
  readonly ecgPatchLength: number;
  /** Width of an ECG patch's embedding before pooling over time. */
  readonly ecgPatchWidth: number;
  /** Width of the question's context vector (image / ECG / dataset embeddings are summed into it). */
  readonly contextWidth: number;
  /** Hidden width of the GRU decoder. */
  readonly hiddenWidth: number;
  /** Most labels one answer may name (also capped per question by PolicyQuestion.maxAnswerLabels). */
  readonly maxAnswerLabels: number;
  /** Most boxes one answer of a box task may carry (at most one per label). */
  readonly maxBoxes: number;
  /** Standard deviation of the output layer's initial weights: small, so the initial policy is near uniform. */
  readonly outputInitScale: number;
  readonly adamBeta1: number;
  readonly adamBeta2: number;
  readonly adamEpsilon: number;
}

export const DEFAULT_POLICY_CONFIG: PolicyConfig = {
  imageSize: 32,
  patchSize: 8,
  patchWidth: 32,
  ecgPatchLength: 50,
  ecgPatchWidth: 32,
  contextWidth: 64,
  hiddenWidth: 64,
  maxAnswerLabels: 4,
  maxBoxes: 1,
  outputInitScale: 0.01,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEpsilon: 1e-8,
};

/** The [8 leads, 2500 samples] ECG of the corpus (qoq-med.md §1). */
export const ECG_LEADS = 8;
export const ECG_SAMPLES = 2500;

export class PolicyConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(message);
    this.name = 'PolicyConfigError';
  }
}

const INTEGER_KEYS = ['imageSize', 'patchSize', 'patchWidth', 'ecgPatchLength', 'ecgPatchWidth', 'contextWidth', 'hiddenWidth', 'maxAnswerLabels', 'maxBoxes'] as const;

/**
 * Defaults overlaid with `overrides`; throws PolicyConfigError naming the key for an unknown key, a
 * value of the wrong type or range, or sizes that do not divide.
 */
export function validatePolicyConfig(overrides: unknown = {}): PolicyConfig {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new PolicyConfigError('', 'policy config must be a JSON object');
  }
  const known = new Set(Object.keys(DEFAULT_POLICY_CONFIG));
  for (const key of Object.keys(overrides)) {
    if (!known.has(key)) throw new PolicyConfigError(key, `unknown policy config key "${key}" (known: ${[...known].join(', ')})`);
  }
  const config = { ...DEFAULT_POLICY_CONFIG, ...(overrides as Partial<PolicyConfig>) };
  for (const key of known) {
    const value = (config as Record<string, unknown>)[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new PolicyConfigError(key, `policy config "${key}" must be a finite number`);
  }
  for (const key of INTEGER_KEYS) {
    const value = config[key];
    const minimum = key === 'maxBoxes' ? 0 : 1;
    if (!Number.isInteger(value) || value < minimum) throw new PolicyConfigError(key, `policy config "${key}" must be an integer ≥ ${minimum}, got ${value}`);
  }
  if (config.imageSize % config.patchSize !== 0) {
    throw new PolicyConfigError('patchSize', `policy config "patchSize" (${config.patchSize}) must divide "imageSize" (${config.imageSize})`);
  }
  if (ECG_SAMPLES % config.ecgPatchLength !== 0) {
    throw new PolicyConfigError('ecgPatchLength', `policy config "ecgPatchLength" (${config.ecgPatchLength}) must divide ${ECG_SAMPLES}`);
  }
  if (!(config.outputInitScale > 0)) throw new PolicyConfigError('outputInitScale', 'policy config "outputInitScale" must be > 0');
  for (const key of ['adamBeta1', 'adamBeta2'] as const) {
    if (!(config[key] >= 0 && config[key] < 1)) throw new PolicyConfigError(key, `policy config "${key}" must be in [0, 1)`);
  }
  if (!(config.adamEpsilon > 0)) throw new PolicyConfigError('adamEpsilon', 'policy config "adamEpsilon" must be > 0');
  return config;
}
