// stats:rarity (design.md "Statistics"; QoQ-Med §2: DRPO's domain temperature grows with √N_d, so the
// rare domains are the ones it up-weights). Counts per domain, dataset_key and modality, the weights a
// reader would derive from them, label prevalence per split with Wilson intervals, and how much a test
// set can resolve.
import { DOMAIN_IDS } from '@qoq/catalog';
import type { RejectCounts } from './corpus-rejects';
import type { DatasetTally } from './corpus-tally';
import { wilsonInterval } from './wilson-interval';

export const RARITY_DEFINITIONS = {
  share: 'N_g / N, N = all questions',
  sqrt_n: '√N_g (DRPO scales a domain by T_d = √N_d · μ_d, QoQ-Med §2)',
  inverse_frequency_weight: 'N / (G · N_g), G = non-empty groups at this level: Σ_g N_g · w_g = N, each group weighs the same in total',
  inverse_sqrt_weight: '(1/√N_g) / mean_h(1/√N_h) over the G non-empty groups: mean 1, the √N scaling of DRPO without the reward term',
  prevalence: 'questions carrying the label / questions, per split',
  prevalence_ci95: 'Wilson score interval, z = 1.96 (Wilson 1927)',
  shift: 'prevalence in the split − prevalence in train; max_abs_prevalence_shift = the largest |shift| over labels and splits',
  test_accuracy_ci95_halfwidth: 'half-width of the 95 % Wilson interval of an accuracy of 0.5 measured on the test questions — the widest it can be; differences below it are not resolved',
} as const;

export interface SplitCounts {
  train: number;
  validation: number;
  test: number;
}

export interface GroupRarity {
  key: string;
  questions: number;
  splits: SplitCounts;
  share: number;
  sqrt_n: number;
  inverse_frequency_weight: number | null;
  inverse_sqrt_weight: number | null;
  labels_per_question_mean: number | null;
  with_box: number;
  with_mask: number;
  box_share: number | null;
  mask_share: number | null;
  test_questions: number;
  test_accuracy_ci95_halfwidth: number | null;
}

export interface LabelRarity {
  label: string;
  questions: number;
  prevalence: number | null;
  splits: SplitCounts;
  prevalence_by_split: { train: number | null; validation: number | null; test: number | null };
  test_prevalence_ci95: [number, number];
  shift_validation_vs_train: number | null;
  shift_test_vs_train: number | null;
}

export interface DatasetRarity extends GroupRarity {
  domain: string;
  modality: string;
  labels: LabelRarity[];
  /** labels_per_question[n]: questions with n labels. */
  labels_per_question: number[];
  /** Symmetric K × K in label_set order; the diagonal is the label's count. */
  cooccurrence: number[][];
  max_abs_prevalence_shift: number | null;
}

export interface RarityReport {
  corpus: { rows: number; manifest_sha256: string; shards: number; rejects: RejectCounts | null };
  definitions: typeof RARITY_DEFINITIONS;
  by_domain: GroupRarity[];
  by_modality: GroupRarity[];
  by_dataset: DatasetRarity[];
}

/** Six decimals: enough for any share or weight, and stable text across runs. */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? round6(a / b) : null);

function splitCounts(values: ArrayLike<number>): SplitCounts {
  return { train: values[0], validation: values[1], test: values[2] };
}

interface GroupAccumulator {
  questions: Float64Array;
  withBox: Float64Array;
  withMask: Float64Array;
  labelSum: number;
}

function accumulate(tallies: readonly DatasetTally[], keyOf: (tally: DatasetTally) => string, keys: readonly string[]): Map<string, GroupAccumulator> {
  const groups = new Map<string, GroupAccumulator>(keys.map((key) => [key, { questions: new Float64Array(3), withBox: new Float64Array(3), withMask: new Float64Array(3), labelSum: 0 }]));
  for (const tally of tallies) {
    const key = keyOf(tally);
    let group = groups.get(key);
    if (!group) {
      group = { questions: new Float64Array(3), withBox: new Float64Array(3), withMask: new Float64Array(3), labelSum: 0 };
      groups.set(key, group);
    }
    for (let s = 0; s < 3; s++) {
      group.questions[s] += tally.questions[s];
      group.withBox[s] += tally.withBox[s];
      group.withMask[s] += tally.withMask[s];
    }
    tally.labelsPerQuestion.forEach((count, n) => (group.labelSum += count * n));
  }
  return groups;
}

