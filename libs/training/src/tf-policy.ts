// The real policy behind the loop: @qoq/policy's TensorFlow.js model on the configured backend, its
// vocabulary built from the corpus's label sets, its config (the trainer config's `policy` section over
// the policy's defaults) checked before anything else runs — an unknown key is a usage error (exit 2).
import { AnswerVocabulary, BackendUnavailableError, PolicyConfigError, createPolicy, initBackend, validatePolicyConfig, type BackendInfo, type PolicyConfig } from '@qoq/policy';
import { UsageError } from '@qoq/runtime';
import type { TrainerConfig } from './trainer-config';
import type { PolicyFactory } from './training-run';

/** The policy config of a trainer config; UsageError naming the key on any problem. */
export function policyConfigOf(config: TrainerConfig): PolicyConfig {
  try {
    return validatePolicyConfig(config.policy);
  } catch (error) {
    if (error instanceof PolicyConfigError) {
      const unknown = !Object.prototype.hasOwnProperty.call(validatePolicyConfig({}), error.key);
      throw new UsageError(unknown ? `unknown config key 'policy.${error.key}': ${error.message}` : `config key 'policy.${error.key}': ${error.message}`, 'CONFIG_INVALID');
    }
    throw error;
  }
}

/** The vocabulary of a corpus: its datasets' label sets (deterministic whatever their order). */
export function vocabularyOf(labelSets: ReadonlyMap<string, readonly string[]>): AnswerVocabulary {
  return AnswerVocabulary.fromLabelSets([...labelSets].map(([datasetKey, labelSet]) => ({ datasetKey, labelSet })));
}

export interface TfPolicyRuntime {
  readonly policyConfig: PolicyConfig;
  readonly backend: BackendInfo;
  readonly createPolicy: PolicyFactory;
}

/** Checks the policy config, initializes the backend and returns the factory of the run's policy. */
export async function tfPolicyRuntime(config: TrainerConfig): Promise<TfPolicyRuntime> {
  const policyConfig = policyConfigOf(config);
  let backend: BackendInfo;
  try {
    backend = await initBackend(config.backend);
  } catch (error) {
    if (error instanceof BackendUnavailableError) throw new UsageError(error.message, 'BACKEND_UNAVAILABLE');
    throw error;
  }
  return {
    policyConfig,
    backend,
    createPolicy: ({ labelSets, config: runConfig }) => createPolicy(policyConfig, vocabularyOf(labelSets), runConfig.seed),
  };
}

