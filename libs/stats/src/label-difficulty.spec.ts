import { setF1 } from '@qoq/drpo';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chanceSetF1, maskSetF1 } from './label-difficulty';
import { wilsonInterval } from './wilson-interval';

const setOf = (mask: number): Set<string> => new Set(Array.from({ length: 31 }, (_, i) => i).filter((i) => (mask & (1 << i)) !== 0).map(String));

describe('chance level of the set-F1 reward', () => {
  it('scores label sets as bit masks exactly as the reward\'s setF1 scores the sets', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 28 - 1 }), fc.integer({ min: 0, max: 2 ** 28 - 1 }), (a, b) => {
        expect(maskSetF1(a, b)).toBeCloseTo(setF1(setOf(a), setOf(b)), 12);
      }),
    );
  });

  it('is Σ p² for single-label answers, and 1/K only when the classes are uniform', () => {
    expect(chanceSetF1(new Map([[1, 70], [2, 20], [4, 10]])).value).toBeCloseTo(0.49 + 0.04 + 0.01, 12);
    expect(chanceSetF1(new Map([[1, 5], [2, 5], [4, 5], [8, 5]])).value).toBeCloseTo(1 / 4, 12);
  });

  it('credits partial overlap of multi-label answers', () => {
    // {A} and {A,B} half each: ¼·1 + ½·F1({A},{A,B}) + ¼·1 with F1 = 2·1 / (1 + 2).
    expect(chanceSetF1(new Map([[0b01, 3], [0b11, 3]])).value).toBeCloseTo(0.25 + 0.5 * (2 / 3) + 0.25, 12);
    expect(chanceSetF1(new Map()).value).toBeNull();
  });

  it('agrees with a Monte Carlo estimate of the reward of a guesser drawing from the same distribution', () => {
    const sets = new Map([[0b001, 50], [0b011, 30], [0b110, 15], [0b100, 5]]);
    const entries = [...sets];
    const draw = (u: number): number => {
      let acc = 0;
      for (const [mask, count] of entries) if (u < (acc += count / 100)) return mask;
      return entries[entries.length - 1][0];
    };
    let state = 12345;
    const random = (): number => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
    let sum = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) sum += setF1(setOf(draw(random())), setOf(draw(random())));
    expect(chanceSetF1(sets).value).toBeCloseTo(sum / n, 2);
  });
});

describe('Wilson score interval', () => {
  it('matches published 95 % intervals (Brown, Cai & DasGupta 2001; Newcombe 1998)', () => {
    const zero = wilsonInterval(0, 10);
    expect(zero.low).toBe(0);
    expect(zero.high).toBeCloseTo(0.2775, 4);
    const half = wilsonInterval(5, 10);
    expect([half.low, half.high].map((v) => Number(v.toFixed(4)))).toEqual([0.2366, 0.7634]);
    const newcombe = wilsonInterval(81, 263);
    expect([newcombe.low, newcombe.high].map((v) => Number(v.toFixed(4)))).toEqual([0.2553, 0.3662]);
  });

  it('knows nothing from no trials and narrows as n grows', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    const small = wilsonInterval(50, 100);
    const large = wilsonInterval(5000, 10000);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });
});
