// WFDB header(5): the record line, one line per signal (or per segment for a multi-segment record),
// and `#` comment lines. Every field's default is the one header(5) states; a malformed field is a
// WFDB_BAD_HEADER error rather than a silent guess.
import { EcgError } from './ecg-error';

export interface WfdbTime {
  readonly hours: number;
  readonly minutes: number;
  /** May carry a fraction (`19:46:25.757`). */
  readonly seconds: number;
}

export interface WfdbDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface WfdbRecordLine {
  readonly recordName: string;
  /** Present only on a multi-segment header (`name/segments`). */
  readonly numberOfSegments: number | null;
  readonly numberOfSignals: number;
  /** Frames per second; header(5) default 250. */
  readonly samplingFrequency: number;
  /** Counter frequency (`360/10`); defaults to the sampling frequency. */
  readonly counterFrequency: number;
  /** Counter value of sample 0 (`360/10(5)`); default 0. */
  readonly baseCounter: number;
  /** Samples per signal; null when absent (read to the end of the file). */
  readonly numberOfSamples: number | null;
  readonly baseTime: WfdbTime | null;
  readonly baseDate: WfdbDate | null;
}

export interface WfdbSignalSpec {
  readonly fileName: string;
  /** Storage format of signal(5): 8, 16, 24, 32, 61, 80, 160, 212, 310, 311 (0 = null signal). */
  readonly format: number;
  readonly samplesPerFrame: number;
  /** Frames by which this signal lags the others in the file. */
  readonly skew: number;
  /** Bytes before the first sample of the file (`16+24`). */
  readonly byteOffset: number;
  /** ADC units per physical unit; 200 when the header gives none or 0 (header(5) default). */
  readonly adcGain: number;
  /** True when adcGain is the default rather than a stated calibration. */
  readonly gainIsDefault: boolean;
  /** Digital value of physical zero; defaults to adcZero. */
  readonly baseline: number;
  /** Physical units; header(5) default `mV`. */
  readonly units: string;
  /** Bits of the ADC; defaults from the format when missing or 0. */
  readonly adcResolution: number;
  readonly adcZero: number;
  /** Value of the signal's first sample; defaults to adcZero. */
  readonly initialValue: number;
  /** 16-bit sum of all the signal's samples, when the header gives one. */
  readonly checksum: number | null;
  readonly blockSize: number;
  /** Signal description (lead name for ECGs). */
  readonly description: string;
}

export interface WfdbSegmentSpec {
  /** `~` for a null segment (no signals, only a length). */
  readonly recordName: string;
  readonly numberOfSamples: number;
}

interface WfdbHeaderCommon {
  readonly record: WfdbRecordLine;
  /** Comment lines without their `#`, in order. */
  readonly comments: readonly string[];
  /** `Key: value` and `<key>: value` pairs found in the comments, keys as written. */
  readonly info: Readonly<Record<string, string>>;
}

export type WfdbHeader =
  | (WfdbHeaderCommon & { readonly kind: 'single-segment'; readonly signals: readonly WfdbSignalSpec[] })
  | (WfdbHeaderCommon & { readonly kind: 'multi-segment'; readonly segments: readonly WfdbSegmentSpec[] });

/** Bits per sample of each format, the default ADC resolution (header(5)). */
export const FORMAT_BITS: Readonly<Record<number, number>> = {
  0: 0, 8: 8, 16: 16, 24: 24, 32: 32, 61: 16, 80: 8, 160: 16, 212: 12, 310: 10, 311: 10,
  508: 8, 516: 16, 524: 24,
};

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function bad(path: string | undefined, line: string, why: string): EcgError {
  return new EcgError('WFDB_BAD_HEADER', `${why} in header line ${JSON.stringify(line.slice(0, 120))}`, path);
}

function parseInteger(token: string, path: string | undefined, line: string, field: string): number {
  if (!/^[+-]?\d+$/.test(token)) throw bad(path, line, `${field} ${JSON.stringify(token)} is not an integer`);
  return Number(token);
}

function parseNumber(token: string, path: string | undefined, line: string, field: string): number {
  const value = Number(token);
  if (token === '' || !Number.isFinite(value)) throw bad(path, line, `${field} ${JSON.stringify(token)} is not a number`);
  return value;
}

function parseTime(token: string): WfdbTime | null {
  const match = /^(?:(?:(\d{1,2}):)?(\d{1,2}):)?(\d{1,2}(?:\.\d*)?)$/.exec(token);
  if (!match) return null;
  return { hours: Number(match[1] ?? 0), minutes: Number(match[2] ?? 0), seconds: Number(match[3]) };
}

