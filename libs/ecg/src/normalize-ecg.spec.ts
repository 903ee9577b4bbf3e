import { describe, expect, it } from 'vitest';
import type { EcgRecord, EcgSignal } from './ecg-record';
import { EcgError } from './ecg-error';
import { standardLeadFromText } from './lead-names';
import { normalizeEcg, type EcgNormalizeOptions } from './normalize-ecg';
import { resamplePoly } from './resample';

type SignalOverrides = Partial<Omit<EcgSignal, 'physical' | 'name'>>;

function record(rate: number, leads: Record<string, Float64Array>, overrides: Record<string, SignalOverrides> = {}): EcgRecord {
  const signals: EcgSignal[] = Object.entries(leads).map(([name, physical]) => ({
    name,
    lead: standardLeadFromText(name),
    units: 'mV',
    samplingFrequency: rate,
    physical,
    physicalRange: null,
    checksum: 'ok',
    initialValue: 'ok',
    ...overrides[name],
  }));
  return {
    source: { kind: 'wfdb', storageFormats: [16], matlab: false, segments: 1 },
    recordName: 'synthetic',
    samplingFrequency: rate,
    numberOfSamples: signals[0].physical.length,
    signals,
    comments: [],
    info: {},
    demographics: { age: 50, sex: 'F', diagnosisCodes: ['164889003'] },
  };
}

const TWELVE = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

/** A distinct, slow waveform per lead: a 1 Hz sine plus an offset equal to the lead's index. */
function twelveLeads(rate: number, seconds: number): Record<string, Float64Array> {
  return Object.fromEntries(
    TWELVE.map((name, k) => [name, Float64Array.from({ length: Math.round(rate * seconds) }, (_, i) => k + 0.5 * Math.sin((2 * Math.PI * i) / rate))]),
  );
}

function row(signal: Float32Array, samples: number, r: number): Float32Array {
  return signal.subarray(r * samples, (r + 1) * samples);
}

