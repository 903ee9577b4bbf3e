// Evaluation figures (QoQ-Med §4) with bootstrap confidence intervals: accuracy, macro-F1 and IoU per
// dataset_key, per domain (mean of its datasets) and overall (mean of the domains), computed by
// @qoq/drpo's evaluate(); each figure beside its 95 % percentile interval over resamples of the
// questions, drawn within each dataset (so every resample has each dataset's size), seeded.
import { evaluate, type EvaluatedSample, type EvaluationReport } from '@qoq/drpo';
import { randomStream } from './question-sampler';

export interface Figure {
  readonly value: number;
  /** The 2.5th and 97.5th percentiles of the bootstrap distribution; null without resamples. */
  readonly ci95: readonly [number, number] | null;
}

export interface GroupFigures {
  readonly questions: number;
  readonly accuracy: Figure;
  readonly macro_f1: Figure;
  /** Mean IoU over the questions with a gold box or mask; null where there are none. */
  readonly iou: Figure | null;
}

export interface EvaluationFigures {
  readonly overall: GroupFigures;
  readonly domains: Readonly<Record<string, GroupFigures>>;
  readonly datasets: Readonly<Record<string, GroupFigures>>;
}

interface PointFigures {
  overall: { accuracy: number; f1: number; iou: number | null; questions: number };
  domains: Map<string, { accuracy: number; f1: number; iou: number | null; questions: number }>;
  datasets: Map<string, { accuracy: number; f1: number; iou: number | null; questions: number }>;
}

const mean = (values: readonly number[]): number | null => (values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length);

function pointFigures(samples: readonly EvaluatedSample[]): PointFigures {
  const report: EvaluationReport = evaluate(samples);
  const datasetIous = new Map<string, number[]>();
  const domainQuestions = new Map<string, number>();
  for (const sample of samples) {
    domainQuestions.set(sample.domain, (domainQuestions.get(sample.domain) ?? 0) + 1);
    if (sample.iou === undefined) continue;
    const list = datasetIous.get(sample.datasetKey) ?? [];
    datasetIous.set(sample.datasetKey, list);
    list.push(sample.iou);
  }
  const datasets = new Map<string, PointFigures['overall']>();
  for (const [key, metrics] of Object.entries(report.datasets)) {
    datasets.set(key, { accuracy: metrics.accuracy, f1: metrics.f1, iou: mean(datasetIous.get(key) ?? []), questions: metrics.samples });
  }
  const domains = new Map<string, PointFigures['overall']>();
  for (const [domain, metrics] of Object.entries(report.domains)) {
    domains.set(domain, { accuracy: metrics.accuracy, f1: metrics.f1, iou: metrics.iou ?? null, questions: domainQuestions.get(domain) ?? 0 });
  }
  const domainIous = [...domains.values()].map((d) => d.iou).filter((iou): iou is number => iou !== null);
  return { overall: { accuracy: report.overall.accuracy, f1: report.overall.f1, iou: mean(domainIous), questions: samples.length }, domains, datasets };
}

/** The p-quantile of sorted values (linear interpolation, as numpy's default). */
function quantileOfSorted(sorted: Float64Array, p: number): number {
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

function interval(values: number[]): readonly [number, number] | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return [quantileOfSorted(sorted, 0.025), quantileOfSorted(sorted, 0.975)];
}

class Draws {
  readonly accuracy: number[] = [];
  readonly f1: number[] = [];
  readonly iou: number[] = [];
  add(point: PointFigures['overall'] | undefined): void {
    if (!point) return;
    this.accuracy.push(point.accuracy);
    this.f1.push(point.f1);
    if (point.iou !== null) this.iou.push(point.iou);
  }
}

function groupFigures(point: PointFigures['overall'], draws: Draws | null): GroupFigures {
  return {
    questions: point.questions,
    accuracy: { value: point.accuracy, ci95: draws ? interval(draws.accuracy) : null },
    macro_f1: { value: point.f1, ci95: draws ? interval(draws.f1) : null },
    iou: point.iou === null ? null : { value: point.iou, ci95: draws ? interval(draws.iou) : null },
  };
}

/**
 * The figures of evaluated samples with `resamples` bootstrap replicates (0: no intervals), drawn from
 * mulberry32 seeded by (seed, 'bootstrap', label): the same samples and seed give the same intervals.
 */
export function evaluationFigures(samples: readonly EvaluatedSample[], resamples: number, seed: number, label = 'evaluation'): EvaluationFigures {
  const point = pointFigures(samples);
  let overallDraws: Draws | null = null;
  const domainDraws = new Map<string, Draws>();
  const datasetDraws = new Map<string, Draws>();
  if (resamples > 0) {
    overallDraws = new Draws();
    const byDataset = new Map<string, EvaluatedSample[]>();
    for (const sample of samples) {
      const list = byDataset.get(sample.datasetKey) ?? [];
      byDataset.set(sample.datasetKey, list);
      list.push(sample);
    }
    const keys = [...byDataset.keys()].sort();
    const random = randomStream(seed, 'bootstrap', label);
    for (let b = 0; b < resamples; b++) {
      const resampled: EvaluatedSample[] = [];
      for (const key of keys) {
        const list = byDataset.get(key) as EvaluatedSample[];
        for (let i = 0; i < list.length; i++) resampled.push(list[Math.floor(random() * list.length)]);
      }
      const replicate = pointFigures(resampled);
      overallDraws.add(replicate.overall);
      for (const [key, figures] of replicate.domains) {
        if (!domainDraws.has(key)) domainDraws.set(key, new Draws());
        domainDraws.get(key)?.add(figures);
      }
      for (const [key, figures] of replicate.datasets) {
        if (!datasetDraws.has(key)) datasetDraws.set(key, new Draws());
        datasetDraws.get(key)?.add(figures);
      }
    }
  }
  const sortedRecord = (map: Map<string, PointFigures['overall']>, draws: Map<string, Draws>): Record<string, GroupFigures> =>
    Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, figures]) => [key, groupFigures(figures, resamples > 0 ? (draws.get(key) ?? new Draws()) : null)]));
  return {
    overall: groupFigures(point.overall, overallDraws),
    domains: sortedRecord(point.domains, domainDraws),
    datasets: sortedRecord(point.datasets, datasetDraws),
  };
}
