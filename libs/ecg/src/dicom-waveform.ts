// DICOM waveforms (PS3.3 C.10.9 Waveform Module) of the 12-lead ECG and General ECG IODs
// (1.2.840.10008.5.1.4.1.1.9.1.1 / .9.1.2), read with dicom-parser directly. Each Waveform Sequence
// item is a multiplex group: channels interleaved sample by sample in Waveform Data.
import * as dicomParserNamespace from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { EcgError } from './ecg-error';
import type { EcgDemographics, EcgRecord, EcgSignal } from './ecg-record';
import { decodeALaw, decodeMuLaw } from './g711';
import { standardLeadFromCode, standardLeadFromText } from './lead-names';

// dicom-parser ships a UMD bundle: under Node's ESM loader its API is the CommonJS default export.
const dicomParser =
  (dicomParserNamespace as unknown as { default?: typeof dicomParserNamespace }).default ?? dicomParserNamespace;

export const TWELVE_LEAD_ECG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.9.1.1';
export const GENERAL_ECG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.9.1.2';

export type WaveformSampleInterpretation = 'SS' | 'US' | 'SB' | 'UB' | 'MB' | 'AB';

export interface MultiplexGroupSummary {
  readonly index: number;
  readonly label: string;
  readonly numberOfChannels: number;
  readonly numberOfSamples: number;
  readonly samplingFrequency: number;
  readonly bitsAllocated: number;
  readonly sampleInterpretation: string;
  readonly seconds: number;
}

export interface DicomWaveformOptions {
  /** Read this Waveform Sequence item (0-based) instead of choosing one. */
  readonly multiplexGroup?: number;
  /** Prefer a group at least this long (the normalization's duration). */
  readonly minimumSeconds?: number;
}

const TAG = {
  transferSyntaxUid: 'x00020010',
  sopClassUid: 'x00080016',
  patientSex: 'x00100040',
  patientAge: 'x00101010',
  waveformSequence: 'x54000100',
  numberOfChannels: 'x003a0005',
  numberOfSamples: 'x003a0010',
  samplingFrequency: 'x003a001a',
  multiplexGroupLabel: 'x003a0020',
  channelDefinitionSequence: 'x003a0200',
  channelLabel: 'x003a0203',
  channelSourceSequence: 'x003a0208',
  channelSensitivity: 'x003a0210',
  channelSensitivityUnitsSequence: 'x003a0211',
  channelSensitivityCorrectionFactor: 'x003a0212',
  channelBaseline: 'x003a0213',
  waveformBitsStored: 'x003a021a',
  bitsAllocated: 'x54001004',
  sampleInterpretation: 'x54001006',
  paddingValue: 'x5400100a',
  waveformData: 'x54001010',
  codeValue: 'x00080100',
  codingSchemeDesignator: 'x00080102',
  codeMeaning: 'x00080104',
} as const;

/** Millivolts per unit of a UCUM voltage unit; null for other quantities. */
function millivoltsPer(unit: string): number | null {
  const text = unit.trim();
  const table: Record<string, number> = { uV: 1e-3, 'µV': 1e-3, 'μV': 1e-3, mV: 1, V: 1000, nV: 1e-6 };
  if (text in table) return table[text];
  const meaning = text.toLowerCase();
  const words: Record<string, number> = { microvolt: 1e-3, millivolt: 1, volt: 1000, nanovolt: 1e-6 };
  return words[meaning] ?? null;
}

function parse(bytes: Uint8Array): DataSet {
  try {
    return dicomParser.parseDicom(bytes);
  } catch (error) {
    const detail = typeof error === 'string' ? error : error instanceof Error ? error.message : String((error as { exception?: string }).exception ?? error);
    throw new EcgError('DICOM_BAD_FILE', `not a readable DICOM file: ${detail}`);
  }
}

function items(dataSet: DataSet, tag: string): DataSet[] {
  const element: Element | undefined = dataSet.elements[tag];
  return (element?.items ?? []).flatMap((item) => (item.dataSet ? [item.dataSet] : []));
}

function groupSummary(group: DataSet, index: number): MultiplexGroupSummary {
  const numberOfChannels = group.uint16(TAG.numberOfChannels) ?? 0;
  const numberOfSamples = group.uint32(TAG.numberOfSamples) ?? 0;
  const samplingFrequency = group.floatString(TAG.samplingFrequency) ?? 0;
  return {
    index,
    label: (group.string(TAG.multiplexGroupLabel) ?? '').trim(),
    numberOfChannels,
    numberOfSamples,
    samplingFrequency,
    bitsAllocated: group.uint16(TAG.bitsAllocated) ?? 0,
    sampleInterpretation: (group.string(TAG.sampleInterpretation) ?? '').trim(),
    seconds: samplingFrequency > 0 ? numberOfSamples / samplingFrequency : 0,
  };
}

const isMedianBeat = (group: MultiplexGroupSummary): boolean => /^median\s*beat$/i.test(group.label);
const isRhythm = (group: MultiplexGroupSummary): boolean => /^rhythm$/i.test(group.label);