function rejection(rec: EcgRecord, options: EcgNormalizeOptions): EcgError {
  try {
    normalizeEcg(rec, options);
  } catch (error) {
    if (error instanceof EcgError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('normalizeEcg: the QoQ-Med tensor', () => {
  it('makes [8 × 2500]: leads I, II, V1–V6 in that order, 10 s at 250 Hz, from a 500 Hz record', () => {
    const result = normalizeEcg(record(500, twelveLeads(500, 10)));
    expect(result.leads).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(result.signal.length).toBe(8 * 2500);
    expect(result.samples).toBe(2500);
    const offsets = [0, 1, 6, 7, 8, 9, 10, 11];
    offsets.forEach((offset, r) => {
      // The middle sample of the row, away from the zero-extended edges of the resampler.
      expect(row(result.signal, 2500, r)[1250]).toBeCloseTo(offset + 0.5 * Math.sin((2 * Math.PI * 1250) / 250), 3);
    });
    expect(result.metadata).toMatchObject({ originalSamplingFrequency: 500, originalSamples: 5000, resampling: { up: 1, down: 2 }, checksumStatus: 'ok', age: 50, sex: 'F', diagnosisCodes: ['164889003'] });
    expect(result.metadata.leadsPresent).toEqual(['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
  });

  it('changes nothing at the record\'s own rate: values are the physical ones as float32', () => {
    const leads = twelveLeads(250, 10);
    const result = normalizeEcg(record(250, leads), { leads: 'all' });
    expect(result.metadata.resampling).toMatchObject({ up: 1, down: 1, method: 'none (record rate)' });
    TWELVE.forEach((name, r) => expect(row(result.signal, 2500, r)).toEqual(Float32Array.from(leads[name])));
  });

  it('derives III, aVR, aVL and aVF from I and II when they are asked for and missing', () => {
    const I = Float64Array.from({ length: 2500 }, (_, i) => Math.sin(i / 10));
    const II = Float64Array.from({ length: 2500 }, (_, i) => Math.cos(i / 7));
    const result = normalizeEcg(record(250, { I, II }), { leads: ['III', 'aVR', 'AVL', 'avf'] });
    expect(result.metadata.derivedLeads).toEqual(['III', 'AVR', 'AVL', 'AVF']);
    const at = (r: number, i: number) => row(result.signal, 2500, r)[i];
    for (const i of [0, 100, 2499]) {
      expect(at(0, i)).toBeCloseTo(II[i] - I[i], 6);
      expect(at(1, i)).toBeCloseTo(-(I[i] + II[i]) / 2, 6);
      expect(at(2, i)).toBeCloseTo(I[i] - II[i] / 2, 6);
      expect(at(3, i)).toBeCloseTo(II[i] - I[i] / 2, 6);
    }
  });

  it('rejects a record missing a lead it cannot derive (ECG_MISSING_LEADS)', () => {
    const flat = new Float64Array(2500);
    expect(rejection(record(250, { I: flat, II: flat }), {}).code).toBe('ECG_MISSING_LEADS');
    expect(rejection(record(250, { I: flat, V1: flat }), { leads: ['III'] }).code).toBe('ECG_MISSING_LEADS');
  });

  it('crops at the start by default and at the centre when asked', () => {
    const ramp = Float64Array.from({ length: 250 * 30 }, (_, i) => i / 250);
    const leads = { I: ramp, II: ramp };
    expect(row(normalizeEcg(record(250, leads), { leads: ['I'] }).signal, 2500, 0)[0]).toBe(0);
    expect(row(normalizeEcg(record(250, leads), { leads: ['I'], crop: 'center' }).signal, 2500, 0)[0]).toBe(10);
  });

  it('resamples only the span a window needs, with the values a whole-record resampling gives', () => {
    const long = Float64Array.from({ length: 500 * 60 }, (_, i) => Math.sin(i / 9) + 0.2 * Math.cos(i / 2.3));
    const result = normalizeEcg(record(500, { I: long }), { leads: ['I'], crop: 'center', windows: 2 });
    const whole = resamplePoly(long, { up: 1, down: 2 });
    expect(result.windows.map((window) => window.startSeconds)).toEqual([20, 30]);
    result.windows.forEach((window) => {
      const expected = Float32Array.from(whole.subarray(window.startSeconds * 250, window.startSeconds * 250 + 2500));
      expect(window.signal).toEqual(expected);
    });
  });

  it('zero-pads a record between the minimum and the window length at its end, and says so', () => {
    const seven = Float64Array.from({ length: 250 * 7 }, () => 1);
    const result = normalizeEcg(record(250, { I: seven }), { leads: ['I'] });
    expect(result.windows[0].paddedSamples).toBe(750);
    const values = row(result.signal, 2500, 0);
    expect(values[1749]).toBe(1);
    expect(Array.from(values.subarray(1750)).every((value) => value === 0)).toBe(true);
  });

  it('rejects a record shorter than the minimum duration (ECG_TOO_SHORT)', () => {
    const three = new Float64Array(250 * 3);
    expect(rejection(record(250, { I: three }), { leads: ['I'] }).code).toBe('ECG_TOO_SHORT');
    expect(rejection(record(250, { I: new Float64Array(250 * 8) }), { leads: ['I'], minimumSeconds: 9 }).code).toBe('ECG_TOO_SHORT');
  });

  it('cuts up to N consecutive windows from a long record', () => {
    const ramp = Float64Array.from({ length: 250 * 25 }, (_, i) => i / 250);
    const result = normalizeEcg(record(250, { I: ramp }), { leads: ['I'], windows: 3 });
    expect(result.windows.map((window) => window.startSeconds)).toEqual([0, 10]);
    expect(result.windows[1].signal[0]).toBe(10);
  });

  it('interpolates a short NaN gap linearly and rejects a long one (ECG_GAP_TOO_LONG)', () => {
    const withGap = Float64Array.from({ length: 2500 }, (_, i) => i);
    withGap.fill(Number.NaN, 1000, 1010);
    const result = normalizeEcg(record(250, { I: withGap }), { leads: ['I'] });
    expect(row(result.signal, 2500, 0)[1005]).toBe(1005);
    expect(result.metadata.interpolatedSamples).toBe(10);
    const longGap = new Float64Array(2500).fill(Number.NaN, 1000, 1250);
    expect(rejection(record(250, { I: longGap }), { leads: ['I'] }).code).toBe('ECG_GAP_TOO_LONG');
  });

  it('scales amplitude by the record\'s range (CLIMB) or per lead to zero mean and unit deviation', () => {
    const leads = twelveLeads(250, 10);
    const ranged = normalizeEcg(record(250, leads), { amplitude: 'range' }).signal;
    expect(Math.max(...ranged) - Math.min(...ranged)).toBeCloseTo(1, 6);
    const scored = normalizeEcg(record(250, leads), { amplitude: 'zscore' });
    const first = row(scored.signal, 2500, 0);
    const mean = first.reduce((a, b) => a + b, 0) / 2500;
    const std = Math.sqrt(first.reduce((a, b) => a + (b - mean) ** 2, 0) / 2500);
    expect(mean).toBeCloseTo(0, 5);
    expect(std).toBeCloseTo(1, 5);
  });

  it('converts leads in µV to mV', () => {
    const micro = new Float64Array(2500).fill(1500);
    const result = normalizeEcg(record(250, { I: micro }, { I: { units: 'uV' } }), { leads: ['I'] });
    expect(result.signal[0]).toBeCloseTo(1.5, 6);
    expect(result.metadata.units).toEqual(['uV']);
    expect(rejection(record(250, { I: micro }, { I: { units: 'mmHg' } }), { leads: ['I'] }).code).toBe('ECG_BAD_UNITS');
  });

  it('removes baseline wander with the zero-phase high-pass', () => {
    const drifting = Float64Array.from({ length: 5000 }, (_, i) => 2 + Math.sin((2 * Math.PI * 0.05 * i) / 500) + 0.5 * Math.sin((2 * Math.PI * 10 * i) / 500));
    const values = row(normalizeEcg(record(500, { I: drifting }), { leads: ['I'], highPassHz: 0.5 }).signal, 2500, 0);
    const middle = values.subarray(500, 2000);
    const mean = middle.reduce((a, b) => a + b, 0) / middle.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.max(...middle)).toBeGreaterThan(0.45);
  });

  it('flags flat lines, electrodes off and saturation per lead', () => {
    const rate = 250;
    const live = Float64Array.from({ length: 2500 }, (_, i) => Math.sin(i / 5));
    const off = new Float64Array(2500);
    const clipped = Float64Array.from(live, (value, i) => (i >= 100 && i < 120 ? 5 : value));
    const quiet = Float64Array.from(live, (value) => value * 0.005);
    const result = normalizeEcg(
      record(rate, { I: live, II: off, V1: clipped, V2: quiet }, { V1: { physicalRange: [-5, 5] } }),
      { leads: ['I', 'II', 'V1', 'V2'] },
    );
    expect(result.metadata.quality).toEqual({ flatLine: ['II', 'V2'], leadOff: ['II'], saturation: ['V1'] });
  });

  it('reports checksum mismatches, and rejects on them only when asked (ECG_BAD_CHECKSUM)', () => {
    const leads = twelveLeads(250, 10);
    const bad = record(250, leads, { V3: { checksum: 'mismatch' } });
    expect(normalizeEcg(bad).metadata.checksumStatus).toBe('mismatch');
    expect(rejection(bad, { rejectBadChecksum: true }).code).toBe('ECG_BAD_CHECKSUM');
  });

  it('refuses unknown lead names and bad options (ECG_BAD_OPTIONS)', () => {
    const leads = twelveLeads(250, 10);
    expect(rejection(record(250, leads), { leads: ['MLII'] }).code).toBe('ECG_BAD_OPTIONS');
    expect(rejection(record(250, leads), { windows: 0 }).code).toBe('ECG_BAD_OPTIONS');
    expect(rejection(record(250, leads), { lowPassHz: 200 }).code).toBe('ECG_BAD_OPTIONS');
  });
});
