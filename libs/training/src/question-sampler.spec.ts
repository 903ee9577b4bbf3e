import { describe, expect, it } from 'vitest';
import { QuestionSampler } from './question-sampler';

describe('QuestionSampler', () => {
  it('draws every item once per epoch, in a seeded order, with no repeat inside a batch', () => {
    const sampler = new QuestionSampler(10, 3);
    const batches = Array.from({ length: 12 }, () => sampler.nextBatch(4));
    for (const batch of batches) expect(new Set(batch).size).toBe(4);
    const flat = batches.flat();
    // The first two epochs (20 draws) each cover all 10 items.
    expect(new Set(flat.slice(0, 8)).size).toBe(8);
    const counts = new Array(10).fill(0);
    for (const item of flat) counts[item]++;
    expect(counts.every((count) => count >= 4 && count <= 5)).toBe(true);
    expect(new QuestionSampler(10, 3).nextBatch(4)).toEqual(batches[0]);
    expect(new QuestionSampler(10, 4).nextBatch(10)).not.toEqual(new QuestionSampler(10, 3).nextBatch(10));
  });

  it('continues from its state exactly, across epoch boundaries and their swaps', () => {
    const reference = new QuestionSampler(7, 11);
    const expected = Array.from({ length: 30 }, () => reference.nextBatch(5));
    for (const cut of [1, 2, 3, 9, 17]) {
      const first = new QuestionSampler(7, 11);
      for (let i = 0; i < cut; i++) first.nextBatch(5);
      const state = JSON.parse(JSON.stringify(first.state));
      const resumed = new QuestionSampler(7, 11, state);
      expect(Array.from({ length: 30 - cut }, () => resumed.nextBatch(5))).toEqual(expected.slice(cut));
    }
  });

  it('refuses a batch larger than the items', () => {
    expect(() => new QuestionSampler(3, 1).nextBatch(4)).toThrow(/needs at least 4 training rows/);
  });
});
