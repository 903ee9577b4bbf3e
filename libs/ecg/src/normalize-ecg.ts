// From a read record to the tensor the model reads (QoQ-Med §1: 8 leads I, II, V1–V6 × 2,500 samples,
// 10 s at 250 Hz): lead selection and derivation, NaN-gap interpolation, optional zero-phase filtering,
// anti-aliased resampling, crop or zero-pad, windows, amplitude scaling, quality flags.
import { EcgError } from './ecg-error';
import type { ChecksumStatus, EcgRecord, EcgSignal, InitialValueStatus } from './ecg-record';
import { butterworthHighPass, butterworthLowPass, filtfilt, type Biquad } from './ecg-filter';
import { DEFAULT_QUALITY_THRESHOLDS, isFlatLine, longestConstantRun, longestSaturatedRun, type QualityThresholds } from './ecg-quality';
import { STANDARD_LEADS, standardLeadFromText, type StandardLead } from './lead-names';
import { rationalRatio, resamplePoly, resamplingFilter, type ResamplingRatio } from './resample';

/** QoQ-Med's eight leads, rows 0, 1, 6–11 of a standard 12-lead record. */
export const DEFAULT_LEADS: readonly StandardLead[] = ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

export type AmplitudeScaling = 'raw' | 'range' | 'zscore';

export interface EcgNormalizeOptions {
  /** Leads in output order, any case (`aVR` = `AVR`); `all` = the twelve in standard order. Default I, II, V1–V6. */
  readonly leads?: readonly string[] | 'all';
  /** Output rate in Hz (default 250). */
  readonly samplingFrequency?: number;
  /** Window length in seconds (default 10). */
  readonly seconds?: number;
  /** Where a longer record is cut (default `start`). */
  readonly crop?: 'start' | 'center';
  /** Records shorter than this (s) are rejected; shorter than `seconds` but not than this are zero-padded at the end. Default 5. */
  readonly minimumSeconds?: number;
  /** Up to this many consecutive windows from a long record (default 1). */
  readonly windows?: number;
  /** NaN runs up to this long (s) are linearly interpolated; longer ones reject the record. Default 0.2. */
  readonly maxGapSeconds?: number;
  /** `raw` (mV, default), `range` (÷ (max − min) of the window, CLIMB), `zscore` (per lead). */
  readonly amplitude?: AmplitudeScaling;
  /** Baseline-wander removal: zero-phase Butterworth high-pass at this cutoff (e.g. 0.5 Hz); null = off (default). */
  readonly highPassHz?: number | null;
  /** Zero-phase Butterworth low-pass at this cutoff (with highPassHz: a band-pass); null = off (default). */
  readonly lowPassHz?: number | null;
  /** Reject (ECG_BAD_CHECKSUM) when a stored checksum is not reproduced; default: report only. */
  readonly rejectBadChecksum?: boolean;
  readonly quality?: Partial<QualityThresholds>;
}

export interface QualityFlags {
  readonly flatLine: readonly StandardLead[];
  readonly leadOff: readonly StandardLead[];
  readonly saturation: readonly StandardLead[];
}

export interface EcgWindow {
  /** [leads × samples], C order, float32. */
  readonly signal: Float32Array;
  readonly startSeconds: number;
  /** Zeros appended at the end because the record was shorter than the window. */
  readonly paddedSamples: number;
  readonly quality: QualityFlags;
}

export interface NormalizedEcg {
  /** The first window's signal (the common case of one window). */
  readonly signal: Float32Array;
  readonly windows: readonly EcgWindow[];
  readonly leads: readonly StandardLead[];
  readonly samplingFrequency: number;
  readonly samples: number;
  readonly metadata: NormalizedEcgMetadata;
}

export interface NormalizedEcgMetadata {
  /** `wfdb/16`, `wfdb/212`, `wfdb-mat/16`, `wfdb/80+multi-segment`, `dicom-waveform/SS`. */
  readonly sourceFormat: string;
  readonly originalSamplingFrequency: number;
  readonly originalSamples: number;
  /** Standard leads the source holds, in standard order. */
  readonly leadsPresent: readonly StandardLead[];
  /** Output leads computed from I and II because the source lacks them. */
  readonly derivedLeads: readonly StandardLead[];
  /** Units of the source's selected leads as written (`mV`, `uV`). Output is always mV (or scaled). */
  readonly units: readonly string[];
  /** Over every signal of the record: mismatch if any mismatches, ok if all stated ones match. */
  readonly checksumStatus: ChecksumStatus;
  readonly initialValueStatus: InitialValueStatus;
  /** Union over windows. */
  readonly quality: QualityFlags;
  readonly interpolatedSamples: number;
  readonly amplitude: AmplitudeScaling;
  readonly resampling: ResamplingRatio & { readonly method: string };
  readonly age: number | null;
  readonly sex: 'M' | 'F' | null;
  readonly diagnosisCodes: readonly string[];
}

