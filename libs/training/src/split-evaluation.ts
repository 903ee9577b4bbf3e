// Greedy evaluation of the policy on a split (QoQ-Med §4), the label-prior baselines beside it, and the
// eval.json document a run writes.
import { computeReward, type EvaluatedSample } from '@qoq/drpo';
import type { TrainablePolicy } from '@qoq/policy';
import type { TrainingExample } from './corpus-loader';
import { evaluationFigures, type EvaluationFigures } from './evaluation-figures';
import type { GoldMaskStore } from './gold-mask-store';
import { BASELINES, baselinePrediction, type BaselineName, type DatasetPrior } from './label-prior-baseline';
import type { TrainerConfig } from './trainer-config';
import { rewardOptions } from './rollout-rewards';

export interface SplitEvaluation {
  readonly figures: EvaluationFigures;
  /** The greedy completions, in the order of the examples. */
  readonly predictions: readonly string[];
}

/** Greedy completions for the examples, `batchSize` questions per policy call. */
export async function greedyPredictions(policy: TrainablePolicy, examples: readonly TrainingExample[], batchSize: number): Promise<string[]> {
  const texts: string[] = [];
  for (let start = 0; start < examples.length; start += batchSize) {
    const batch = examples.slice(start, start + batchSize);
    for (const completion of await policy.greedy(batch.map((example) => example.question))) texts.push(completion.text);
  }
  return texts;
}

/** Predictions as evaluated samples; the IoU (the reward's IoU component) where the row has a gold box or mask. */
export async function evaluatedSamples(
  examples: readonly TrainingExample[],
  predictions: readonly string[],
  masks: GoldMaskStore,
  config: TrainerConfig,
): Promise<EvaluatedSample[]> {
  const samples: EvaluatedSample[] = [];
  for (let i = 0; i < examples.length; i++) {
    const example = examples[i];
    const hasGold = example.goldBox !== null || example.maskPath !== null;
    let iou: number | undefined;
    if (hasGold) {
      const goldMask = example.maskPath === null ? null : await masks.get(example.maskPath);
      iou = computeReward(predictions[i], { answer: example.answer, goldBox: example.goldBox, goldMask }, rewardOptions(config)).iou;
    }
    samples.push({ prediction: predictions[i], answer: example.answer, domain: example.domain, datasetKey: example.datasetKey, ...(iou === undefined ? {} : { iou }) });
  }
  return samples;
}

export async function evaluatePolicyOnSplit(
  policy: TrainablePolicy,
  examples: readonly TrainingExample[],
  masks: GoldMaskStore,
  config: TrainerConfig,
  resamples: number,
  label: string,
): Promise<SplitEvaluation> {
  const predictions = await greedyPredictions(policy, examples, config.evaluation.batchSize);
  const samples = await evaluatedSamples(examples, predictions, masks, config);
  return { figures: evaluationFigures(samples, resamples, config.seed, label), predictions };
}

/** The figures of each label-prior baseline on the examples (no boxes: IoU 0 where gold exists). */
export function baselineFigures(
  examples: readonly TrainingExample[],
  priors: ReadonlyMap<string, DatasetPrior>,
  resamples: number,
  seed: number,
): Record<BaselineName, EvaluationFigures> {
  const result = {} as Record<BaselineName, EvaluationFigures>;
  for (const name of BASELINES) {
    const samples: EvaluatedSample[] = examples.map((example) => {
      const prior = priors.get(example.datasetKey);
      const prediction = prior ? baselinePrediction(name, prior, example.id, seed) : '\\boxed{}';
      const hasGold = example.goldBox !== null || example.maskPath !== null;
      return { prediction, answer: example.answer, domain: example.domain, datasetKey: example.datasetKey, ...(hasGold ? { iou: 0 } : {}) };
    });
    result[name] = evaluationFigures(samples, resamples, seed, `baseline-${name}`);
  }
  return result;
}

export interface DatasetComparison {
  readonly policy_macro_f1: number;
  /** The better of the baselines' macro-F1 on this dataset. */
  readonly best_baseline_macro_f1: number;
  readonly best_baseline: BaselineName;
  readonly beats_baseline: boolean;
}

/** Per dataset: does the policy's macro-F1 exceed the better label-prior baseline? */
export function compareWithBaselines(policy: EvaluationFigures, baselines: Record<BaselineName, EvaluationFigures>): { datasets: Record<string, DatasetComparison>; beaten: number; of: number } {
  const datasets: Record<string, DatasetComparison> = {};
  let beaten = 0;
  for (const [key, figures] of Object.entries(policy.datasets)) {
    let best: BaselineName = BASELINES[0];
    for (const name of BASELINES) if ((baselines[name].datasets[key]?.macro_f1.value ?? 0) > (baselines[best].datasets[key]?.macro_f1.value ?? 0)) best = name;
    const bestValue = baselines[best].datasets[key]?.macro_f1.value ?? 0;
    const beats = figures.macro_f1.value > bestValue;
    if (beats) beaten++;
    datasets[key] = { policy_macro_f1: figures.macro_f1.value, best_baseline_macro_f1: bestValue, best_baseline: best, beats_baseline: beats };
  }
  return { datasets, beaten, of: Object.keys(policy.datasets).length };
}
