// Difficulty from the labels alone (no model needed): how spread the answers are, how far always
// answering the commonest one gets, and the reward a guess earns. The accuracy reward of QoQ-Med §3 is
// the set-F1 of the boxed labels against the gold (libs/drpo setF1), so its chance level depends on how
// many labels the answers carry and how they are distributed, not on 1/K.
import { DOMAIN_IDS } from '@qoq/catalog';
import type { DatasetTally } from './corpus-tally';
import { round6 } from './rarity';

/** Distinct label sets used exactly; beyond this many the rarest are dropped and the rest renormalized. */
export const CHANCE_EXACT_LIMIT = 4096;

export const LABEL_DIFFICULTY_DEFINITIONS = {
  label_entropy_bits: 'Shannon entropy (bits) of the distribution of answers (label sets) over all questions; single-label: of the classes',
  max_entropy_bits: 'log2 of the label-set count (single-label) or of the distinct label sets observed (multi-label): the entropy of a uniform answer',
  majority_rate: 'share of questions whose answer is the commonest label set: the accuracy of always giving it',
  imbalance_ratio: 'questions of the commonest label / questions of the rarest label present',
  chance_set_f1:
    'E[setF1(P, G)] with P and G drawn independently from the training split\'s distribution of label sets (all splits when there is no train split): the mean reward of a guesser that knows the label distribution but not the image. setF1(P, G) = 2|P∩G| / (|P| + |G|), 0 when disjoint. Exact over the distinct label sets',
  majority_set_f1: 'E[setF1(M, G)] for M = the commonest training label set, G drawn from the training distribution',
} as const;

export interface DatasetLabelDifficulty {
  dataset_key: string;
  domain: string;
  questions: number;
  label_count: number;
  distinct_label_sets: number;
  label_entropy_bits: number | null;
  max_entropy_bits: number | null;
  majority_answer: string | null;
  majority_rate: number | null;
  imbalance_ratio: number | null;
  labels_absent: string[];
  chance_set_f1: number | null;
  majority_set_f1: number | null;
  /** `exact`, or `top-4096` when the rarest label sets were dropped. */
  chance_method: string;
}

export interface DomainLabelDifficulty {
  domain: string;
  questions: number;
  /** Question-weighted means over the domain's datasets. */
  label_entropy_bits: number | null;
  majority_rate: number | null;
  chance_set_f1: number | null;
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** setF1 of two label sets given as bit masks (libs/drpo setF1 on sets: 0 without a true positive). */
export function maskSetF1(predicted: number, gold: number): number {
  const common = popcount(predicted & gold);
  return common === 0 ? 0 : (2 * common) / (popcount(predicted) + popcount(gold));
}

/** Expected set-F1 of two independent draws from `sets` (mask → count); exact up to CHANCE_EXACT_LIMIT sets. */
export function chanceSetF1(sets: ReadonlyMap<number, number>): { value: number | null; method: string } {
  let entries = [...sets].filter(([, count]) => count > 0).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  if (entries.length === 0) return { value: null, method: 'exact' };
  const method = entries.length > CHANCE_EXACT_LIMIT ? `top-${CHANCE_EXACT_LIMIT}` : 'exact';
  entries = entries.slice(0, CHANCE_EXACT_LIMIT);
  const masks = Int32Array.from(entries, ([mask]) => mask);
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  const p = Float64Array.from(entries, ([, count]) => count / total);
  let expected = 0;
  for (let a = 0; a < masks.length; a++) {
    let row = 0;
    for (let b = 0; b < masks.length; b++) row += p[b] * maskSetF1(masks[a], masks[b]);
    expected += p[a] * row;
  }
  return { value: expected, method };
}

function answerOf(tally: DatasetTally, mask: number): string {
  return tally.labelSet.filter((_, index) => (mask & (1 << index)) !== 0).join(', ');
}

export function datasetLabelDifficulty(tally: DatasetTally): DatasetLabelDifficulty {
  const all = tally.allLabelSets();
  const total = tally.total;
  let entropy = 0;
  let majorityMask = -1;
  let majorityCount = 0;
  for (const [mask, count] of [...all].sort((a, b) => a[0] - b[0])) {
    const p = count / total;
    entropy -= p * Math.log2(p);
    if (count > majorityCount) {
      majorityCount = count;
      majorityMask = mask;
    }
  }
  const labelTotals = tally.labelSet.map((_, label) => tally.labelTotal(label));
  const present = labelTotals.filter((count) => count > 0);
  const train = tally.labelSets[0].size > 0 ? tally.labelSets[0] : all;
  const chance = chanceSetF1(train);
  let trainMajority = -1;
  let trainMajorityCount = 0;
  let trainTotal = 0;
  for (const [mask, count] of [...train].sort((a, b) => a[0] - b[0])) {
    trainTotal += count;
    if (count > trainMajorityCount) {
      trainMajorityCount = count;
      trainMajority = mask;
    }
  }
  let majorityF1 = 0;
  for (const [mask, count] of train) majorityF1 += (count / trainTotal) * maskSetF1(trainMajority, mask);
  const singleLabel = tally.labelsPerQuestion.every((count, n) => n === 1 || count === 0);
  const maxEntropy = singleLabel ? Math.log2(tally.labelSet.length) : Math.log2(Math.max(1, all.size));
  return {
    dataset_key: tally.datasetKey,
    domain: tally.domain,
    questions: total,
    label_count: tally.labelSet.length,
    distinct_label_sets: all.size,
    label_entropy_bits: total > 0 ? round6(Math.abs(entropy)) : null,
    max_entropy_bits: total > 0 ? round6(maxEntropy) : null,
    majority_answer: majorityMask >= 0 ? answerOf(tally, majorityMask) : null,
    majority_rate: total > 0 ? round6(majorityCount / total) : null,
    imbalance_ratio: present.length > 0 ? round6(Math.max(...present) / Math.min(...present)) : null,
    labels_absent: tally.labelSet.filter((_, label) => labelTotals[label] === 0),
    chance_set_f1: chance.value === null ? null : round6(chance.value),
    majority_set_f1: trainTotal > 0 ? round6(majorityF1) : null,
    chance_method: chance.method,
  };
}

export function domainLabelDifficulty(datasets: readonly DatasetLabelDifficulty[]): DomainLabelDifficulty[] {
  return DOMAIN_IDS.map((domain) => {
    const own = datasets.filter((d) => d.domain === domain && d.questions > 0);
    const questions = own.reduce((sum, d) => sum + d.questions, 0);
    const mean = (pick: (d: DatasetLabelDifficulty) => number | null): number | null =>
      questions > 0 ? round6(own.reduce((sum, d) => sum + (pick(d) ?? 0) * d.questions, 0) / questions) : null;
    return {
      domain,
      questions,
      label_entropy_bits: mean((d) => d.label_entropy_bits),
      majority_rate: mean((d) => d.majority_rate),
      chance_set_f1: mean((d) => d.chance_set_f1),
    };
  });
}
