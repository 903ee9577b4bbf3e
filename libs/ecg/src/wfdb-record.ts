// Reading a WFDB record (header(5), signal(5)) into physical values: single-segment records with any
// mix of signal files, formats, samples per frame and skew; multi-segment records of fixed and
// variable layout assembled into one. Every stored checksum and initial value is verified.
import { EcgError } from './ecg-error';
import { demographicsFromComments, type EcgRecord, type EcgSignal, type ChecksumStatus, type InitialValueStatus } from './ecg-record';
import { standardLeadFromText } from './lead-names';
import { checkMatlabAgainstHeader } from './matlab-v4';
import type { RecordSource } from './record-source';
import { bytesForSamples, decodeSamples, DECODABLE_FORMATS, format16InPlace, INVALID_SAMPLE, samplesInBytes } from './wfdb-formats';
import { parseWfdbHeader, type WfdbHeader, type WfdbSignalSpec } from './wfdb-header';

export interface WfdbReadOptions {
  /** First frame to return (default 0). */
  readonly sampleFrom?: number;
  /** Frame after the last to return (default: the record's end). */
  readonly sampleTo?: number;
}

/** A signal of a single-segment record with its digital values, as stored and as deskewed. */
export interface WfdbSignal extends EcgSignal {
  readonly spec: WfdbSignalSpec;
  /** Digital values after deskewing; the format's invalid marker where there is no sample. */
  readonly digital: Int32Array;
}

/** A signal or segment file named by a header must stay inside the record's folder. */
function fileInFolder(directory: string, fileName: string, headerPath: string): string {
  if (fileName.startsWith('/') || fileName.split(/[\\/]/).includes('..')) {
    throw new EcgError('WFDB_BAD_HEADER', `file name ${JSON.stringify(fileName)} leaves the record's folder`, headerPath);
  }
  return directory + fileName;
}

function directoryOf(name: string): string {
  const slash = name.lastIndexOf('/');
  return slash < 0 ? '' : name.slice(0, slash + 1);
}

async function readHeader(source: RecordSource, name: string): Promise<WfdbHeader> {
  const path = `${name}.hea`;
  const bytes = await source.readFile(path);
  return parseWfdbHeader(new TextDecoder('latin1').decode(bytes), path);
}

function physicalRangeOf(spec: WfdbSignalSpec): readonly [number, number] {
  const half = 2 ** (spec.adcResolution - 1);
  const marker = INVALID_SAMPLE[spec.format];
  // The format's most negative code is the invalid marker, so the ADC's lowest usable code is one above.
  const low = Math.max(spec.adcZero - half, marker === null || marker === undefined ? -Infinity : marker + 1);
  const high = spec.adcZero + half - 1;
  return [(low - spec.baseline) / spec.adcGain, (high - spec.baseline) / spec.adcGain];
}

interface SignalFile {
  readonly fileName: string;
  readonly format: number;
  readonly byteOffset: number;
  readonly members: number[];
}

function groupByFile(signals: readonly WfdbSignalSpec[], headerPath: string): SignalFile[] {
  const files: SignalFile[] = [];
  for (const [index, spec] of signals.entries()) {
    const file = files.find((candidate) => candidate.fileName === spec.fileName);
    if (file === undefined) {
      files.push({ fileName: spec.fileName, format: spec.format, byteOffset: spec.byteOffset, members: [index] });
    } else if (file.format !== spec.format) {
      // signal(5): all signals of one file share its format.
      throw new EcgError('WFDB_BAD_HEADER', `${spec.fileName} is given two formats (${file.format} and ${spec.format})`, headerPath);
    } else {
      file.members.push(index);
    }
  }
  return files;
}

