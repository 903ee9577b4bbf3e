import { evaluate, type EvaluatedSample } from '@qoq/drpo';
import { describe, expect, it } from 'vitest';
import { evaluationFigures } from './evaluation-figures';
import { baselinePrediction, labelPriors } from './label-prior-baseline';
import { mulberry32 } from '@qoq/runtime';

function samples(count: number, seed: number): EvaluatedSample[] {
  const random = mulberry32(seed);
  const labels = ['A', 'B', 'C'];
  return Array.from({ length: count }, (_, i) => {
    const gold = labels[Math.floor(random() * 3)];
    const right = random() < 0.7;
    const predicted = right ? gold : labels[Math.floor(random() * 3)];
    const datasetKey = i % 3 === 0 ? 'x/one' : i % 3 === 1 ? 'x/two' : 'y/three';
    return { prediction: `<think>…</think>\\boxed{${predicted}}`, answer: gold, domain: datasetKey.split('/')[0], datasetKey, ...(datasetKey === 'y/three' ? { iou: random() } : {}) };
  });
}

describe('evaluationFigures', () => {
  it('gives the point figures of @qoq/drpo evaluate(), per dataset, domain and overall', () => {
    const input = samples(90, 1);
    const figures = evaluationFigures(input, 0, 0);
    const report = evaluate(input);
    expect(figures.overall.macro_f1.value).toBe(report.overall.f1);
    expect(figures.overall.accuracy.value).toBe(report.overall.accuracy);
    expect(figures.domains.x.macro_f1.value).toBe(report.domains.x.f1);
    expect(figures.datasets['x/two'].accuracy.value).toBe(report.datasets['x/two'].accuracy);
    expect(figures.datasets['x/two'].questions).toBe(30);
    expect(figures.datasets['x/one'].iou).toBeNull();
    expect(figures.domains.y.iou?.value).toBeCloseTo(report.domains.y.iou as number, 12);
    expect(figures.overall.macro_f1.ci95).toBeNull();
  });

  it('puts a seeded bootstrap interval around each figure that narrows with more questions', () => {
    const small = evaluationFigures(samples(60, 2), 300, 5);
    const again = evaluationFigures(samples(60, 2), 300, 5);
    expect(again).toEqual(small);
    const [low, high] = small.overall.macro_f1.ci95 as [number, number];
    expect(low).toBeLessThanOrEqual(small.overall.macro_f1.value);
    expect(high).toBeGreaterThanOrEqual(small.overall.macro_f1.value);
    expect(high - low).toBeGreaterThan(0);
    const large = evaluationFigures(samples(1200, 2), 300, 5);
    const [largeLow, largeHigh] = large.overall.macro_f1.ci95 as [number, number];
    expect(largeHigh - largeLow).toBeLessThan((high - low) / 2);
    expect(evaluationFigures(samples(60, 2), 300, 6).overall.macro_f1.ci95).not.toEqual(small.overall.macro_f1.ci95);
  });
});

describe('label-prior baselines', () => {
  const labelSets = new Map([['d/single', ['A', 'B', 'C']], ['d/multi', ['P', 'Q', 'R']]]);
  const train = [
    ...Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, datasetKey: 'd/single', labels: [i < 4 ? 'B' : 'C'] })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: `m${i}`, datasetKey: 'd/multi', labels: i < 3 ? ['P', 'R'] : ['Q'] })),
  ];

  it('answer with the commonest training answer, and guess with the training prevalence', () => {
    const priors = labelPriors(train, labelSets);
    const single = priors.get('d/single');
    expect(single?.majorityAnswer).toEqual(['B']);
    expect(single?.singleLabel).toBe(true);
    expect(single?.prevalence).toEqual([0, 4 / 6, 2 / 6]);
    expect(priors.get('d/multi')?.majorityAnswer).toEqual(['P', 'R']);
    expect(priors.get('d/multi')?.singleLabel).toBe(false);
    expect(baselinePrediction('majority', single as never, 'q', 0)).toBe('\\boxed{B}');
    const guesses = Array.from({ length: 3000 }, (_, i) => baselinePrediction('prevalence', single as never, `q${i}`, 1));
    expect(guesses.filter((g) => g === '\\boxed{A}')).toHaveLength(0);
    expect(guesses.filter((g) => g === '\\boxed{B}').length / 3000).toBeCloseTo(4 / 6, 1);
    expect(baselinePrediction('prevalence', single as never, 'q7', 1)).toBe(guesses[7]);
    const multi = Array.from({ length: 3000 }, (_, i) => baselinePrediction('prevalence', priors.get('d/multi') as never, `q${i}`, 1));
    expect(multi.filter((g) => g.includes('P')).length / 3000).toBeCloseTo(0.75, 1);
  });
});
