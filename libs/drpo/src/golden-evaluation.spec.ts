import { describe, expect, it } from 'vitest';
import { extractEvaluationAnswer, parseConditions } from './answer-extraction';
import { computeDatasetMetrics, computeMetricsByDataSource } from './evaluation-metrics';
import { readGolden } from './golden-cases';

interface ExtractCase {
  id: string;
  text: string;
  expected: { extracted: string; conditions: string[]; treated_as_no_answer: boolean };
  note: string;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

describe('the evaluation parser (../shared/golden/eval_extract.jsonl)', () => {
  const cases = readGolden<ExtractCase>('eval_extract.jsonl');
  it('has all 136 cases', () => expect(cases).toHaveLength(136));
  for (const c of cases) {
    it(`${c.id}: ${c.note}`, () => {
      const extracted = extractEvaluationAnswer(c.text);
      expect(extracted).toBe(c.expected.extracted);
      // Python sorts str by code point; every golden string is BMP, where code units order the same.
      expect([...parseConditions(extracted)].sort(byCodeUnits)).toEqual(c.expected.conditions);
      expect(extracted === 'None').toBe(c.expected.treated_as_no_answer);
    });
  }
});

interface ClassExpectation {
  precision: number;
  recall: number;
  sensitivity: number;
  specificity: number;
  f1: number;
  accuracy: number;
  count: number;
  confusion_matrix: { tp: number; fp: number; fn: number; tn: number };
}

type MetricsCase =
  | {
      id: string;
      function: 'compute_dataset_metrics';
      predictions: string[];
      ground_truths: string[];
      note: string;
      expected: { class_metrics: Record<string, ClassExpectation>; dataset_metrics: Record<string, number>; active_classes: number };
    }
  | {
      id: string;
      function: 'compute_metrics_by_data_source';
      predictions: string[];
      ground_truths: string[];
      data_sources: string[];
      datasets: string[];
      note: string;
      expected: Record<string, number>;
    };

describe('the evaluation metrics (../shared/golden/eval_metrics.jsonl)', () => {
  const cases = readGolden<MetricsCase>('eval_metrics.jsonl');
  it('has all 5 cases', () => expect(cases).toHaveLength(5));
  for (const c of cases) {
    it(`${c.id}: ${c.note}`, () => {
      if (c.function === 'compute_dataset_metrics') {
        const metrics = computeDatasetMetrics(c.predictions, c.ground_truths);
        expect(metrics.activeClasses).toBe(c.expected.active_classes);
        expect(new Set(metrics.classes.keys())).toEqual(new Set(Object.keys(c.expected.class_metrics)));
        for (const [label, expected] of Object.entries(c.expected.class_metrics)) {
          const mine = metrics.classes.get(label);
          if (!mine) throw new Error(`no metrics for ${label}`);
          expect(mine.confusion).toEqual(expected.confusion_matrix);
          expect(mine.count).toBe(expected.count);
          for (const name of ['precision', 'recall', 'sensitivity', 'specificity', 'f1', 'accuracy'] as const) {
            expect(mine[name]).toBe(expected[name]);
          }
        }
        // Averages sum in Python's set order: equal within 1e-12 (golden README).
        for (const [name, value] of Object.entries(c.expected.dataset_metrics)) {
          expect(Math.abs(metrics.summary[name as keyof typeof metrics.summary] - value)).toBeLessThanOrEqual(1e-12);
        }
      } else {
        const result = computeMetricsByDataSource(c.predictions, c.ground_truths, c.data_sources, c.datasets);
        expect(new Set(Object.keys(result))).toEqual(new Set(Object.keys(c.expected)));
        for (const [key, value] of Object.entries(c.expected)) expect(Math.abs(result[key] - value)).toBeLessThanOrEqual(1e-12);
      }
    });
  }
});
