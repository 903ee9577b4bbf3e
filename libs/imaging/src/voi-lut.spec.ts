// The VOI functions of PS3.3 §C.11.2 at their boundary values, with 8-bit output (ymin 0, ymax 255).
import { describe, expect, it } from 'vitest';
import { minMaxWindow, voiFunctionName, windowFunction } from './voi-lut';

describe('LINEAR window (PS3.3 §C.11.2.1.2.1)', () => {
  // c = 2048, w = 4096 over 12-bit data: x ≤ c − 0.5 − (w−1)/2 = 0 is ymin, x > c − 0.5 + (w−1)/2 = 4095 is ymax.
  const linear = windowFunction(2048, 4096, 'LINEAR');

  it('maps x ≤ c − 0.5 − (w − 1)/2 to ymin and x = c − 0.5 + (w − 1)/2 to ymax exactly', () => {
    expect(linear(-1)).toBe(0);
    expect(linear(0)).toBe(0);
    expect(linear(4095)).toBe(255);
    expect(linear(4096)).toBe(255);
  });

  it('is linear in between, with c − 0.5 at mid-grey', () => {
    expect(linear(2047.5)).toBeCloseTo(127.5, 10);
    expect(linear(1)).toBeCloseTo(255 / 4095, 10);
    expect(linear(3000) - linear(2000)).toBeCloseTo((1000 * 255) / 4095, 10);
  });

  it('with width 1 is a threshold at c − 0.5', () => {
    const threshold = windowFunction(100, 1, 'LINEAR');
    expect(threshold(99)).toBe(0);
    expect(threshold(99.5)).toBe(0);
    expect(threshold(99.6)).toBe(255);
    expect(threshold(100)).toBe(255);
  });
});

describe('LINEAR_EXACT window (PS3.3 §C.11.2.1.3.2)', () => {
  const exact = windowFunction(0, 100, 'LINEAR_EXACT');
  it('maps c − w/2 to ymin, c + w/2 to ymax and c to mid-grey, without the half-unit offset of LINEAR', () => {
    expect(exact(-50)).toBe(0);
    expect(exact(-49.99)).toBeGreaterThan(0);
    expect(exact(0)).toBe(127.5);
    expect(exact(50)).toBe(255);
    expect(exact(50.01)).toBe(255);
    expect(windowFunction(0, 100, 'LINEAR')(0)).not.toBe(127.5);
  });
});

describe('SIGMOID window (PS3.3 §C.11.2.1.3.1)', () => {
  const sigmoid = windowFunction(40, 80, 'SIGMOID');
  it('is mid-grey at the centre and 255/(1 + e^∓2) one half-width either side', () => {
    expect(sigmoid(40)).toBe(127.5);
    expect(sigmoid(80)).toBeCloseTo(255 / (1 + Math.exp(-2)), 10);
    expect(sigmoid(0)).toBeCloseTo(255 / (1 + Math.exp(2)), 10);
  });
  it('never reaches ymin or ymax, and is symmetric about the centre', () => {
    expect(sigmoid(-10_000)).toBeGreaterThanOrEqual(0);
    expect(sigmoid(10_000)).toBeLessThanOrEqual(255);
    expect(sigmoid(40 + 17) + sigmoid(40 - 17)).toBeCloseTo(255, 10);
  });
});

describe('VOI LUT Function', () => {
  it('reads LINEAR_EXACT and SIGMOID, and anything else (absent, unknown) as the default LINEAR', () => {
    expect(voiFunctionName('SIGMOID')).toBe('SIGMOID');
    expect(voiFunctionName('LINEAR_EXACT ')).toBe('LINEAR_EXACT');
    expect(voiFunctionName(undefined)).toBe('LINEAR');
    expect(voiFunctionName('GAMMA')).toBe('LINEAR');
  });
});

describe('min-max window', () => {
  it('is the LINEAR window that maps the minimum to 0 and the maximum to 255 (dcmtk getMinMaxWindow)', () => {
    const { center, width } = minMaxWindow(-1024, 3071);
    const window = windowFunction(center, width, 'LINEAR');
    expect(window(-1024)).toBe(0);
    expect(window(3071)).toBe(255);
    expect(window(-1023)).toBeGreaterThan(0);
    expect(window(3070)).toBeLessThan(255);
  });
});