function parseDate(token: string): WfdbDate | null {
  // WFDB order DD/MM/YYYY; the PhysioNet/CinC 2021 headers write DD-Mon-YYYY.
  const numeric = /^(\d{1,2})\/(\d{1,2})\/(\d{1,4})$/.exec(token);
  if (numeric) return { day: Number(numeric[1]), month: Number(numeric[2]), year: Number(numeric[3]) };
  const named = /^(\d{1,2})-([A-Za-z]{3})-(\d{1,4})$/.exec(token);
  if (named) {
    const month = MONTHS.indexOf(named[2].toLowerCase());
    if (month >= 0) return { day: Number(named[1]), month: month + 1, year: Number(named[3]) };
  }
  return null;
}

function parseRecordLine(line: string, path: string | undefined): WfdbRecordLine {
  const tokens = line.trim().split(/\s+/);
  const nameMatch = /^([^/\s]+)(?:\/(\d+))?$/.exec(tokens[0]);
  if (!nameMatch) throw bad(path, line, 'record name is malformed');
  if (tokens.length < 2) throw bad(path, line, 'the number of signals is missing');
  const numberOfSignals = parseInteger(tokens[1], path, line, 'number of signals');
  let samplingFrequency = 250;
  let counterFrequency: number | null = null;
  let baseCounter = 0;
  if (tokens.length > 2) {
    const frequency = /^([^/()]+)(?:\/([^()]+)(?:\(([^)]*)\))?)?$/.exec(tokens[2]);
    if (!frequency) throw bad(path, line, 'sampling frequency is malformed');
    samplingFrequency = parseNumber(frequency[1], path, line, 'sampling frequency');
    if (frequency[2] !== undefined) counterFrequency = parseNumber(frequency[2], path, line, 'counter frequency');
    if (frequency[3] !== undefined) baseCounter = parseNumber(frequency[3], path, line, 'base counter');
    // header(5): a zero or absent frequency means the default, 250 Hz.
    if (samplingFrequency === 0) samplingFrequency = 250;
    if (samplingFrequency < 0) throw bad(path, line, 'sampling frequency is negative');
  }
  const numberOfSamples = tokens.length > 3 ? parseInteger(tokens[3], path, line, 'number of samples') : null;
  if (numberOfSamples !== null && numberOfSamples < 0) throw bad(path, line, 'number of samples is negative');
  let baseTime: WfdbTime | null = null;
  let baseDate: WfdbDate | null = null;
  // header(5) order is time then date; PhysioNet/CinC 2021 writes the date first: accept either order.
  for (const token of tokens.slice(4)) {
    if (token.includes(':')) {
      baseTime = parseTime(token);
      if (baseTime === null) throw bad(path, line, `base time ${JSON.stringify(token)} is malformed`);
    } else {
      baseDate = parseDate(token);
      if (baseDate === null) throw bad(path, line, `base date ${JSON.stringify(token)} is malformed`);
    }
  }
  return {
    recordName: nameMatch[1],
    numberOfSegments: nameMatch[2] === undefined ? null : Number(nameMatch[2]),
    numberOfSignals,
    samplingFrequency,
    counterFrequency: counterFrequency ?? samplingFrequency,
    baseCounter,
    numberOfSamples,
    baseTime,
    baseDate,
  };
}