/** The multiplex groups of a waveform object, in Waveform Sequence order. */
export function listDicomWaveformGroups(bytes: Uint8Array): MultiplexGroupSummary[] {
  const dataSet = parse(bytes);
  return items(dataSet, TAG.waveformSequence).map(groupSummary);
}

/**
 * The group a record is read from: RHYTHM by default, else the longest; with minimumSeconds, among the
 * groups that cover it (RHYTHM first, then the longest). A MEDIAN BEAT group is never chosen: it is
 * an averaged beat, not a recording.
 */
export function chooseMultiplexGroup(groups: readonly MultiplexGroupSummary[], minimumSeconds = 0): MultiplexGroupSummary | null {
  const candidates = groups.filter((group) => !isMedianBeat(group) && group.numberOfSamples > 0);
  const covering = candidates.filter((group) => group.seconds >= minimumSeconds);
  const pool = covering.length > 0 ? covering : candidates;
  const byLength = [...pool].sort((a, b) => b.seconds - a.seconds || a.index - b.index);
  return byLength.find(isRhythm) ?? byLength[0] ?? null;
}

function parseAge(value: string | undefined): number | null {
  // PS3.5 AS: nnnD, nnnW, nnnM or nnnY.
  const match = value === undefined ? null : /^(\d{3})([DWMY])$/.exec(value.trim());
  if (!match) return null;
  const amount = Number(match[1]);
  const perYear: Record<string, number> = { D: 365.25, W: 52.1775, M: 12, Y: 1 };
  return Math.floor((amount / perYear[match[2]]) * 100) / 100;
}

function readSamples(dataSet: DataSet, group: DataSet, summary: MultiplexGroupSummary): Float64Array {
  const element = group.elements[TAG.waveformData];
  const total = summary.numberOfChannels * summary.numberOfSamples;
  const bytesPerSample = summary.bitsAllocated / 8;
  if (element === undefined) throw new EcgError('DICOM_NOT_WAVEFORM', `multiplex group ${summary.index} has no Waveform Data`);
  if (element.length < total * bytesPerSample || element.dataOffset + total * bytesPerSample > dataSet.byteArray.length) {
    throw new EcgError(
      'ECG_TRUNCATED',
      `multiplex group ${summary.index}: Waveform Data holds ${element.length} bytes for ${total} samples of ${summary.bitsAllocated} bits`,
    );
  }
  const out = new Float64Array(total);
  const bytes = dataSet.byteArray;
  const offset = element.dataOffset;
  const parser = dataSet.byteArrayParser; // the transfer syntax's byte order (OW is swapped in big endian)
  const interpretation = summary.sampleInterpretation;
  const wanted: Record<string, number> = { SS: 16, US: 16, SB: 8, UB: 8, MB: 8, AB: 8 };
  if (wanted[interpretation] !== summary.bitsAllocated) {
    throw new EcgError(
      'DICOM_UNSUPPORTED',
      `multiplex group ${summary.index}: sample interpretation ${interpretation || '(none)'} with ${summary.bitsAllocated} bits allocated is not supported`,
    );
  }
  for (let i = 0; i < total; i++) {
    switch (interpretation) {
      case 'SS':
        out[i] = parser.readInt16(bytes, offset + 2 * i);
        break;
      case 'US':
        out[i] = parser.readUint16(bytes, offset + 2 * i);
        break;
      case 'SB':
        out[i] = (bytes[offset + i] << 24) >> 24;
        break;
      case 'UB':
        out[i] = bytes[offset + i];
        break;
      case 'MB':
        out[i] = decodeMuLaw(bytes[offset + i]);
        break;
      case 'AB':
        out[i] = decodeALaw(bytes[offset + i]);
        break;
    }
  }
  return out;
}

function paddingValue(group: DataSet, summary: MultiplexGroupSummary): number | null {
  const element = group.elements[TAG.paddingValue];
  if (element === undefined || element.length === 0) return null;
  if (summary.bitsAllocated === 8) return group.byteArray[element.dataOffset];
  return summary.sampleInterpretation === 'SS' ? group.int16(TAG.paddingValue) ?? null : group.uint16(TAG.paddingValue) ?? null;
}

/**
 * Reads one multiplex group of a DICOM ECG into physical values in mV: sample × Channel Sensitivity ×
 * Channel Sensitivity Correction Factor + Channel Baseline (PS3.3 C.10.9.1.4.3: the baseline is the
 * offset of sample value 0 in sensitivity units), then the sensitivity's unit converted to mV.
 * FIX: pydicom 2.3's waveform_array adds the baseline before scaling ((x + b)·s·c); the two agree when
 * the baseline is 0, as in most ECGs.
 */
