// DRPO advantages (QoQ-Med §2): GRPO scores scaled by 1 / (T_d · T_c) — domain and cluster
// temperatures from the run's history — then re-standardized over the batch.
import { DomainHistory, type DomainClustering, type DomainHistorySnapshot } from './domain-history';
import { GRPO_EPSILON, GroupSizeError, besselStd, commonGroupSize, groupNormalizedRewards, type QuestionRollouts } from './grpo-advantage';
import { nearestCentroid } from './kmeans';
import { dampAdvantagesByKl } from './kl-damping';

/** `code`: the released behaviour, quirks included; `fixed` (default): the FIXes of §2; `incremental`: flat per-step cost. */
export type DrpoMode = 'code' | 'fixed' | 'incremental';

export interface DrpoOptions {
  readonly mode?: DrpoMode;
  /** Seeds k-means++ (mulberry32, one stream per domain and k). */
  readonly seed?: number;
  /** The floor ε of the temperatures. */
  readonly epsilon?: number;
  readonly maxClusters?: number;
  readonly elbowThreshold?: number;
  /** μ_d: the code's inverse-size-weighted mean of cluster means, or the paper's plain mean reward. */
  readonly domainMean?: 'cluster-weighted' | 'plain';
  /** Ablations: `unit` forces T_d = T_c = 1 (DRPO = GRPO over its batch std); `domain-only` forces T_c = 1. */
  readonly temperatures?: 'drpo' | 'domain-only' | 'unit';
  /** `incremental` only: the most grid cells a domain's summary keeps (192 by default). */
  readonly maxCells?: number;
}

export interface ClusterDiagnostics {
  readonly size: number;
  readonly mean: number;
  readonly temperature: number;
}

export interface DomainDiagnostics {
  /** N_d: questions of the domain in the history, this batch included. */
  readonly questionCount: number;
  readonly batchQuestions: number;
  /** μ_d and T_d. */
  readonly domainMean: number;
  readonly domainTemperature: number;
  readonly k: number;
  readonly clusters: readonly ClusterDiagnostics[];
  /** Share of the domain's questions in this batch whose rollouts all got the same reward (no signal). */
  readonly zeroVarianceShare: number;
}

export interface DrpoStepInput {
  /** Per response (question-major): Σ_t low_var_kl(old_logp, ref_logp), for the KL-aware damping of §2.6. */
  readonly responseKl?: ArrayLike<number>;
}

export interface DrpoStepResult {
  /** Per response, question-major. */
  readonly advantages: Float64Array;
  readonly groupNormalizedRewards: Float64Array;
  /** Per question. */
  readonly domainTemperature: Float64Array;
  readonly clusterTemperature: Float64Array;
  readonly clusterId: Int32Array;
  /** The Bessel std of the scaled scores over the batch. */
  readonly batchStd: number;
  readonly domains: Readonly<Record<string, DomainDiagnostics>>;
}

export interface DrpoHistorySnapshot {
  readonly format: 'qoq-drpo-history';
  readonly version: 1;
  readonly mode: DrpoMode;
  readonly groupSize: number | null;
  readonly step: number;
  /** In insertion order (an array, as object keys that look like numbers would be reordered). */
  readonly domains: Array<[string, DomainHistorySnapshot]>;
}

/** Bad input to the estimator: non-finite rewards, a snapshot of another mode. */
export class DrpoInputError extends Error {
  override readonly name = 'DrpoInputError';
  constructor(
    readonly code: 'DRPO_NON_FINITE_REWARD' | 'DRPO_SNAPSHOT_MISMATCH' | 'DRPO_BAD_SEED',
    message: string,
  ) {
    super(message);
  }
}

/** A map entry the step itself created; its absence is a bug, not bad input. */
function present<T>(value: T | undefined, key: string): T {
  if (value === undefined) throw new Error(`internal: no state for domain ${key}`);
  return value;
}

const HISTORY_KIND: Record<DrpoMode, DomainHistorySnapshot['kind']> = { code: 'full', fixed: 'distinct', incremental: 'summary' };

/** A prior for a domain's history: `questionCount` pseudo-questions whose every rollout scored `meanReward`. */
export interface DomainPrior {
  readonly questionCount: number;
  readonly meanReward: number;
}

export class DrpoEstimator {
  private readonly histories = new Map<string, DomainHistory>();
  private groupSize: number | null = null;
  private stepCount = 0;
  readonly mode: DrpoMode;