/** Reads one single-segment record from its parsed header. */
async function readSingleSegment(
  source: RecordSource,
  name: string,
  header: Extract<WfdbHeader, { kind: 'single-segment' }>,
): Promise<{ signals: WfdbSignal[]; numberOfSamples: number }> {
  const directory = directoryOf(name);
  const headerPath = `${name}.hea`;
  const specs = header.signals;
  const files = groupByFile(specs, headerPath);
  const loaded = new Map<string, { bytes: Uint8Array; frameSize: number; available: number }>();
  let numberOfSamples = header.record.numberOfSamples;
  for (const file of files) {
    if (file.format === 0 || file.fileName === '~') continue; // null signals: no file (header(5))
    if (!DECODABLE_FORMATS.has(file.format)) {
      throw new EcgError('WFDB_UNSUPPORTED_FORMAT', `signal format ${file.format} (${file.fileName}) is not supported by this reader`, headerPath);
    }
    const bytes = await source.readFile(fileInFolder(directory, file.fileName, headerPath));
    const frameSize = file.members.reduce((sum, index) => sum + specs[index].samplesPerFrame, 0);
    const payload = Math.max(0, bytes.length - file.byteOffset);
    const available = Math.floor(samplesInBytes(file.format, payload) / frameSize);
    loaded.set(file.fileName, { bytes, frameSize, available });
    // header(5): with no sample count, the signal file's length decides.
    if (header.record.numberOfSamples === null) numberOfSamples = Math.min(numberOfSamples ?? Infinity, available);
  }
  const frames = numberOfSamples === null || !Number.isFinite(numberOfSamples) ? 0 : numberOfSamples;

  const signals: WfdbSignal[] = new Array(specs.length);
  for (const file of files) {
    const data = loaded.get(file.fileName);
    if (data === undefined) {
      for (const index of file.members) signals[index] = nullSignal(specs[index], header.record.samplingFrequency, frames);
      continue;
    }
    const filePath = directory + file.fileName;
    if (data.available < frames) {
      throw new EcgError(
        'ECG_TRUNCATED',
        `${file.fileName} holds ${data.available} of the ${frames} frames its header announces ` +
          `(${data.bytes.length} bytes; ${file.byteOffset + bytesForSamples(file.format, frames * data.frameSize)} needed)`,
        filePath,
      );
    }
    if (file.fileName.toLowerCase().endsWith('.mat')) {
      checkMatlabAgainstHeader(data.bytes, { format: file.format, byteOffset: file.byteOffset, signalsInFile: data.frameSize, numberOfSamples: frames }, filePath);
    }
    // Read the frames a skewed signal reaches past the record's end, when the file has them.
    const maxSkew = Math.max(...file.members.map((index) => specs[index].skew));
    const framesRead = Math.min(data.available, frames + maxSkew);
    const payload = data.bytes.subarray(file.byteOffset);
    const count = framesRead * data.frameSize;
    // Format 16 (PTB-XL, PhysioNet 2021) is read where it lies; the others are decoded first.
    const stream = (file.format === 16 ? format16InPlace(payload, count) : null) ?? decodeSamples(file.format, payload, count);
    let position = 0;
    for (const index of file.members) {
      signals[index] = demultiplex(specs[index], stream, data.frameSize, position, framesRead, frames, header.record.samplingFrequency);
      position += specs[index].samplesPerFrame;
    }
  }
  return { signals, numberOfSamples: frames };
}

function nullSignal(spec: WfdbSignalSpec, frequency: number, frames: number): WfdbSignal {
  const length = frames * spec.samplesPerFrame;
  return {
    spec,
    name: spec.description,
    lead: standardLeadFromText(spec.description),
    units: spec.units,
    samplingFrequency: frequency * spec.samplesPerFrame,
    digital: new Int32Array(length).fill(-2147483648),
    physical: new Float64Array(length).fill(Number.NaN),
    physicalRange: null,
    checksum: 'absent',
    initialValue: 'absent',
  };
}

/** One signal's samples (one per frame) out of a file's interleaved samples; monomorphic copies of one loop. */
function gather16(stream: Int16Array, stored: Int32Array, position: number, frameSize: number, frames: number): void {
  for (let frame = 0, j = position; frame < frames; frame++, j += frameSize) stored[frame] = stream[j];
}

function gather32(stream: Int32Array, stored: Int32Array, position: number, frameSize: number, frames: number): void {
  for (let frame = 0, j = position; frame < frames; frame++, j += frameSize) stored[frame] = stream[j];
}

