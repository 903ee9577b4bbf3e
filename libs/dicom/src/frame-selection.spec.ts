import { describe, expect, it } from 'vitest';
import { parseFrameSelection, selectFrames } from './frame-selection';

describe('selectFrames', () => {
  it('spreads N frames uniformly at floor(i·(T−1)/(N−1)), first and last included', () => {
    expect(selectFrames(15, 4)).toEqual([0, 4, 9, 14]);
    expect(selectFrames(10, 3)).toEqual([0, 4, 9]);
    expect(selectFrames(100, 5)).toEqual([0, 24, 49, 74, 99]);
  });

  it('takes the middle frame for "middle" and for N = 1', () => {
    expect(selectFrames(15, 'middle')).toEqual([7]);
    expect(selectFrames(4, 'middle')).toEqual([1]);
    expect(selectFrames(15, 1)).toEqual([7]);
    expect(selectFrames(1, 'middle')).toEqual([0]);
  });

  it('takes every frame for "all" and for N ≥ T', () => {
    expect(selectFrames(3, 'all')).toEqual([0, 1, 2]);
    expect(selectFrames(3, 7)).toEqual([0, 1, 2]);
  });

  it('parses the --frames option and refuses anything else', () => {
    expect(parseFrameSelection('middle')).toBe('middle');
    expect(parseFrameSelection('all')).toBe('all');
    expect(parseFrameSelection('12')).toBe(12);
    for (const bad of ['0', '-3', '2.5', 'first', '']) expect(parseFrameSelection(bad)).toBeUndefined();
  });
});