  constructor(private readonly options: DrpoOptions = {}) {
    this.mode = options.mode ?? 'fixed';
  }

  get step(): number {
    return this.stepCount;
  }

  /**
   * Opt-in seeding of the history (off by default, like the code): each prior adds `questionCount`
   * pseudo-questions with constant reward vectors at `meanReward`. They count in N_d and are clustered
   * like real questions, so a domain starts as rare/hard as the prior says and real data outweighs it
   * as it accrues. Needs the group size, since a vector has one reward per rollout.
   */
  seedHistory(priors: Readonly<Record<string, DomainPrior>>, groupSize: number): void {
    if (this.groupSize !== null && this.groupSize !== groupSize) throw new GroupSizeError(`the history holds groups of ${this.groupSize}`);
    this.groupSize = groupSize;
    for (const [key, prior] of Object.entries(priors)) {
      if (!(Number.isInteger(prior.questionCount) && prior.questionCount > 0) || !Number.isFinite(prior.meanReward)) {
        throw new DrpoInputError('DRPO_BAD_SEED', `the prior of ${key} needs a positive integer questionCount and a finite meanReward`);
      }
      this.history(key, groupSize).append(new Array<number>(groupSize).fill(prior.meanReward), prior.questionCount);
    }
  }

  private history(key: string, dimension: number): DomainHistory {
    let history = this.histories.get(key);
    if (!history) {
      history = DomainHistory.create(HISTORY_KIND[this.mode], key, dimension, this.options.maxCells);
      this.histories.set(key, history);
    }
    return history;
  }

  /**
   * Appends a batch to the history without computing advantages: to rebuild a history from a rollout
   * log, or to prepare a benchmark. Counts as a step.
   */
  observe(questions: readonly QuestionRollouts[]): void {
    const n = this.checkBatch(questions);
    this.groupSize = n;
    this.stepCount++;
    for (const question of questions) this.history(question.domainKey, n).append(question.rewards);
  }

