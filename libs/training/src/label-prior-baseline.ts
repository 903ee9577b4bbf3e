// Label-prior baselines (issue 10): what a model that never looks at the image or ECG gets, from the
// training split's label distribution of each dataset_key.
//  - majority: always the commonest training answer (label set) of the dataset;
//  - prevalence: a seeded guess per question — one label drawn from the training label distribution on
//    single-label datasets, each label independently with its training prevalence on multi-label ones.
// Their answers go through the same evaluation as the policy's (a \boxed{…} text, no boxes: IoU 0).
import { randomStream } from './question-sampler';

export type BaselineName = 'majority' | 'prevalence';
export const BASELINES: readonly BaselineName[] = ['majority', 'prevalence'];

export interface LabelledRow {
  readonly id: string;
  readonly datasetKey: string;
  readonly labels: readonly string[];
}

export interface DatasetPrior {
  readonly labelSet: readonly string[];
  /** The commonest training answer (ties: the first in order of answer text). */
  readonly majorityAnswer: readonly string[];
  /** Per label of labelSet: the share of training questions carrying it. */
  readonly prevalence: readonly number[];
  /** True when every training question has exactly one label. */
  readonly singleLabel: boolean;
  readonly questions: number;
}

/** The priors per dataset from its training rows (`labelSets` gives each dataset's canonical order). */
export function labelPriors(train: readonly LabelledRow[], labelSets: ReadonlyMap<string, readonly string[]>): Map<string, DatasetPrior> {
  const byDataset = new Map<string, LabelledRow[]>();
  for (const row of train) {
    const list = byDataset.get(row.datasetKey) ?? [];
    byDataset.set(row.datasetKey, list);
    list.push(row);
  }
  const priors = new Map<string, DatasetPrior>();
  for (const [key, labelSet] of labelSets) {
    const rows = byDataset.get(key) ?? [];
    const answers = new Map<string, number>();
    const counts = new Array<number>(labelSet.length).fill(0);
    let singleLabel = rows.length > 0;
    for (const row of rows) {
      const answer = row.labels.join(', ');
      answers.set(answer, (answers.get(answer) ?? 0) + 1);
      for (const label of row.labels) {
        const at = labelSet.indexOf(label);
        if (at >= 0) counts[at]++;
      }
      if (row.labels.length !== 1) singleLabel = false;
    }
    const ranked = [...answers].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const majority = ranked.length > 0 ? ranked[0][0] : labelSet[0];
    priors.set(key, {
      labelSet,
      majorityAnswer: majority === '' ? [] : majority.split(', '),
      prevalence: counts.map((count) => (rows.length > 0 ? count / rows.length : 0)),
      singleLabel: singleLabel || rows.length === 0,
      questions: rows.length,
    });
  }
  return priors;
}

const boxed = (labels: readonly string[]): string => `\\boxed{${labels.join(', ')}}`;

/** The baseline's answer text for one question (seeded by question id for the prevalence guesser). */
export function baselinePrediction(name: BaselineName, prior: DatasetPrior, questionId: string, seed: number): string {
  if (name === 'majority') return boxed(prior.majorityAnswer);
  const random = randomStream(seed, 'prevalence-baseline', questionId);
  if (prior.singleLabel) {
    const total = prior.prevalence.reduce((a, b) => a + b, 0);
    if (total === 0) return boxed([prior.labelSet[0]]);
    let u = random() * total;
    for (let i = 0; i < prior.labelSet.length; i++) {
      u -= prior.prevalence[i];
      if (u < 0) return boxed([prior.labelSet[i]]);
    }
    return boxed([prior.labelSet[prior.labelSet.length - 1]]);
  }
  return boxed(prior.labelSet.filter((_, i) => random() < prior.prevalence[i]));
}
