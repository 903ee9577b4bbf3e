import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeReward, CODE_REWARD_WEIGHTS, PAPER_REWARD_WEIGHTS } from './medical-reward';

/** Every value the format score can stop at, built by the same accumulation as the code. */
function formatStops(): { stops: Set<number>; listPrefixes: number[] } {
  const stops = new Set<number>();
  const listPrefixes: number[] = [];
  for (const fence of [0, 0.2, 0.2 + 0.1]) {
    stops.add(fence);
    for (const parsed of [0.2, 0.1]) {
      stops.add(fence + parsed);
      listPrefixes.push(fence + parsed + 0.1);
    }
  }
  return { stops, listPrefixes };
}

function onFormatGrid(format: number): boolean {
  const { stops, listPrefixes } = formatStops();
  if (stops.has(format)) return true;
  return listPrefixes.some((prefix) => format >= prefix - 1e-12 && format <= prefix + 0.4 + 1e-12);
}

/** Text shaped like completions: fences, JSON-ish boxes, \boxed, separators, odd whitespace. */
const completionPiece = fc.oneof(
  fc.constantFrom('```', '```json', '\n', '\r\n', '\u2028', '\\boxed{', '}', '{', '[', ']', ', ', ' and ', '&', "'", '"', 'NaN'),
  fc.constantFrom('{"bbox_2d": [1, 2, 30, 40], "label": "a"}', '[{"bbox_2d": [10, 10, 50, 50]}]', '(1, 2, 3, 4)', 'True', 'None'),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.integer({ min: -5, max: 80 }).map(String),
);
const completion = fc.array(completionPiece, { maxLength: 30 }).map((pieces) => pieces.join(''));
const goldBox = fc.option(fc.tuple(fc.double({ min: -10, max: 60, noNaN: true }), fc.double({ min: -10, max: 60, noNaN: true }), fc.double({ min: -10, max: 60, noNaN: true }), fc.double({ min: -10, max: 60, noNaN: true })), { nil: null });
const goldMask = fc.option(
  fc.uint8Array({ minLength: 64, maxLength: 64 }).map((pixels) => ({ width: 8, height: 8, pixels })),
  { nil: null },
);

describe('the fixed reward on any string', () => {
  it('never throws, and keeps every component in range and the format on its grid', () => {
    fc.assert(
      fc.property(fc.oneof(completion, fc.string(), fc.string({ unit: 'binary' })), fc.string({ maxLength: 20 }), goldBox, goldMask, fc.constantFrom('mean', 'max') as fc.Arbitrary<'mean' | 'max'>, (text, answer, box, mask, iou) => {
        const r = computeReward(text, { answer, goldBox: box, goldMask: mask }, { iou });
        for (const value of [r.accuracy, r.iou, r.format, r.length]) {
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1 + 1e-12);
        }
        expect(onFormatGrid(r.format)).toBe(true);
        expect(Number.isFinite(r.overall)).toBe(true);
      }),
      { numRuns: 600 },
    );
  });

  it('survives nesting and integers that make the released code raise', () => {
    for (const text of ['```json\n' + '['.repeat(5000) + '\n```', '```json\n[' + '9'.repeat(10000) + ']\n```', '{'.repeat(3000)]) {
      expect(() => computeReward(text, { answer: 'x', goldBox: [0, 0, 1, 1] })).not.toThrow();
    }
  });
});

describe('reward weights', () => {
  const text = '<think>x</think>\n```json\n[{"bbox_2d": [10, 10, 50, 50], "label": "a"}]\n```\n\\boxed{Edema}';
  it('default to the code\'s 0.5 / 0.3 / 0.1 / 0.1', () => {
    const r = computeReward(text, { answer: 'Edema', goldBox: [10, 10, 50, 50] });
    expect(CODE_REWARD_WEIGHTS).toEqual({ accuracy: 0.5, iou: 0.3, format: 0.1, length: 0.1 });
    expect(r.overall).toBeCloseTo(0.5 + 0.3 + 0.1 + 0.1 * r.length, 12);
  });
  it('offer the paper\'s 0.6 / 0.2 / 0.2 as a preset', () => {
    const r = computeReward(text, { answer: 'Edema, Pneumonia', goldBox: [10, 10, 50, 50] }, { weights: PAPER_REWARD_WEIGHTS });
    expect(r.overall).toBeCloseTo(0.6 * (2 / 3) + 0.2 * 1 + 0.2 * 1, 12);
  });
  it('scores the best box with --iou=max and the mean by default', () => {
    const two = '```json\n[{"bbox_2d": [10, 10, 50, 50], "label": "a"}, {"bbox_2d": [100, 100, 120, 120], "label": "b"}]\n```';
    expect(computeReward(two, { answer: 'a', goldBox: [10, 10, 50, 50] }).iou).toBe(0.5);
    expect(computeReward(two, { answer: 'a', goldBox: [10, 10, 50, 50] }, { iou: 'max' }).iou).toBe(1);
  });
});