  private checkBatch(questions: readonly QuestionRollouts[]): number {
    const n = commonGroupSize(questions);
    if (this.groupSize !== null && n !== this.groupSize) {
      throw new GroupSizeError(`this batch has ${n} rollouts per question, the history holds vectors of ${this.groupSize}`);
    }
    questions.forEach((question, q) => {
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(question.rewards[i])) {
          throw new DrpoInputError('DRPO_NON_FINITE_REWARD', `question ${q} (${question.domainKey}) has a non-finite reward`);
        }
      }
    });
    return n;
  }

  /** One training step: appends the batch to the history and returns its advantages. */
  stepBatch(questions: readonly QuestionRollouts[], input: DrpoStepInput = {}): DrpoStepResult {
    const n = this.checkBatch(questions);
    this.groupSize = n;
    this.stepCount++;
    const scores = groupNormalizedRewards(questions);
    for (const question of questions) this.history(question.domainKey, n).append(question.rewards);

    const epsilon = this.options.epsilon ?? 1e-6;
    const clusteringOptions = { seed: this.options.seed ?? 0, maxClusters: this.options.maxClusters ?? 10, elbowThreshold: this.options.elbowThreshold ?? 0.1 };
    const batchDomains = [...new Set(questions.map((q) => q.domainKey))];
    // The released code refits every domain of the history at every step; only the batch's matter.
    const fitted = this.mode === 'code' ? [...this.histories.keys()] : batchDomains;
    const clusterings = new Map<string, DomainClustering>();
    for (const key of fitted) clusterings.set(key, present(this.histories.get(key), key).cluster(clusteringOptions));

    const domainStats = new Map<string, { mean: number; temperature: number; clusterTemperatures: Float64Array }>();
    for (const key of batchDomains) {
      const history = present(this.histories.get(key), key);
      const clustering = present(clusterings.get(key), key);
      const { sizes } = clustering.fit;
      let mean: number;
      if (this.options.domainMean === 'plain') {
        mean = history.plainMean();
      } else {
        // μ_d = Σ_c (μ_c / N_c) / Σ_c (1 / N_c) over non-empty clusters (the code's weighting).
        let numerator = 0;
        let denominator = 0;
        for (let c = 0; c < clustering.fit.k; c++) {
          if (sizes[c] > 0) {
            numerator += clustering.clusterMeans[c] / sizes[c];
            denominator += 1 / sizes[c];
          }
        }
        mean = numerator / denominator;
      }
      const temperature = Math.max(Math.sqrt(history.questionCount) * mean, epsilon);
      const clusterTemperatures = new Float64Array(clustering.fit.k);
      for (let c = 0; c < clustering.fit.k; c++) {
        const raw = Math.sqrt(sizes[c]) * clustering.clusterMeans[c];
        // FIX: the code leaves T_c unclamped, so a cluster of all-zero rewards divides by zero.
        clusterTemperatures[c] = this.mode === 'code' ? raw : Math.max(raw, epsilon);
      }
      domainStats.set(key, { mean, temperature, clusterTemperatures });
    }

    const domainTemperature = new Float64Array(questions.length);
    const clusterTemperature = new Float64Array(questions.length);
    const clusterId = new Int32Array(questions.length);
    const scaled = new Float64Array(scores.length);
    const temperatures = this.options.temperatures ?? 'drpo';
    questions.forEach((question, q) => {
      const stats = present(domainStats.get(question.domainKey), question.domainKey);
      const clustering = present(clusterings.get(question.domainKey), question.domainKey);
      const cluster = nearestCentroid(clustering.fit.centroids, clustering.fit.k, Float64Array.from(question.rewards), n);
      clusterId[q] = cluster;
      domainTemperature[q] = temperatures === 'unit' ? 1 : stats.temperature;
      clusterTemperature[q] = temperatures === 'drpo' ? stats.clusterTemperatures[cluster] : 1;
      let factor = 1 / (domainTemperature[q] * clusterTemperature[q]);
      // FIX: skip scaling where the factor is NaN or infinite rather than poisoning the batch.
      if (this.mode !== 'code' && !Number.isFinite(factor)) factor = 1;
      for (let i = 0; i < n; i++) scaled[q * n + i] = scores[q * n + i] * factor;
    });

    let batchStd = besselStd(scaled);
    if (this.mode !== 'code' && !Number.isFinite(batchStd)) batchStd = 0;
    let advantages: Float64Array = scaled.map((value) => value / (batchStd + GRPO_EPSILON));
    if (input.responseKl) advantages = dampAdvantagesByKl(advantages, input.responseKl, epsilon);

    const domains: Record<string, DomainDiagnostics> = {};
    for (const key of batchDomains) {
      const stats = present(domainStats.get(key), key);
      const clustering = present(clusterings.get(key), key);
      const own = questions.filter((q) => q.domainKey === key);
      const flat = own.filter((q) => Array.prototype.every.call(q.rewards, (r: number) => r === q.rewards[0])).length;
      domains[key] = {
        questionCount: present(this.histories.get(key), key).questionCount,
        batchQuestions: own.length,
        domainMean: stats.mean,
        domainTemperature: stats.temperature,
        k: clustering.fit.k,
        clusters: Array.from(clustering.fit.sizes, (size, c) => ({ size, mean: clustering.clusterMeans[c], temperature: stats.clusterTemperatures[c] })),
        zeroVarianceShare: flat / own.length,
      };
    }
    return { advantages, groupNormalizedRewards: scores, domainTemperature, clusterTemperature, clusterId, batchStd, domains };
  }

  /** The history as a plain, JSON-serializable value: restore it to continue bit for bit. */
  snapshot(): DrpoHistorySnapshot {
    return {
      format: 'qoq-drpo-history',
      version: 1,
      mode: this.mode,
      groupSize: this.groupSize,
      step: this.stepCount,
      domains: [...this.histories].map(([key, history]) => [key, history.snapshot()]),
    };
  }

  static restore(snapshot: DrpoHistorySnapshot, options: DrpoOptions = {}): DrpoEstimator {
    if (snapshot.format !== 'qoq-drpo-history' || snapshot.version !== 1) {
      throw new DrpoInputError('DRPO_SNAPSHOT_MISMATCH', 'not a DRPO history snapshot of version 1');
    }
    const mode = options.mode ?? snapshot.mode;
    if (mode !== snapshot.mode) throw new DrpoInputError('DRPO_SNAPSHOT_MISMATCH', `the snapshot was taken in mode ${snapshot.mode}, not ${mode}`);
    const estimator = new DrpoEstimator({ ...options, mode });
    estimator.groupSize = snapshot.groupSize;
    estimator.stepCount = snapshot.step;
    for (const [key, domain] of snapshot.domains) {
      estimator.histories.set(key, DomainHistory.restore(key, snapshot.groupSize ?? 1, domain, options.maxCells));
    }
    return estimator;
  }
}
