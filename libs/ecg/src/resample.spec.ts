import { requireOracle, runPython } from '@qoq/testing';
import { describe, expect, it } from 'vitest';
import { rationalRatio, resamplePoly, resampledLength } from './resample';

function sine(frequency: number, rate: number, seconds: number): Float64Array {
  const out = new Float64Array(Math.round(rate * seconds));
  for (let i = 0; i < out.length; i++) out[i] = Math.sin((2 * Math.PI * frequency * i) / rate);
  return out;
}

/** RMS over the middle half, away from the zero-extended edges. */
function middleRms(values: Float64Array): number {
  const from = Math.floor(values.length / 4);
  const to = Math.floor((3 * values.length) / 4);
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] * values[i];
  return Math.sqrt(sum / (to - from));
}

const decibels = (ratio: number): number => 20 * Math.log10(ratio);

describe('resamplePoly (Kaiser-windowed sinc polyphase FIR)', () => {
  const ratio = rationalRatio(500, 250);

  it('keeps a 10 Hz sine within 0.1 dB going from 500 to 250 Hz', () => {
    const input = sine(10, 500, 20);
    const output = resamplePoly(input, ratio);
    expect(Math.abs(decibels(middleRms(output) / middleRms(input)))).toBeLessThan(0.1);
  });

  it('attenuates a 200 Hz sine (above the new 125 Hz Nyquist) below −40 dB going from 500 to 250 Hz', () => {
    const input = sine(200, 500, 20);
    const output = resamplePoly(input, ratio);
    expect(decibels(middleRms(output) / middleRms(input))).toBeLessThan(-40);
  });

  it('keeps the sine in phase: the 250 Hz output equals the sine sampled at 250 Hz', () => {
    const output = resamplePoly(sine(10, 500, 20), ratio);
    const expected = sine(10, 250, 20);
    let worst = 0;
    for (let i = 1000; i < 4000; i++) worst = Math.max(worst, Math.abs(output[i] - expected[i]));
    expect(worst).toBeLessThan(2e-3);
  });

  it('gives ceil(n · up / down) samples and reduces the ratio', () => {
    expect(rationalRatio(360, 250)).toEqual({ up: 25, down: 36 });
    expect(rationalRatio(1000, 250)).toEqual({ up: 1, down: 4 });
    expect(resampledLength(1001, { up: 1, down: 2 })).toBe(501);
    expect(resamplePoly(new Float64Array(1001), { up: 1, down: 2 }).length).toBe(501);
  });

  it('approximates a non-integral rate with terms up to 1000 and says what it used', () => {
    const { up, down } = rationalRatio(62.4725, 250);
    expect(Math.max(up, down)).toBeLessThanOrEqual(1000);
    expect(Math.abs((62.4725 * up) / down - 250) / 250).toBeLessThan(1e-3);
  });

  it('returns a copy at ratio 1/1, leaving values exactly as they were', () => {
    const input = Float64Array.from([0.1, -0.2, 0.3]);
    const output = resamplePoly(input, { up: 1, down: 1 });
    expect(Array.from(output)).toEqual([0.1, -0.2, 0.3]);
    expect(output).not.toBe(input);
  });

  // Stated tolerance: 1e-9 absolute on signals of unit amplitude. Both compute the same sums in
  // double precision; only the order of additions differs.
  it.runIf(requireOracle('scipy'))('agrees with scipy.signal.resample_poly within 1e-9 for common ECG rates', () => {
    const rates: [number, number][] = [[500, 250], [1000, 250], [360, 250], [257, 250], [100, 250], [128, 250]];
    const input = new Float64Array(1500);
    for (let i = 0; i < input.length; i++) input[i] = Math.sin(i * 0.05) + 0.3 * Math.cos(i * 1.3) + (((i * 7919) % 13) - 6) / 13;
    const ratios = rates.map(([from, to]) => rationalRatio(from, to));
    const script = [
      'import sys, json, numpy as np',
      'from scipy.signal import resample_poly',
      'data = json.load(sys.stdin)',
      'x = np.array(data["x"])',
      'print(json.dumps([resample_poly(x, r["up"], r["down"]).tolist() for r in data["ratios"]]))',
    ].join('\n');
    const expected = JSON.parse(runPython(script, [], JSON.stringify({ x: Array.from(input), ratios })).stdout) as number[][];
    ratios.forEach((r, k) => {
      const ours = resamplePoly(input, r);
      expect(ours.length).toBe(expected[k].length);
      let worst = 0;
      for (let i = 0; i < ours.length; i++) worst = Math.max(worst, Math.abs(ours[i] - expected[k][i]));
      expect({ ratio: r, worst: worst < 1e-9 }).toEqual({ ratio: r, worst: true });
    });
  });
});
