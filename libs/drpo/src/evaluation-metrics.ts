// Evaluation metrics of QoQ-Med §4 (evaluation.py): per dataset, one-vs-rest confusion counts for every
// label that occurs in the gold answers; accuracy, F1 … averaged over those labels; a domain is the
// unweighted mean of its datasets, overall the unweighted mean of the domains.
import { NO_ANSWER, extractEvaluationAnswer, parseConditions } from './answer-extraction';

export interface ConfusionCounts {
  readonly tp: number;
  readonly fp: number;
  readonly fn: number;
  readonly tn: number;
}

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly sensitivity: number;
  readonly specificity: number;
  readonly f1: number;
  readonly accuracy: number;
  /** Gold occurrences of the label. */
  readonly count: number;
  readonly confusion: ConfusionCounts;
}

export const METRIC_NAMES = ['precision', 'recall', 'sensitivity', 'specificity', 'f1', 'accuracy'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type SummaryMetrics = Record<MetricName, number>;

export interface DatasetMetrics {
  readonly classes: ReadonlyMap<string, ClassMetrics>;
  /** Mean over the labels present in the gold answers; all zero when there are none. */
  readonly summary: SummaryMetrics;
  readonly activeClasses: number;
}

/** The labels a prediction names: empty when the evaluation extractor yields "None" (no answer). */
export function predictedLabels(prediction: string): Set<string> {
  const extracted = extractEvaluationAnswer(prediction);
  return extracted === NO_ANSWER ? new Set() : parseConditions(extracted);
}

const ratio = (numerator: number, denominator: number): number => (denominator > 0 ? numerator / denominator : 0);

function classMetrics(confusion: ConfusionCounts, total: number): ClassMetrics {
  const precision = ratio(confusion.tp, confusion.tp + confusion.fp);
  const recall = ratio(confusion.tp, confusion.tp + confusion.fn);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return {
    precision,
    recall,
    sensitivity: recall,
    specificity: ratio(confusion.tn, confusion.tn + confusion.fp),
    f1,
    accuracy: (confusion.tp + confusion.tn) / total,
    count: confusion.tp + confusion.fn,
    confusion,
  };
}

export function meanMetrics(items: readonly SummaryMetrics[]): SummaryMetrics {
  const summary = { precision: 0, recall: 0, sensitivity: 0, specificity: 0, f1: 0, accuracy: 0 };
  if (items.length === 0) return summary;
  for (const name of METRIC_NAMES) {
    let total = 0;
    for (const item of items) total += item[name];
    summary[name] = total / items.length;
  }
  return summary;
}

/** compute_dataset_metrics: predictions are raw completions, gold answers are label strings. */
export function computeDatasetMetrics(predictions: readonly string[], answers: readonly string[]): DatasetMetrics {
  if (predictions.length !== answers.length) throw new RangeError('predictions and answers differ in length');
  const predicted = predictions.map(predictedLabels);
  const gold = answers.map((answer) => parseConditions(answer));
  const labels = new Set<string>();
  for (const set of gold) for (const label of set) labels.add(label);
  const classes = new Map<string, ClassMetrics>();
  for (const label of labels) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (let i = 0; i < gold.length; i++) {
      const inGold = gold[i].has(label);
      const inPrediction = predicted[i].has(label);
      if (inGold && inPrediction) tp++;
      else if (inPrediction) fp++;
      else if (inGold) fn++;
      else tn++;
    }
    classes.set(label, classMetrics({ tp, fp, fn, tn }, gold.length));
  }
  return { classes, summary: meanMetrics([...classes.values()]), activeClasses: classes.size };
}

export interface EvaluatedSample {
  readonly prediction: string;
  readonly answer: string;
  readonly domain: string;
  readonly datasetKey: string;
  /** The sample's IoU where it has a gold box or mask. */
  readonly iou?: number;
}

export interface EvaluationReport {
  readonly datasets: Record<string, SummaryMetrics & { readonly samples: number }>;
  readonly domains: Record<string, SummaryMetrics & { readonly iou?: number }>;
  readonly overall: SummaryMetrics;
}

/** Metrics per dataset, per domain (mean of its datasets) and overall (mean of domains), IoU per domain. */
export function evaluate(samples: readonly EvaluatedSample[]): EvaluationReport {
  const byDomain = new Map<string, Map<string, EvaluatedSample[]>>();
  for (const sample of samples) {
    const datasets = byDomain.get(sample.domain) ?? new Map<string, EvaluatedSample[]>();
    byDomain.set(sample.domain, datasets);
    const list = datasets.get(sample.datasetKey) ?? [];
    datasets.set(sample.datasetKey, list);
    list.push(sample);
  }
  const datasets: EvaluationReport['datasets'] = {};
  const domains: EvaluationReport['domains'] = {};
  for (const [domain, domainDatasets] of [...byDomain].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const summaries: SummaryMetrics[] = [];
    const ious: number[] = [];
    for (const [key, list] of [...domainDatasets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const metrics = computeDatasetMetrics(list.map((s) => s.prediction), list.map((s) => s.answer));
      datasets[key] = { ...metrics.summary, samples: list.length };
      summaries.push(metrics.summary);
      for (const sample of list) if (sample.iou !== undefined) ious.push(sample.iou);
    }
    const summary = meanMetrics(summaries);
    domains[domain] = ious.length > 0 ? { ...summary, iou: ious.reduce((a, b) => a + b, 0) / ious.length } : summary;
  }
  return { datasets, domains, overall: meanMetrics(Object.values(domains)) };
}

/**
 * compute_metrics_by_data_source, key for key: `source/dataset/metric`, `source/metric` (mean over the
 * source's datasets) and `val/metric` (mean over sources).
 */
export function computeMetricsByDataSource(
  predictions: readonly string[],
  answers: readonly string[],
  dataSources: readonly string[],
  datasetNames: readonly string[],
): Record<string, number> {
  const groups = new Map<string, Map<string, number[]>>();
  dataSources.forEach((source, i) => {
    const datasets = groups.get(source) ?? new Map<string, number[]>();
    groups.set(source, datasets);
    const indices = datasets.get(datasetNames[i]) ?? [];
    datasets.set(datasetNames[i], indices);
    indices.push(i);
  });
  const result: Record<string, number> = {};
  const sourceSummaries: SummaryMetrics[] = [];
  for (const [source, datasets] of groups) {
    const datasetSummaries: SummaryMetrics[] = [];
    for (const [dataset, indices] of datasets) {
      const summary = computeDatasetMetrics(indices.map((i) => predictions[i]), indices.map((i) => answers[i])).summary;
      for (const name of METRIC_NAMES) result[`${source}/${dataset}/${name}`] = summary[name];
      datasetSummaries.push(summary);
    }
    const sourceSummary = meanMetrics(datasetSummaries);
    for (const name of METRIC_NAMES) result[`${source}/${name}`] = sourceSummary[name];
    sourceSummaries.push(sourceSummary);
  }
  const overall = meanMetrics(sourceSummaries);
  for (const name of METRIC_NAMES) result[`val/${name}`] = overall[name];
  return result;
}