function demultiplex(
  spec: WfdbSignalSpec,
  stream: Int32Array | Int16Array,
  frameSize: number,
  position: number,
  framesRead: number,
  frames: number,
  frequency: number,
): WfdbSignal {
  const perFrame = spec.samplesPerFrame;
  const stored = new Int32Array(framesRead * perFrame);
  if (perFrame === 1) {
    if (stream instanceof Int16Array) gather16(stream, stored, position, frameSize, framesRead);
    else gather32(stream, stored, position, frameSize, framesRead);
  } else {
    for (let frame = 0, k = 0; frame < framesRead; frame++) {
      const base = frame * frameSize + position;
      for (let s = 0; s < perFrame; s++) stored[k++] = stream[base + s];
    }
  }
  if (spec.format === 8) {
    // Format 8 stores first differences; the first difference is taken from the initial value.
    let value = spec.initialValue;
    for (let i = 0; i < stored.length; i++) {
      value += stored[i];
      stored[i] = value;
    }
  }
  // header(5) checksum and initial value describe the samples as stored, before any deskewing.
  const length = frames * perFrame;
  const initialValue: InitialValueStatus = length === 0 ? 'absent' : stored[0] === spec.initialValue ? 'ok' : 'mismatch';

  // Skew (header(5)): the signal's sample i was recorded in frame i + skew.
  const marker = INVALID_SAMPLE[spec.format] ?? null;
  // No digital value is ever 0.5: the sentinel keeps the comparison numeric when there is no marker.
  const invalid = marker ?? 0.5;
  const shift = spec.skew * perFrame;
  const physical = new Float64Array(length);
  const gain = spec.adcGain;
  const baseline = spec.baseline;
  let sum = 0;
  let digital: Int32Array;
  if (shift === 0) {
    // Unskewed signals (the common case) keep the stored array as their digital values; the
    // checksum and the physical values come from one pass.
    digital = stored.subarray(0, length);
    for (let i = 0; i < length; i++) {
      const value = stored[i];
      sum = (sum + value) & 0xffff;
      physical[i] = value === invalid ? Number.NaN : (value - baseline) / gain;
    }
  } else {
    for (let i = 0; i < length; i++) sum = (sum + stored[i]) & 0xffff;
    digital = new Int32Array(length);
    for (let i = 0; i < length; i++) {
      const j = i + shift;
      if (j >= stored.length) {
        digital[i] = marker ?? -2147483648;
        physical[i] = Number.NaN;
        continue;
      }
      const value = stored[j];
      digital[i] = value;
      physical[i] = value === invalid ? Number.NaN : (value - baseline) / gain;
    }
  }
  const checksum: ChecksumStatus = spec.checksum === null ? 'absent' : sum === (spec.checksum & 0xffff) ? 'ok' : 'mismatch';
  return {
    spec,
    name: spec.description,
    lead: standardLeadFromText(spec.description),
    units: spec.units,
    samplingFrequency: frequency * perFrame,
    digital,
    physical,
    physicalRange: physicalRangeOf(spec),
    checksum,
    initialValue,
  };
}

function sliceSignal<T extends EcgSignal>(signal: T, from: number, to: number, perFrame: number): T {
  return { ...signal, physical: signal.physical.slice(from * perFrame, to * perFrame) };
}

function clampRange(options: WfdbReadOptions, length: number, path: string): [number, number] {
  const from = options.sampleFrom ?? 0;
  const to = options.sampleTo ?? length;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || to > length) {
    throw new EcgError('ECG_BAD_OPTIONS', `sample range [${from}, ${to}) is outside the record's ${length} samples`, path);
  }
  return [from, to];
}

/**
 * Reads a WFDB record `name` (the header's name without `.hea`, may include folders relative to the
 * source) into physical values. Multi-segment records come back assembled.
 */
export async function readWfdbRecord(source: RecordSource, name: string, options: WfdbReadOptions = {}): Promise<EcgRecord> {
  const header = await readHeader(source, name);
  const path = `${name}.hea`;
  const demographics = demographicsFromComments(header.comments, header.info);
  if (header.kind === 'multi-segment') {
    return readMultiSegment(source, name, header, options, demographics);
  }
  const { signals, numberOfSamples } = await readSingleSegment(source, name, header);
  const [from, to] = clampRange(options, numberOfSamples, path);
  const sliced = from === 0 && to === numberOfSamples ? signals : signals.map((signal) => sliceSignal(signal, from, to, signal.spec.samplesPerFrame));
  return {
    source: {
      kind: 'wfdb',
      storageFormats: [...new Set(header.signals.map((spec) => spec.format))],
      matlab: header.signals.some((spec) => spec.fileName.toLowerCase().endsWith('.mat')),
      segments: 1,
    },
    recordName: header.record.recordName,
    samplingFrequency: header.record.samplingFrequency,
    numberOfSamples: to - from,
    signals: sliced,
    comments: header.comments,
    info: header.info,
    demographics,
  };
}

