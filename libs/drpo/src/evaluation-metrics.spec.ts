import { describe, expect, it } from 'vitest';
import { evaluate, predictedLabels } from './evaluation-metrics';

describe('evaluation per dataset, domain and overall (QoQ-Med §4)', () => {
  const samples = [
    { prediction: '\\boxed{Edema}', answer: 'Edema', domain: 'chest_xray', datasetKey: 'chest_xray/vindr', iou: 0.5 },
    { prediction: '\\boxed{Edema}', answer: 'Pneumonia', domain: 'chest_xray', datasetKey: 'chest_xray/vindr', iou: 0.1 },
    { prediction: '\\boxed{BI-RADS 4}', answer: 'BI-RADS 4', domain: 'mammo', datasetKey: 'mammo/vindr' },
    { prediction: '\\boxed{Edema}', answer: 'Edema', domain: 'chest_xray', datasetKey: 'chest_xray/mimic-cxr' },
  ];
  const report = evaluate(samples);

  it('keeps datasets of the same name in different modalities apart', () => {
    expect(Object.keys(report.datasets).sort()).toEqual(['chest_xray/mimic-cxr', 'chest_xray/vindr', 'mammo/vindr']);
  });
  it('averages a domain over its datasets without weighting by size', () => {
    // vindr: Edema (tp1 fp1) and Pneumonia (fn1): accuracy (0.5 + 0.5) / 2; mimic-cxr: 1.
    expect(report.datasets['chest_xray/vindr'].accuracy).toBe(0.5);
    expect(report.domains.chest_xray.accuracy).toBe((0.5 + 1) / 2);
  });
  it('averages overall over domains, and reports IoU only where boxes exist', () => {
    expect(report.overall.accuracy).toBe((0.75 + 1) / 2);
    expect(report.domains.chest_xray.iou).toBeCloseTo(0.3, 12);
    expect(report.domains.mammo.iou).toBeUndefined();
  });
  it('treats the text "None" as no answer', () => {
    expect(predictedLabels('None').size).toBe(0);
    expect(predictedLabels('\\boxed{None}').size).toBe(0);
  });
});