function groupRarity(groups: Map<string, GroupAccumulator>, total: number): Map<string, GroupRarity> {
  const sizes = [...groups.values()].map((g) => g.questions[0] + g.questions[1] + g.questions[2]).filter((n) => n > 0);
  const nonEmpty = sizes.length;
  const meanInverseSqrt = nonEmpty > 0 ? sizes.reduce((sum, n) => sum + 1 / Math.sqrt(n), 0) / nonEmpty : 0;
  const result = new Map<string, GroupRarity>();
  for (const [key, group] of groups) {
    const questions = group.questions[0] + group.questions[1] + group.questions[2];
    const withBox = group.withBox[0] + group.withBox[1] + group.withBox[2];
    const withMask = group.withMask[0] + group.withMask[1] + group.withMask[2];
    const test = group.questions[2];
    const ci = wilsonInterval(test / 2, test);
    result.set(key, {
      key,
      questions,
      splits: splitCounts(group.questions),
      share: total > 0 ? round6(questions / total) : 0,
      sqrt_n: round6(Math.sqrt(questions)),
      inverse_frequency_weight: questions > 0 ? round6(total / (nonEmpty * questions)) : null,
      inverse_sqrt_weight: questions > 0 ? round6(1 / Math.sqrt(questions) / meanInverseSqrt) : null,
      labels_per_question_mean: ratio(group.labelSum, questions),
      with_box: withBox,
      with_mask: withMask,
      box_share: ratio(withBox, questions),
      mask_share: ratio(withMask, questions),
      test_questions: test,
      test_accuracy_ci95_halfwidth: test > 0 ? round6((ci.high - ci.low) / 2) : null,
    });
  }
  return result;
}

function labelRarity(tally: DatasetTally, label: number): LabelRarity {
  const k = tally.labelSet.length;
  const counts = [tally.labelCounts[label], tally.labelCounts[k + label], tally.labelCounts[2 * k + label]];
  const prevalence = counts.map((count, s) => ratio(count, tally.questions[s]));
  const interval = wilsonInterval(counts[2], tally.questions[2]);
  const shift = (s: number): number | null => (prevalence[s] !== null && prevalence[0] !== null ? round6((prevalence[s] as number) - (prevalence[0] as number)) : null);
  return {
    label: tally.labelSet[label],
    questions: counts[0] + counts[1] + counts[2],
    prevalence: ratio(counts[0] + counts[1] + counts[2], tally.total),
    splits: splitCounts(counts),
    prevalence_by_split: { train: prevalence[0], validation: prevalence[1], test: prevalence[2] },
    test_prevalence_ci95: [round6(interval.low), round6(interval.high)],
    shift_validation_vs_train: shift(1),
    shift_test_vs_train: shift(2),
  };
}

export function computeRarity(tallies: readonly DatasetTally[], corpus: RarityReport['corpus']): RarityReport {
  const total = tallies.reduce((sum, tally) => sum + tally.total, 0);
  const byDomain = groupRarity(accumulate(tallies, (t) => t.domain, DOMAIN_IDS), total);
  const modalities = [...new Set(tallies.map((t) => t.modality))];
  const byModality = groupRarity(accumulate(tallies, (t) => t.modality, modalities), total);
  const byDatasetGroups = groupRarity(accumulate(tallies, (t) => t.datasetKey, tallies.map((t) => t.datasetKey)), total);
  const byDataset = tallies.map((tally): DatasetRarity => {
    const k = tally.labelSet.length;
    const labels = tally.labelSet.map((_, label) => labelRarity(tally, label));
    const shifts = labels.flatMap((l) => [l.shift_validation_vs_train, l.shift_test_vs_train]).filter((s): s is number => s !== null);
    return {
      ...(byDatasetGroups.get(tally.datasetKey) as GroupRarity),
      domain: tally.domain,
      modality: tally.modality,
      labels,
      labels_per_question: Array.from(tally.labelsPerQuestion),
      cooccurrence: Array.from({ length: k }, (_, a) => Array.from(tally.cooccurrence.subarray(a * k, (a + 1) * k))),
      max_abs_prevalence_shift: shifts.length > 0 ? round6(Math.max(...shifts.map(Math.abs))) : null,
    };
  });
  return {
    corpus,
    definitions: RARITY_DEFINITIONS,
    by_domain: DOMAIN_IDS.map((domain) => byDomain.get(domain) as GroupRarity),
    by_modality: modalities.map((modality) => byModality.get(modality) as GroupRarity),
    by_dataset: byDataset,
  };
}
