// Zero-phase filtering for baseline-wander removal and band-pass: second-order Butterworth sections
// (bilinear transform with pre-warping, Q = 1/√2) run forward then backward, as scipy.signal.filtfilt
// does. Running both ways doubles the attenuation (−6 dB at the cutoff instead of −3 dB) and cancels
// the phase, so QRS complexes do not move. Edges: odd extension of the signal and steady-state
// initial conditions, which keep the start and end free of step transients.

export interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

function butterworth(kind: 'low' | 'high', samplingFrequency: number, cutoffHz: number): Biquad {
  if (!(cutoffHz > 0 && cutoffHz < samplingFrequency / 2)) {
    throw new RangeError(`cutoff ${cutoffHz} Hz must lie between 0 and Nyquist (${samplingFrequency / 2} Hz)`);
  }
  const k = Math.tan((Math.PI * cutoffHz) / samplingFrequency);
  const norm = 1 / (1 + Math.SQRT2 * k + k * k);
  const a1 = 2 * (k * k - 1) * norm;
  const a2 = (1 - Math.SQRT2 * k + k * k) * norm;
  if (kind === 'low') {
    const b0 = k * k * norm;
    return { b0, b1: 2 * b0, b2: b0, a1, a2 };
  }
  return { b0: norm, b1: -2 * norm, b2: norm, a1, a2 };
}

export const butterworthLowPass = (fs: number, cutoffHz: number): Biquad => butterworth('low', fs, cutoffHz);
export const butterworthHighPass = (fs: number, cutoffHz: number): Biquad => butterworth('high', fs, cutoffHz);

/** Runs one section over `x` in place (direct form II transposed), starting in steady state for x[start]. */
function runSection(x: Float64Array, section: Biquad, reverse: boolean): void {
  const { b0, b1, b2, a1, a2 } = section;
  const n = x.length;
  const first = reverse ? x[n - 1] : x[0];
  const dcGain = (b0 + b1 + b2) / (1 + a1 + a2);
  const steady = first * dcGain;
  let z2 = b2 * first - a2 * steady;
  let z1 = b1 * first - a1 * steady + z2;
  for (let step = 0; step < n; step++) {
    const i = reverse ? n - 1 - step : step;
    const input = x[i];
    const output = b0 * input + z1;
    z1 = b1 * input - a1 * output + z2;
    z2 = b2 * input - a2 * output;
    x[i] = output;
  }
}

/**
 * Zero-phase filtering of `signal` through `sections` (each forward and backward), with an odd
 * extension of `padLength` samples at both ends. Returns a new array.
 */
export function filtfilt(signal: Float64Array, sections: readonly Biquad[], padLength: number): Float64Array {
  const n = signal.length;
  if (n < 2 || sections.length === 0) return signal.slice();
  const pad = Math.max(0, Math.min(padLength, n - 1));
  const extended = new Float64Array(n + 2 * pad);
  for (let i = 0; i < pad; i++) {
    extended[i] = 2 * signal[0] - signal[pad - i];
    extended[pad + n + i] = 2 * signal[n - 1] - signal[n - 2 - i];
  }
  extended.set(signal, pad);
  for (const section of sections) {
    runSection(extended, section, false);
    runSection(extended, section, true);
  }
  return extended.slice(pad, pad + n);
}
