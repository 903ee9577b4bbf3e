import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeWithTable, README_PATH } from './readme-table';
import { loadSpec, promisedAccuracy, chanceLevel, splitCounts } from './spec';

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

const spec = loadSpec();

describe('the spec table', () => {
  it('gives every dataset its rarity tier’s train count and the fixed validation 50 and test 100', () => {
    const train = { common: 1200, medium: 300, rare: 80 };
    for (const dataset of spec.datasets) expect(splitCounts(spec, dataset, 1)).toEqual({ train: train[dataset.rarity], validation: 50, test: 100 });
  });

  it('scales every split by the same factor, never below one item', () => {
    const dataset = must(spec.datasets.find((entry) => entry.rarity === 'rare'), 'dataset');
    expect(splitCounts(spec, dataset, 0.05)).toEqual({ train: 4, validation: 3, test: 5 });
    expect(splitCounts(spec, dataset, 0.001)).toEqual({ train: 1, validation: 1, test: 1 });
  });

  it('crosses rarity with difficulty so that rare-easy, rare-hard, common-easy and common-hard all exist', () => {
    const cells = new Set(spec.datasets.map((dataset) => `${dataset.rarity}-${dataset.difficulty}`));
    for (const cell of ['rare-easy', 'rare-hard', 'common-easy', 'common-hard']) expect(cells).toContain(cell);
    expect(new Set(spec.datasets.map((dataset) => dataset.domain))).toEqual(new Set(['ecg', 'chest_xray', 'mammo', 'derm', 'fundus', 'pathology', 'ultrasound', 'mri', 'ct']));
  });

  it('promises more above chance for easier tiers', () => {
    const easy = must(spec.datasets.find((dataset) => dataset.difficulty === 'easy'), 'dataset');
    const hard = must(spec.datasets.find((dataset) => dataset.difficulty === 'hard'), 'dataset');
    expect(promisedAccuracy(spec, easy) - chanceLevel(easy)).toBeGreaterThan(promisedAccuracy(spec, hard) - chanceLevel(hard));
    for (const dataset of spec.datasets) expect(promisedAccuracy(spec, dataset)).toBeGreaterThan(chanceLevel(dataset) + spec.learnability.shuffledMargin);
  });

  it('uses the catalog’s answer strings, none containing a reward separator', () => {
    for (const dataset of spec.datasets) for (const label of dataset.labels) expect(label).not.toMatch(/, | and | & |,|&/);
    const mammo = must(spec.datasets.find((dataset) => dataset.dataset_key === 'mammo/vindr'), 'dataset');
    expect(mammo.labels).toEqual(['BI-RADS 1', 'BI-RADS 2', 'BI-RADS 3', 'BI-RADS 4', 'BI-RADS 5']);
  });

  it('is what README.md shows', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readmeWithTable(readme, spec)).toBe(readme);
  });
});
