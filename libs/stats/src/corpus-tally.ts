// Per-dataset counters filled while the corpus streams past: the only state stats keeps, so memory is
// bounded by the catalog's size (datasets × labels²), never by the corpus's.
import type { DatasetSpec } from '@qoq/catalog';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];
export const SPLIT_INDEX: Readonly<Record<string, number>> = { train: 0, validation: 1, test: 2 };

export interface TallySnapshot {
  readonly datasetKey: string;
  readonly questions: number[];
  readonly labelCounts: number[];
  readonly cooccurrence: number[];
  readonly labelsPerQuestion: number[];
  readonly withBox: number[];
  readonly withMask: number[];
  readonly labelSets: Array<Array<[number, number]>>;
}

export class DatasetTally {
  readonly datasetKey: string;
  readonly domain: string;
  readonly modality: string;
  readonly labelSet: readonly string[];
  readonly labelIndex: ReadonlyMap<string, number>;
  /** Questions per split (train, validation, test). */
  readonly questions = new Float64Array(3);
  /** labelCounts[split * K + label]: questions of the split carrying the label. */
  readonly labelCounts: Float64Array;
  /** cooccurrence[a * K + b]: questions carrying both a and b (diagonal = label count), all splits. */
  readonly cooccurrence: Float64Array;
  /** labelsPerQuestion[n]: questions with n labels (all splits). */
  readonly labelsPerQuestion: Float64Array;
  /** Questions per split with a gold box / a gold mask. */
  readonly withBox = new Float64Array(3);
  readonly withMask = new Float64Array(3);
  /** Label sets as bit masks (label i = bit i; K ≤ 31 in the catalog) → questions, per split. */
  readonly labelSets: Array<Map<number, number>> = [new Map(), new Map(), new Map()];

  constructor(spec: DatasetSpec) {
    this.datasetKey = spec.dataset_key;
    this.domain = spec.domain;
    this.modality = spec.modality;
    this.labelSet = spec.label_set;
    this.labelIndex = new Map(spec.label_set.map((label, index) => [label, index]));
    const k = spec.label_set.length;
    if (k > 31) throw new RangeError(`${spec.dataset_key} has ${k} labels; label-set masks hold 31`);
    this.labelCounts = new Float64Array(3 * k);
    this.cooccurrence = new Float64Array(k * k);
    this.labelsPerQuestion = new Float64Array(k + 1);
  }

  get total(): number {
    return this.questions[0] + this.questions[1] + this.questions[2];
  }

  /** One question: its split index, its first `labelCount` label indices (catalog order), whether it has a box / mask. */
  add(split: number, labels: ArrayLike<number>, labelCount: number, hasBox: boolean, hasMask: boolean): void {
    const k = this.labelSet.length;
    this.questions[split] += 1;
    if (hasBox) this.withBox[split] += 1;
    if (hasMask) this.withMask[split] += 1;
    this.labelsPerQuestion[labelCount] += 1;
    let mask = 0;
    for (let i = 0; i < labelCount; i++) {
      const a = labels[i];
      mask |= 1 << a;
      this.labelCounts[split * k + a] += 1;
      for (let j = 0; j < labelCount; j++) this.cooccurrence[a * k + labels[j]] += 1;
    }
    const sets = this.labelSets[split];
    sets.set(mask, (sets.get(mask) ?? 0) + 1);
  }

  /** Questions carrying `label` over all splits. */
  labelTotal(label: number): number {
    const k = this.labelSet.length;
    return this.labelCounts[label] + this.labelCounts[k + label] + this.labelCounts[2 * k + label];
  }

  /** A plain, structured-clonable copy (what a worker thread sends back). */
  snapshot(): TallySnapshot {
    return {
      datasetKey: this.datasetKey,
      questions: Array.from(this.questions),
      labelCounts: Array.from(this.labelCounts),
      cooccurrence: Array.from(this.cooccurrence),
      labelsPerQuestion: Array.from(this.labelsPerQuestion),
      withBox: Array.from(this.withBox),
      withMask: Array.from(this.withMask),
      labelSets: this.labelSets.map((sets) => [...sets]),
    };
  }

  /** Adds the counts of another tally of the same dataset (counts are sums, so shard order does not matter). */
  merge(other: TallySnapshot): void {
    const add = (into: Float64Array, from: readonly number[]): void => from.forEach((value, index) => (into[index] += value));
    add(this.questions, other.questions);
    add(this.labelCounts, other.labelCounts);
    add(this.cooccurrence, other.cooccurrence);
    add(this.labelsPerQuestion, other.labelsPerQuestion);
    add(this.withBox, other.withBox);
    add(this.withMask, other.withMask);
    other.labelSets.forEach((sets, split) => {
      for (const [mask, count] of sets) this.labelSets[split].set(mask, (this.labelSets[split].get(mask) ?? 0) + count);
    });
  }

  /** The label-set distribution over all splits (mask → questions). */
  allLabelSets(): Map<number, number> {
    const merged = new Map<number, number>();
    for (const sets of this.labelSets) for (const [mask, count] of sets) merged.set(mask, (merged.get(mask) ?? 0) + count);
    return merged;
  }
}
