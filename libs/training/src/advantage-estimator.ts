// The advantage estimators the trainer compares (QoQ-Med §2): GRPO (the group-normalized reward,
// §2.7), GRPO re-standardized over the batch (DRPO with T_d = T_c = 1), DRPO domain-only (T_c = 1) and
// full DRPO — all through @qoq/drpo, keyed by dataset_key (default) or the clinical domain.
import { DrpoEstimator, grpoAdvantages, type DrpoHistorySnapshot, type DrpoOptions, type QuestionRollouts } from '@qoq/drpo';
import type { EstimatorName, TrainerConfig } from './trainer-config';

export interface AdvantageStep {
  /** Per completion, question-major. */
  readonly advantages: Float64Array;
  /** Per DRPO key of the batch: N_d, μ_d, T_d and the cluster count (DRPO variants only). */
  readonly temperatures: Record<string, { questions: number; mean: number; temperature: number; clusters: number }> | null;
  /** The Bessel std of the scaled scores over the batch (DRPO variants only). */
  readonly batchStd: number | null;
}

const TEMPERATURES: Partial<Record<EstimatorName, DrpoOptions['temperatures']>> = {
  drpo: 'drpo',
  'drpo-domain-only': 'domain-only',
  'grpo-batch-std': 'unit',
};

export class AdvantageEstimator {
  private readonly drpo: DrpoEstimator | null;

  constructor(
    private readonly config: TrainerConfig,
    snapshot: DrpoHistorySnapshot | null = null,
  ) {
    const temperatures = TEMPERATURES[config.estimator];
    if (temperatures === undefined) {
      this.drpo = null;
      return;
    }
    const options: DrpoOptions = {
      mode: config.drpo.mode,
      seed: config.seed,
      epsilon: config.drpo.epsilon,
      maxClusters: config.drpo.maxClusters,
      domainMean: config.drpo.domainMean,
      temperatures,
    };
    this.drpo = snapshot ? DrpoEstimator.restore(snapshot, options) : new DrpoEstimator(options);
  }

  /** The key a question is grouped under for DRPO. */
  keyOf(example: { readonly datasetKey: string; readonly domain: string }): string {
    return this.config.drpo.domainKey === 'domain' ? example.domain : example.datasetKey;
  }

  /**
   * Advantages of one rollout batch. `responseKl` (Σ_t k3(old, ref) per completion) turns on the
   * KL-aware damping of §2.6 when the config asks for it.
   */
  step(questions: readonly QuestionRollouts[], responseKl?: ArrayLike<number>): AdvantageStep {
    if (this.drpo === null) return { advantages: grpoAdvantages(questions), temperatures: null, batchStd: null };
    const result = this.drpo.stepBatch(questions, this.config.drpo.klDamping && responseKl ? { responseKl } : {});
    const temperatures: NonNullable<AdvantageStep['temperatures']> = {};
    for (const key of Object.keys(result.domains).sort()) {
      const domain = result.domains[key];
      temperatures[key] = { questions: domain.questionCount, mean: domain.domainMean, temperature: domain.domainTemperature, clusters: domain.k };
    }
    return { advantages: result.advantages, temperatures, batchStd: result.batchStd };
  }

  /** The DRPO history (null for GRPO, which has none). */
  snapshot(): DrpoHistorySnapshot | null {
    return this.drpo?.snapshot() ?? null;
  }
}