export const RESAMPLING_METHOD =
  'polyphase FIR, Kaiser-windowed sinc (beta 5.0, 20·max(up,down)+1 taps), as scipy.signal.resample_poly';

const MILLIVOLTS_PER: Readonly<Record<string, number>> = { mv: 1, uv: 1e-3, 'µv': 1e-3, 'μv': 1e-3, v: 1000, nv: 1e-6 };

function resolveLeads(requested: EcgNormalizeOptions['leads']): StandardLead[] {
  if (requested === undefined) return [...DEFAULT_LEADS];
  if (requested === 'all') return [...STANDARD_LEADS];
  const leads = requested.map((text) => {
    const lead = standardLeadFromText(text);
    if (lead === null) throw new EcgError('ECG_BAD_OPTIONS', `${JSON.stringify(text)} is not one of the twelve standard leads`);
    return lead;
  });
  if (new Set(leads).size !== leads.length || leads.length === 0) throw new EcgError('ECG_BAD_OPTIONS', 'leads must be distinct and not empty');
  return leads;
}

function combineStatus<T extends 'ok' | 'mismatch' | 'absent'>(values: readonly T[]): 'ok' | 'mismatch' | 'absent' {
  if (values.includes('mismatch' as T)) return 'mismatch';
  return values.includes('ok' as T) ? 'ok' : 'absent';
}

function containsNaN(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) return true;
  return false;
}

