// Signal-quality flags per lead. Thresholds are stated and overridable; they flag, they do not reject.

export interface QualityThresholds {
  /** A lead whose peak-to-peak amplitude over the window is below this (mV) is a flat line. */
  readonly flatLineMillivolts: number;
  /** A run of identical consecutive samples this long (s) is an electrode off: a real ECG never holds a code that long. */
  readonly leadOffSeconds: number;
  /** A run at the ADC's lowest or highest code this long (s) is saturation (clipping). */
  readonly saturationSeconds: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = {
  flatLineMillivolts: 0.02,
  leadOffSeconds: 1,
  saturationSeconds: 0.02,
};

/** Peak-to-peak amplitude below the threshold. */
export function isFlatLine(values: ArrayLike<number>, thresholdMillivolts: number): boolean {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return values.length > 0 && high - low < thresholdMillivolts;
}

/** Longest run of exactly equal consecutive values, in samples. */
export function longestConstantRun(values: ArrayLike<number>): number {
  let longest = values.length > 0 ? 1 : 0;
  let run = 1;
  for (let i = 1; i < values.length; i++) {
    run = values[i] === values[i - 1] ? run + 1 : 1;
    if (run > longest) longest = run;
  }
  return longest;
}

/** Longest run of samples at or beyond either end of the ADC's physical range, in samples. */
export function longestSaturatedRun(values: ArrayLike<number>, range: readonly [number, number]): number {
  // A relative tolerance absorbs the rounding of (code − baseline) / gain.
  const tolerance = (range[1] - range[0]) * 1e-9;
  let longest = 0;
  let run = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    run = value <= range[0] + tolerance || value >= range[1] - tolerance ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