export function readDicomWaveform(bytes: Uint8Array, options: DicomWaveformOptions = {}): EcgRecord {
  const dataSet = parse(bytes);
  const sopClassUid = (dataSet.string(TAG.sopClassUid) ?? '').trim();
  const groupSets = items(dataSet, TAG.waveformSequence);
  if (groupSets.length === 0) throw new EcgError('DICOM_NOT_WAVEFORM', `SOP class ${sopClassUid || '(none)'} has no Waveform Sequence`);
  const summaries = groupSets.map(groupSummary);
  let summary: MultiplexGroupSummary | null;
  if (options.multiplexGroup !== undefined) {
    summary = summaries[options.multiplexGroup] ?? null;
    if (summary === null) throw new EcgError('ECG_BAD_OPTIONS', `there is no multiplex group ${options.multiplexGroup}`);
    if (isMedianBeat(summary)) throw new EcgError('ECG_BAD_OPTIONS', 'a MEDIAN BEAT group is an averaged beat, not a recording');
  } else {
    summary = chooseMultiplexGroup(summaries, options.minimumSeconds ?? 0);
  }
  if (summary === null) throw new EcgError('DICOM_NOT_WAVEFORM', 'no multiplex group holds a recording (only median beats or empty groups)');
  if (!(summary.samplingFrequency > 0) || summary.numberOfChannels === 0) {
    throw new EcgError('DICOM_NOT_WAVEFORM', `multiplex group ${summary.index} has no sampling frequency or channels`);
  }
  const group = groupSets[summary.index];
  const interleaved = readSamples(dataSet, group, summary);
  const padding = paddingValue(group, summary);
  const channels = items(group, TAG.channelDefinitionSequence);
  if (channels.length !== summary.numberOfChannels) {
    throw new EcgError('DICOM_NOT_WAVEFORM', `multiplex group ${summary.index} defines ${channels.length} of its ${summary.numberOfChannels} channels`);
  }
  const signals: EcgSignal[] = channels.map((channel, c) => {
    const source = items(channel, TAG.channelSourceSequence)[0];
    const code = {
      codeValue: source?.string(TAG.codeValue),
      codingSchemeDesignator: source?.string(TAG.codingSchemeDesignator),
      codeMeaning: source?.string(TAG.codeMeaning),
    };
    const label = channel.string(TAG.channelLabel);
    const lead = standardLeadFromCode(code) ?? (label === undefined ? null : standardLeadFromText(label));
    const unitItem = items(channel, TAG.channelSensitivityUnitsSequence)[0];
    const unit = unitItem?.string(TAG.codeValue) ?? unitItem?.string(TAG.codeMeaning) ?? '';
    const sensitivity = channel.floatString(TAG.channelSensitivity) ?? 1;
    const correction = channel.floatString(TAG.channelSensitivityCorrectionFactor) ?? 1;
    const baseline = channel.floatString(TAG.channelBaseline) ?? 0;
    const toMillivolts = millivoltsPer(unit);
    const scale = sensitivity * correction * (toMillivolts ?? 1);
    const offset = baseline * (toMillivolts ?? 1);
    const physical = new Float64Array(summary.numberOfSamples);
    for (let i = 0, j = c; i < physical.length; i++, j += summary.numberOfChannels) {
      const value = interleaved[j];
      physical[i] = padding !== null && value === padding && summary.sampleInterpretation !== 'MB' && summary.sampleInterpretation !== 'AB' ? Number.NaN : value * scale + offset;
    }
    const bitsStored = channel.uint16(TAG.waveformBitsStored) ?? summary.bitsAllocated;
    const signed = summary.sampleInterpretation === 'SS' || summary.sampleInterpretation === 'SB';
    const low = signed ? -(2 ** (bitsStored - 1)) : 0;
    const high = signed ? 2 ** (bitsStored - 1) - 1 : 2 ** bitsStored - 1;
    const rangeKnown = summary.sampleInterpretation !== 'MB' && summary.sampleInterpretation !== 'AB';
    return {
      name: code.codeMeaning?.trim() || label?.trim() || code.codeValue?.trim() || `channel ${c + 1}`,
      lead,
      units: toMillivolts === null ? unit : 'mV',
      samplingFrequency: summary.samplingFrequency,
      physical,
      physicalRange: rangeKnown ? ([low * scale + offset, high * scale + offset].sort((a, b) => a - b) as [number, number]) : null,
      checksum: 'absent',
      initialValue: 'absent',
    } satisfies EcgSignal;
  });
  const sex = (dataSet.string(TAG.patientSex) ?? '').trim().toUpperCase();
  const demographics: EcgDemographics = {
    age: parseAge(dataSet.string(TAG.patientAge)),
    sex: sex === 'M' || sex === 'F' ? sex : null,
    diagnosisCodes: [],
  };
  return {
    source: {
      kind: 'dicom-waveform',
      sopClassUid,
      multiplexGroupLabel: summary.label,
      sampleInterpretation: summary.sampleInterpretation,
    },
    recordName: '',
    samplingFrequency: summary.samplingFrequency,
    numberOfSamples: summary.numberOfSamples,
    signals,
    comments: [],
    info: {},
    demographics,
  };
}