/** Fills NaN runs in place by linear interpolation (edges: nearest value); returns samples filled. */
function fillGaps(values: Float64Array, maxGap: number, lead: StandardLead): number {
  let filled = 0;
  let i = 0;
  const n = values.length;
  while (i < n) {
    if (!Number.isNaN(values[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && Number.isNaN(values[j])) j++;
    const length = j - i;
    if (length > maxGap || length === n) {
      throw new EcgError('ECG_GAP_TOO_LONG', `lead ${lead} has a gap of ${length} samples, more than the ${maxGap} that may be interpolated`);
    }
    const before = i > 0 ? values[i - 1] : values[j];
    const after = j < n ? values[j] : values[i - 1];
    for (let k = i; k < j; k++) values[k] = before + ((after - before) * (k - i + 1)) / (length + 1);
    filled += length;
    i = j;
  }
  return filled;
}

interface LeadPlan {
  readonly startSeconds: readonly number[];
  readonly windowSamples: number;
}

function planWindows(durationSeconds: number, options: Required<Pick<EcgNormalizeOptions, 'seconds' | 'crop' | 'windows' | 'minimumSeconds'>>, rate: number): LeadPlan {
  if (durationSeconds < options.minimumSeconds) {
    throw new EcgError('ECG_TOO_SHORT', `the record lasts ${durationSeconds.toFixed(3)} s, less than the minimum ${options.minimumSeconds} s`);
  }
  const count = Math.max(1, Math.min(options.windows, Math.floor(durationSeconds / options.seconds + 1e-9)));
  const span = count * options.seconds;
  const first = options.crop === 'center' && durationSeconds > span ? (durationSeconds - span) / 2 : 0;
  return {
    startSeconds: Array.from({ length: count }, (_, w) => first + w * options.seconds),
    windowSamples: Math.round(options.seconds * rate),
  };
}

interface ProcessedLead {
  /** Output-rate samples covering [firstOutputSample, firstOutputSample + values.length). */
  readonly values: Float64Array;
  readonly firstOutputSample: number;
  readonly interpolated: number;
  readonly leadOffSeconds: number;
  readonly saturatedSeconds: number;
}

function processLead(
  signal: EcgSignal,
  lead: StandardLead,
  rate: number,
  startSeconds: number,
  endSeconds: number,
  options: { maxGapSeconds: number; sections: Biquad[]; lowestCutoff: number | null },
): ProcessedLead & { ratio: ResamplingRatio } {
  const fs = signal.samplingFrequency;
  const ratio = rationalRatio(fs, rate);
  const toMillivolts = MILLIVOLTS_PER[signal.units.trim().toLowerCase()];
  if (toMillivolts === undefined) throw new EcgError('ECG_BAD_UNITS', `lead ${lead} is in ${signal.units}, not a voltage`);
  // Only the span the windows need (plus the resampler's and filters' reach) is processed, so a
  // multi-hour record costs what its windows cost. The span starts on a multiple of `down` so the
  // output grid is the one the whole record would give.
  const taps = resamplingFilter(ratio).length;
  const resamplerReach = Math.ceil((taps - 1) / 2 / ratio.up) + 1;
  const filterReach = options.lowestCutoff === null ? 0 : Math.ceil((3 * fs) / options.lowestCutoff);
  const reach = resamplerReach + filterReach;
  const n = signal.physical.length;
  let from = Math.max(0, Math.floor(startSeconds * fs) - reach);
  from -= from % ratio.down;
  const to = Math.min(n, Math.ceil(endSeconds * fs) + reach);
  // A copy only where the values change here (gaps filled, units scaled); else a view of the record.
  const physical = signal.physical.subarray(from, to);
  const values = toMillivolts !== 1 || containsNaN(physical) ? physical.slice() : physical;
  const interpolated = fillGaps(values, Math.round(options.maxGapSeconds * fs), lead);
  if (toMillivolts !== 1) for (let i = 0; i < values.length; i++) values[i] *= toMillivolts;
  // Flags that need the source's own codes are measured at the source rate, over the windows' span.
  const spanFrom = Math.max(0, Math.floor(startSeconds * fs) - from);
  const spanTo = Math.min(values.length, Math.ceil(endSeconds * fs) - from);
  const span = values.subarray(spanFrom, Math.max(spanFrom, spanTo));
  const leadOffSeconds = longestConstantRun(span) / fs;
  const range = signal.physicalRange;
  const saturatedSeconds = range === null ? 0 : longestSaturatedRun(span, [range[0] * toMillivolts, range[1] * toMillivolts]) / fs;
  const filtered = options.sections.length > 0 ? filtfilt(values, options.sections, filterReach) : values;
  const resampled = resamplePoly(filtered, ratio);
  return {
    values: resampled,
    firstOutputSample: (from / ratio.down) * ratio.up,
    interpolated,
    leadOffSeconds,
    saturatedSeconds,
    ratio,
  };
}

/**
 * Normalizes a record. At the record's own rate with no filter and `raw` amplitude, the output values
 * are the record's physical values (in mV) rounded to float32. Throws EcgError for a record to reject.
 */
export function normalizeEcg(record: EcgRecord, options: EcgNormalizeOptions = {}): NormalizedEcg {
  const leads = resolveLeads(options.leads);
  const rate = options.samplingFrequency ?? 250;
  const seconds = options.seconds ?? 10;
  const windowsWanted = options.windows ?? 1;
  const minimumSeconds = Math.min(options.minimumSeconds ?? 5, seconds);
  if (!(rate > 0) || !(seconds > 0) || !Number.isInteger(windowsWanted) || windowsWanted < 1) {
    throw new EcgError('ECG_BAD_OPTIONS', 'rate and seconds must be positive and windows a positive integer');
  }
  const thresholds: QualityThresholds = { ...DEFAULT_QUALITY_THRESHOLDS, ...options.quality };
  const checksumStatus = combineStatus(record.signals.map((signal) => signal.checksum));
  const initialValueStatus = combineStatus(record.signals.map((signal) => signal.initialValue));
  if (options.rejectBadChecksum && checksumStatus === 'mismatch') {
    const bad = record.signals.filter((signal) => signal.checksum === 'mismatch').map((signal) => signal.name);
    throw new EcgError('ECG_BAD_CHECKSUM', `the stored checksum of ${bad.join(', ')} is not reproduced by the samples`);
  }

  const byLead = new Map<StandardLead, EcgSignal>();
  for (const signal of record.signals) if (signal.lead !== null && !byLead.has(signal.lead)) byLead.set(signal.lead, signal);
  const derivable = new Set<StandardLead>(['III', 'AVR', 'AVL', 'AVF']);
  const derivedLeads = leads.filter((lead) => !byLead.has(lead) && derivable.has(lead));
  const missing = leads.filter((lead) => !byLead.has(lead) && !(derivable.has(lead) && byLead.has('I') && byLead.has('II')));
  if (missing.length > 0) {
    throw new EcgError('ECG_MISSING_LEADS', `the record lacks lead${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
  }
  const sourceLeads = [...new Set([...leads.filter((lead) => byLead.has(lead)), ...(derivedLeads.length > 0 ? (['I', 'II'] as const) : [])])];

  const durationSeconds = Math.min(...sourceLeads.map((lead) => {
    const signal = byLead.get(lead) as EcgSignal;
    return signal.physical.length / signal.samplingFrequency;
  }));
  const plan = planWindows(durationSeconds, { seconds, crop: options.crop ?? 'start', windows: windowsWanted, minimumSeconds }, rate);
  const startSeconds = plan.startSeconds[0];
  const endSeconds = Math.min(durationSeconds, plan.startSeconds[plan.startSeconds.length - 1] + seconds);

  const sections: Biquad[] = [];
  const cutoffs: number[] = [];
  if (options.highPassHz != null || options.lowPassHz != null) {
    const fs = (byLead.get(sourceLeads[0]) as EcgSignal).samplingFrequency;
    try {
      if (options.highPassHz != null) sections.push(butterworthHighPass(fs, options.highPassHz));
      if (options.lowPassHz != null) sections.push(butterworthLowPass(fs, options.lowPassHz));
    } catch (error) {
      throw new EcgError('ECG_BAD_OPTIONS', (error as Error).message);
    }
    cutoffs.push(...[options.highPassHz, options.lowPassHz].filter((value): value is number => value != null));
  }
  const processed = new Map<StandardLead, ProcessedLead>();
  let ratio: ResamplingRatio = { up: 1, down: 1 };
  let interpolatedSamples = 0;
  for (const lead of sourceLeads) {
    const signal = byLead.get(lead) as EcgSignal;
    // Filters are designed per rate; leads of another rate (samples per frame) get their own design.
    const leadSections = sections.length === 0 || signal.samplingFrequency === (byLead.get(sourceLeads[0]) as EcgSignal).samplingFrequency
      ? sections
      : [
          ...(options.highPassHz != null ? [butterworthHighPass(signal.samplingFrequency, options.highPassHz)] : []),
          ...(options.lowPassHz != null ? [butterworthLowPass(signal.samplingFrequency, options.lowPassHz)] : []),
        ];
    const result = processLead(signal, lead, rate, startSeconds, endSeconds, {
      maxGapSeconds: options.maxGapSeconds ?? 0.2,
      sections: leadSections,
      lowestCutoff: cutoffs.length > 0 ? Math.min(...cutoffs) : null,
    });
    processed.set(lead, result);
    interpolatedSamples += result.interpolated;
    if (lead === sourceLeads[0]) ratio = result.ratio;
  }

  const windows: EcgWindow[] = plan.startSeconds.map((start) => {
    const firstSample = Math.round(start * rate);
    const cut = (lead: StandardLead): Float64Array => {
      const { values, firstOutputSample } = processed.get(lead) as ProcessedLead;
      const out = new Float64Array(plan.windowSamples);
      const offset = firstSample - firstOutputSample;
      // Only samples that lie inside the record; the rest stay zero (the stated padding).
      const available = Math.max(0, Math.min(plan.windowSamples, Math.floor((durationSeconds - start) * rate + 1e-6), values.length - offset));
      out.set(values.subarray(offset, offset + available));
      return out;
    };
    const rows = new Map<StandardLead, Float64Array>();
    for (const lead of sourceLeads) rows.set(lead, cut(lead));
    const paddedSamples = Math.max(0, plan.windowSamples - Math.floor((durationSeconds - start) * rate + 1e-6));
    return assembleWindow(leads, rows, derivedLeads, processed, start, paddedSamples, plan.windowSamples, options.amplitude ?? 'raw', thresholds);
  });

  const union = (pick: (flags: QualityFlags) => readonly StandardLead[]): StandardLead[] =>
    leads.filter((lead) => windows.some((window) => pick(window.quality).includes(lead)));
  const units = [...new Set(sourceLeads.map((lead) => (byLead.get(lead) as EcgSignal).units))];
  const source = record.source;
  const sourceFormat =
    source.kind === 'wfdb'
      ? `${source.matlab ? 'wfdb-mat' : 'wfdb'}/${source.storageFormats.join('+')}${source.segments > 1 ? '+multi-segment' : ''}`
      : `dicom-waveform/${source.sampleInterpretation}`;
  return {
    signal: windows[0].signal,
    windows,
    leads,
    samplingFrequency: rate,
    samples: plan.windowSamples,
    metadata: {
      sourceFormat,
      originalSamplingFrequency: record.samplingFrequency,
      originalSamples: record.numberOfSamples,
      leadsPresent: STANDARD_LEADS.filter((lead) => byLead.has(lead)),
      derivedLeads,
      units,
      checksumStatus,
      initialValueStatus,
      quality: {
        flatLine: union((flags) => flags.flatLine),
        leadOff: union((flags) => flags.leadOff),
        saturation: union((flags) => flags.saturation),
      },
      interpolatedSamples,
      amplitude: options.amplitude ?? 'raw',
      resampling: { ...ratio, method: ratio.up === 1 && ratio.down === 1 ? 'none (record rate)' : RESAMPLING_METHOD },
      age: record.demographics.age,
      sex: record.demographics.sex,
      diagnosisCodes: record.demographics.diagnosisCodes,
    },
  };
}

function assembleWindow(
  leads: readonly StandardLead[],
  rows: Map<StandardLead, Float64Array>,
  derivedLeads: readonly StandardLead[],
  processed: Map<StandardLead, ProcessedLead>,
  startSeconds: number,
  paddedSamples: number,
  samples: number,
  amplitude: AmplitudeScaling,
  thresholds: QualityThresholds,
): EcgWindow {
  const leadI = rows.get('I');
  const leadII = rows.get('II');
  for (const lead of derivedLeads) {
    // Einthoven and Goldberger: III = II − I, aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2.
    const out = new Float64Array(samples);
    for (let i = 0; i < samples; i++) {
      const a = (leadI as Float64Array)[i];
      const b = (leadII as Float64Array)[i];
      out[i] = lead === 'III' ? b - a : lead === 'AVR' ? -(a + b) / 2 : lead === 'AVL' ? a - b / 2 : b - a / 2;
    }
    rows.set(lead, out);
  }
  const flatLine: StandardLead[] = [];
  const leadOff: StandardLead[] = [];
  const saturation: StandardLead[] = [];
  const valid = samples - paddedSamples;
  for (const lead of leads) {
    const row = rows.get(lead) as Float64Array;
    if (isFlatLine(row.subarray(0, valid), thresholds.flatLineMillivolts)) flatLine.push(lead);
    const sources = derivedLeads.includes(lead) ? (['I', 'II'] as const) : [lead];
    if (sources.some((source) => (processed.get(source) as ProcessedLead).leadOffSeconds >= thresholds.leadOffSeconds)) leadOff.push(lead);
    if (sources.some((source) => (processed.get(source) as ProcessedLead).saturatedSeconds >= thresholds.saturationSeconds)) saturation.push(lead);
  }
  const signal = new Float32Array(leads.length * samples);
  if (amplitude === 'range') {
    // CLIMB: each record divided by its (max − min), over all its leads.
    let low = Infinity;
    let high = -Infinity;
    for (const lead of leads) for (const value of (rows.get(lead) as Float64Array).subarray(0, valid)) {
      if (value < low) low = value;
      if (value > high) high = value;
    }
    const span = high - low;
    leads.forEach((lead, r) => {
      const row = rows.get(lead) as Float64Array;
      for (let i = 0; i < samples; i++) signal[r * samples + i] = span > 0 ? row[i] / span : row[i];
    });
  } else if (amplitude === 'zscore') {
    leads.forEach((lead, r) => {
      const row = (rows.get(lead) as Float64Array).subarray(0, valid);
      let mean = 0;
      for (const value of row) mean += value;
      mean /= Math.max(1, row.length);
      let variance = 0;
      for (const value of row) variance += (value - mean) ** 2;
      const std = Math.sqrt(variance / Math.max(1, row.length));
      for (let i = 0; i < valid; i++) signal[r * samples + i] = std > 0 ? (row[i] - mean) / std : 0;
    });
  } else {
    leads.forEach((lead, r) => signal.set(rows.get(lead) as Float64Array, r * samples));
  }
  return { signal, startSeconds, paddedSamples, quality: { flatLine, leadOff, saturation } };
}