function parseSignalLine(line: string, path: string | undefined, index: number, recordName: string): WfdbSignalSpec {
  // Eight whitespace-separated fields, then the description, which may hold spaces.
  const fieldPattern = /\S+/g;
  const fields: string[] = [];
  let descriptionStart = line.length;
  for (let match = fieldPattern.exec(line); match; match = fieldPattern.exec(line)) {
    if (fields.length === 8) {
      descriptionStart = match.index;
      break;
    }
    fields.push(match[0]);
  }
  if (fields.length < 2) throw bad(path, line, 'a signal line needs at least a file name and a format');
  const format = /^(\d+)(?:x(\d+))?(?::(\d+))?(?:\+(\d+))?$/.exec(fields[1]);
  if (!format) throw bad(path, line, `format ${JSON.stringify(fields[1])} is malformed`);
  const formatNumber = Number(format[1]);
  if (!(formatNumber in FORMAT_BITS)) {
    throw new EcgError('WFDB_UNSUPPORTED_FORMAT', `signal format ${formatNumber} is not a WFDB storage format`, path);
  }
  const samplesPerFrame = format[2] === undefined ? 1 : Number(format[2]);
  if (samplesPerFrame < 1) throw bad(path, line, 'samples per frame must be at least 1');

  let adcGain = 200;
  let gainIsDefault = true;
  let baselineField: number | null = null;
  let units = 'mV';
  if (fields.length > 2) {
    const gain = /^([^()/]+)(?:\(([^)]*)\))?(?:\/(.+))?$/.exec(fields[2]);
    if (!gain) throw bad(path, line, `gain ${JSON.stringify(fields[2])} is malformed`);
    const stated = parseNumber(gain[1], path, line, 'ADC gain');
    if (stated !== 0) {
      adcGain = stated;
      gainIsDefault = false;
    }
    if (gain[2] !== undefined) baselineField = parseInteger(gain[2], path, line, 'baseline');
    if (gain[3] !== undefined) units = gain[3];
  }
  const statedResolution = fields.length > 3 ? parseInteger(fields[3], path, line, 'ADC resolution') : 0;
  const adcZero = fields.length > 4 ? parseInteger(fields[4], path, line, 'ADC zero') : 0;
  const initialValue = fields.length > 5 ? parseInteger(fields[5], path, line, 'initial value') : adcZero;
  const checksum = fields.length > 6 ? parseInteger(fields[6], path, line, 'checksum') : null;
  const blockSize = fields.length > 7 ? parseInteger(fields[7], path, line, 'block size') : 0;
  const description = line.slice(descriptionStart).trim();
  return {
    fileName: fields[0],
    format: formatNumber,
    samplesPerFrame,
    skew: format[3] === undefined ? 0 : Number(format[3]),
    byteOffset: format[4] === undefined ? 0 : Number(format[4]),
    adcGain,
    gainIsDefault,
    baseline: baselineField ?? adcZero,
    units,
    adcResolution: statedResolution > 0 ? statedResolution : FORMAT_BITS[formatNumber],
    adcZero,
    initialValue,
    checksum,
    blockSize,
    // header(5): with no description the signal is called "record <name>, signal <n>".
    description: description === '' ? `record ${recordName}, signal ${index}` : description,
  };
}

function parseSegmentLine(line: string, path: string | undefined): WfdbSegmentSpec {
  const tokens = line.trim().split(/\s+/);
  if (tokens.length < 2) throw bad(path, line, 'a segment line needs a record name and a length');
  return { recordName: tokens[0], numberOfSamples: parseInteger(tokens[1], path, line, 'segment length') };
}

/** Pulls `Key: value` (PhysioNet 2021: `#Age: 74`) and `<key>: value` (PTB, test01) pairs out of comments. */
export function commentInfo(comments: readonly string[]): Record<string, string> {
  const info: Record<string, string> = {};
  for (const comment of comments) {
    const bracketed = [...comment.matchAll(/<([^<>]+)>:\s*([^<]*)/g)];
    if (bracketed.length > 0) {
      for (const [, key, value] of bracketed) info[key.trim()] = value.trim();
      continue;
    }
    const pair = /^\s*([A-Za-z][\w .()-]*?)\s*:\s*(.*)$/.exec(comment);
    if (pair) info[pair[1]] = pair[2].trim();
  }
  return info;
}

/** Parses a `.hea` file's text. `path` only labels errors. */
export function parseWfdbHeader(text: string, path?: string): WfdbHeader {
  const comments: string[] = [];
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const hash = raw.indexOf('#');
    // header(5): `#` starts a comment anywhere; comments after the record line carry the info.
    if (hash >= 0) {
      comments.push(raw.slice(hash + 1).trim());
      if (raw.slice(0, hash).trim() === '') continue;
      lines.push(raw.slice(0, hash));
      continue;
    }
    if (raw.trim() !== '') lines.push(raw);
  }
  if (lines.length === 0) throw new EcgError('WFDB_BAD_HEADER', 'the header has no record line', path);
  const record = parseRecordLine(lines[0], path);
  const info = commentInfo(comments);
  if (record.numberOfSegments !== null) {
    const segmentLines = lines.slice(1);
    if (segmentLines.length < record.numberOfSegments) {
      throw new EcgError(
        'WFDB_BAD_HEADER',
        `the record line announces ${record.numberOfSegments} segments but ${segmentLines.length} follow`,
        path,
      );
    }
    const segments = segmentLines.slice(0, record.numberOfSegments).map((line) => parseSegmentLine(line, path));
    return { kind: 'multi-segment', record, segments, comments, info };
  }
  const signalLines = lines.slice(1);
  if (signalLines.length < record.numberOfSignals) {
    throw new EcgError(
      'WFDB_BAD_HEADER',
      `the record line announces ${record.numberOfSignals} signals but ${signalLines.length} signal lines follow`,
      path,
    );
  }
  const signals = signalLines
    .slice(0, record.numberOfSignals)
    .map((line, index) => parseSignalLine(line, path, index, record.recordName));
  return { kind: 'single-segment', record, signals, comments, info };
}