async function readMultiSegment(
  source: RecordSource,
  name: string,
  header: Extract<WfdbHeader, { kind: 'multi-segment' }>,
  options: WfdbReadOptions,
  demographics: EcgRecord['demographics'],
): Promise<EcgRecord> {
  const directory = directoryOf(name);
  const path = `${name}.hea`;
  const segments = header.segments;
  const total = header.record.numberOfSamples ?? segments.reduce((sum, segment) => sum + segment.numberOfSamples, 0);
  const [from, to] = clampRange(options, total, path);
  // header(5): a first segment of length 0 is the layout header of a variable-layout record; it lists
  // every signal that appears in any segment, and segments' signals are matched to it by name.
  const first = segments[0];
  const variableLayout = first !== undefined && first.numberOfSamples === 0 && first.recordName !== '~';
  let layout: readonly WfdbSignalSpec[] | null = null;
  if (variableLayout) {
    const layoutHeader = await readHeader(source, fileInFolder(directory, first.recordName, path));
    if (layoutHeader.kind !== 'single-segment') throw new EcgError('WFDB_BAD_HEADER', 'a layout segment is itself multi-segment', path);
    layout = layoutHeader.signals;
  }
  const outputs: Float64Array[] = [];
  const statuses: { checksum: ChecksumStatus[]; initialValue: InitialValueStatus[] }[] = [];
  const units: string[] = [];
  const samplesPerFrame: number[] = [];
  const storageFormats = new Set<number>();
  let names: string[] | null = layout === null ? null : layout.map((spec) => spec.description);
  let start = 0;
  for (const segment of segments) {
    const end = start + segment.numberOfSamples;
    const overlapFrom = Math.max(from, start);
    const overlapTo = Math.min(to, end);
    const segmentStart = start;
    start = end;
    if (segment.numberOfSamples === 0 || overlapTo <= overlapFrom || segment.recordName === '~') continue;
    const segmentName = fileInFolder(directory, segment.recordName, path);
    const segmentHeader = await readHeader(source, segmentName);
    if (segmentHeader.kind !== 'single-segment') throw new EcgError('WFDB_BAD_HEADER', `segment ${segment.recordName} is itself multi-segment`, `${segmentName}.hea`);
    if (segmentHeader.record.samplingFrequency !== header.record.samplingFrequency) {
      throw new EcgError('WFDB_BAD_HEADER', `segment ${segment.recordName} has another sampling frequency`, `${segmentName}.hea`);
    }
    const { signals } = await readSingleSegment(source, segmentName, segmentHeader);
    if (names === null) names = signals.map((signal) => signal.name);
    if (outputs.length === 0) {
      for (let s = 0; s < names.length; s++) {
        const perFrame = layout?.[s]?.samplesPerFrame ?? signals[s]?.spec.samplesPerFrame ?? 1;
        samplesPerFrame.push(perFrame);
        outputs.push(new Float64Array((to - from) * perFrame).fill(Number.NaN));
        statuses.push({ checksum: [], initialValue: [] });
        units.push(layout?.[s]?.units ?? signals[s]?.units ?? 'mV');
      }
    }
    for (const signal of signals) storageFormats.add(signal.spec.format);
    for (let s = 0; s < names.length; s++) {
      // Fixed layout: signals by position; variable layout: by name (header(5)).
      const signal = layout === null ? signals[s] : signals.find((candidate) => candidate.name === names?.[s]);
      if (signal === undefined) {
        if (layout === null) throw new EcgError('WFDB_BAD_HEADER', `segment ${segment.recordName} lacks signal ${s} of a fixed layout`, `${segmentName}.hea`);
        continue;
      }
      const perFrame = samplesPerFrame[s];
      if (signal.spec.samplesPerFrame !== perFrame) {
        throw new EcgError('WFDB_BAD_HEADER', `signal ${signal.name} changes its samples per frame in segment ${segment.recordName}`, `${segmentName}.hea`);
      }
      outputs[s].set(
        signal.physical.subarray((overlapFrom - segmentStart) * perFrame, (overlapTo - segmentStart) * perFrame),
        (overlapFrom - from) * perFrame,
      );
      statuses[s].checksum.push(signal.checksum);
      statuses[s].initialValue.push(signal.initialValue);
    }
  }
  if (names === null) throw new EcgError('WFDB_BAD_HEADER', 'the requested range holds only null segments', path);
  const combine = <T extends string>(values: T[]): T | 'absent' =>
    values.includes('mismatch' as T) ? ('mismatch' as T) : values.includes('ok' as T) ? ('ok' as T) : 'absent';
  const signals: EcgSignal[] = names.map((signalName, s) => ({
    name: signalName,
    lead: standardLeadFromText(signalName),
    units: units[s] ?? 'mV',
    samplingFrequency: header.record.samplingFrequency * (samplesPerFrame[s] ?? layout?.[s]?.samplesPerFrame ?? 1),
    physical: outputs[s] ?? new Float64Array((to - from) * (layout?.[s]?.samplesPerFrame ?? 1)).fill(Number.NaN),
    physicalRange: null,
    checksum: combine(statuses[s]?.checksum ?? []),
    initialValue: combine(statuses[s]?.initialValue ?? []),
  }));
  return {
    source: { kind: 'wfdb', storageFormats: [...storageFormats], matlab: false, segments: segments.length },
    recordName: header.record.recordName,
    samplingFrequency: header.record.samplingFrequency,
    numberOfSamples: to - from,
    signals,
    comments: header.comments,
    info: header.info,
    demographics,
  };
}
