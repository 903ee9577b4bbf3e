import { describe, expect, it } from 'vitest';
import { butterworthHighPass, butterworthLowPass, filtfilt } from './ecg-filter';

const rate = 500;
const tone = (frequency: number, seconds = 20): Float64Array =>
  Float64Array.from({ length: rate * seconds }, (_, i) => Math.sin((2 * Math.PI * frequency * i) / rate));
const middleRms = (values: Float64Array): number => {
  const part = values.subarray(values.length / 4, (3 * values.length) / 4);
  return Math.sqrt(part.reduce((sum, value) => sum + value * value, 0) / part.length);
};

describe('zero-phase Butterworth filtering (forward–backward)', () => {
  it('removes baseline wander: a 0.1 Hz drift loses more than 40 dB through a 0.5 Hz high-pass', () => {
    const drift = tone(0.1, 40);
    const out = filtfilt(drift, [butterworthHighPass(rate, 0.5)], 3 * rate * 2);
    expect(20 * Math.log10(middleRms(out) / middleRms(drift))).toBeLessThan(-40);
  });

  it('keeps a 10 Hz component within 0.1 dB through a 0.5–40 Hz band-pass', () => {
    const input = tone(10);
    const out = filtfilt(input, [butterworthHighPass(rate, 0.5), butterworthLowPass(rate, 40)], 3000);
    expect(Math.abs(20 * Math.log10(middleRms(out) / middleRms(input)))).toBeLessThan(0.1);
  });

  it('does not move a QRS-like pulse (zero phase): the peak stays on its sample', () => {
    const pulse = Float64Array.from({ length: 5000 }, (_, i) => Math.exp(-(((i - 2500) / 8) ** 2)));
    const out = filtfilt(pulse, [butterworthLowPass(rate, 40)], 300);
    let peak = 0;
    for (let i = 1; i < out.length; i++) if (out[i] > out[peak]) peak = i;
    expect(peak).toBe(2500);
  });

  it('refuses a cutoff at or above Nyquist', () => {
    expect(() => butterworthLowPass(rate, 250)).toThrow(RangeError);
  });
});
