import { describe, expect, it } from 'vitest';
import { elbowK, kMeansPlusPlus, lloyd, type WeightedPoints } from './kmeans';
import { mulberry32 } from './prng';

const points = (rows: number[][], weights?: number[]): WeightedPoints => ({
  points: Float64Array.from(rows.flat()),
  weights: Float64Array.from(weights ?? rows.map(() => 1)),
  count: rows.length,
  dimension: rows[0].length,
});

describe('the elbow rule of QoQ-Med §2.3', () => {
  it('stops at k = 2 when the 2→3 drop is under 10 % of the 1→2 drop', () => {
    expect(elbowK([100, 10, 9.5, 9])).toBe(2);
  });
  it('takes the first i ≥ 2 whose drop is under 10 % of the previous one', () => {
    // D1 = 50, D2 = 30 (not < 5), D3 = 2 (< 3) → k = 3.
    expect(elbowK([100, 50, 20, 18, 10])).toBe(3);
  });
  it('falls back to kCap when no drop qualifies, and gives 1 for kCap = 1', () => {
    expect(elbowK([100, 60, 30, 10])).toBe(4);
    expect(elbowK([100, 10])).toBe(2);
    expect(elbowK([7])).toBe(1);
  });
});

describe('weighted k-means', () => {
  it('finds two well separated groups', () => {
    const data = points([[0, 0], [0.1, 0], [0, 0.1], [5, 5], [5.1, 5], [5, 5.1]]);
    const fit = lloyd(data, kMeansPlusPlus(data, 2, mulberry32(1)), 2);
    expect(fit.labels[0]).toBe(fit.labels[1]);
    expect(fit.labels[0]).not.toBe(fit.labels[3]);
    expect([...fit.sizes].sort()).toEqual([3, 3]);
  });
  it('gives the same centroids and inertia for a weighted point as for its repeats', () => {
    const repeated = points([[0, 0], [0, 0], [0, 0], [1, 1], [4, 4]]);
    const weighted = points([[0, 0], [1, 1], [4, 4]], [3, 1, 1]);
    const start = Float64Array.from([0, 0, 4, 4]);
    const a = lloyd(repeated, start, 2);
    const b = lloyd(weighted, start, 2);
    expect(Array.from(a.centroids)).toEqual(Array.from(b.centroids));
    expect(a.inertia).toBeCloseTo(b.inertia, 12);
    expect(Array.from(a.sizes)).toEqual(Array.from(b.sizes));
  });
  it('is reproducible from its seed (mulberry32)', () => {
    const data = points(Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(i * 3)]));
    expect(kMeansPlusPlus(data, 4, mulberry32(9))).toEqual(kMeansPlusPlus(data, 4, mulberry32(9)));
  });
});
