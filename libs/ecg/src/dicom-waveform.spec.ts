import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireOracle, runPython } from '@qoq/testing';
import { describe, expect, it } from 'vitest';
import { chooseMultiplexGroup, listDicomWaveformGroups, readDicomWaveform, type MultiplexGroupSummary } from './dicom-waveform';
import { EcgError } from './ecg-error';
import { decodeALaw, decodeMuLaw } from './g711';

const WAVEFORM_ECG = fileURLToPath(new URL('../test-fixtures/dicom/waveform_ecg.dcm', import.meta.url));
const realEcg = new Uint8Array(readFileSync(WAVEFORM_ECG));

// --- A minimal explicit-VR little-endian writer, so that every sample interpretation can be tested
// with bytes whose meaning is known. ---
const LONG_VRS = new Set(['OB', 'OW', 'SQ', 'UN', 'UT']);
const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));
const u16 = (value: number): number[] => [value & 0xff, (value >> 8) & 0xff];
const u32 = (value: number): number[] => [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff];

function element(tag: number, vr: string, value: number[]): number[] {
  const padded = value.length % 2 === 1 ? [...value, vr === 'UI' || vr === 'OB' ? 0 : 0x20] : value;
  const head = [...u16(tag >>> 16), ...u16(tag & 0xffff), ...ascii(vr)];
  return LONG_VRS.has(vr) ? [...head, 0, 0, ...u32(padded.length), ...padded] : [...head, ...u16(padded.length), ...padded];
}
const text = (tag: number, vr: string, value: string): number[] => element(tag, vr, ascii(value));
const sequence = (tag: number, items: number[][]): number[] =>
  element(tag, 'SQ', items.flatMap((item) => [...u16(0xfffe), ...u16(0xe000), ...u32(item.length), ...item]));

interface ChannelToWrite {
  code?: [string, string, string];
  label?: string;
  sensitivity: string;
  unit: string;
  baseline?: string;
  correction?: string;
}

function waveformFile(groups: { label: string; interpretation: string; bits: number; frequency: number; channels: ChannelToWrite[]; samples: number[]; padding?: number[] }[], extra: number[] = []): Uint8Array {
  const meta = [...text(0x00020010, 'UI', '1.2.840.10008.1.2.1')];
  const body = [
    ...text(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.9.1.2'),
    ...extra,
    ...sequence(
      0x54000100,
      groups.map((group) => {
        const perChannel = group.samples.length / group.channels.length;
        const data = group.bits === 16 ? group.samples.flatMap((value) => u16(value & 0xffff)) : group.samples.map((value) => value & 0xff);
        return [
          ...element(0x003a0005, 'US', u16(group.channels.length)),
          ...element(0x003a0010, 'UL', u32(perChannel)),
          ...text(0x003a001a, 'DS', String(group.frequency)),
          ...text(0x003a0020, 'SH', group.label),
          ...sequence(
            0x003a0200,
            group.channels.map((channel) => [
              ...(channel.label ? text(0x003a0203, 'SH', channel.label) : []),
              ...(channel.code
                ? sequence(0x003a0208, [[...text(0x00080100, 'SH', channel.code[0]), ...text(0x00080102, 'SH', channel.code[1]), ...text(0x00080104, 'LO', channel.code[2])]])
                : []),
              ...text(0x003a0210, 'DS', channel.sensitivity),
              ...sequence(0x003a0211, [[...text(0x00080100, 'SH', channel.unit), ...text(0x00080102, 'SH', 'UCUM')]]),
              ...text(0x003a0212, 'DS', channel.correction ?? '1'),
              ...text(0x003a0213, 'DS', channel.baseline ?? '0'),
            ]),
          ),
          ...element(0x54001004, 'US', u16(group.bits)),
          ...text(0x54001006, 'CS', group.interpretation),
          ...(group.padding ? element(0x5400100a, group.bits === 16 ? 'OW' : 'OB', group.padding) : []),
          ...element(0x54001010, group.bits === 16 ? 'OW' : 'OB', data),
        ];
      }),
    ),
  ];
  return Uint8Array.from([...new Array(128).fill(0), ...ascii('DICM'), ...element(0x00020000, 'UL', u32(meta.length)), ...meta, ...body]);
}

describe('readDicomWaveform on the real 12-lead ECG of pydicom\'s test files', () => {
  it('lists both multiplex groups and reads RHYTHM, never MEDIAN BEAT', () => {
    expect(listDicomWaveformGroups(realEcg).map((group) => [group.label, group.numberOfSamples, group.samplingFrequency])).toEqual([
      ['RHYTHM', 10000, 1000],
      ['MEDIAN BEAT', 1200, 1000],
    ]);
    const record = readDicomWaveform(realEcg);
    expect(record.source).toEqual({ kind: 'dicom-waveform', sopClassUid: '1.2.840.10008.5.1.4.1.1.9.1.1', multiplexGroupLabel: 'RHYTHM', sampleInterpretation: 'SS' });
    expect(record.numberOfSamples).toBe(10000);
    expect(() => readDicomWaveform(realEcg, { multiplexGroup: 1 })).toThrow(expect.objectContaining({ code: 'ECG_BAD_OPTIONS' }));
  });

  it('names the twelve leads from their SCPECG codes and code meanings ("Lead I (Einthoven)" → I)', () => {
    const record = readDicomWaveform(realEcg);
    expect(record.signals.map((signal) => signal.lead)).toEqual(['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(record.signals[0].name).toBe('Lead I (Einthoven)');
    expect(new Set(record.signals.map((signal) => signal.units))).toEqual(new Set(['mV']));
  });

  it.runIf(requireOracle('pydicom'))('gives pydicom\'s waveform_array values, converted from µV to mV', () => {
    const record = readDicomWaveform(realEcg);
    const ours = new Float64Array(12 * 10000);
    record.signals.forEach((signal, c) => ours.set(signal.physical, c * 10000));
    const script = [
      'import sys, json, numpy as np, pydicom',
      'ds = pydicom.dcmread(sys.argv[1])',
      'a = ds.waveform_array(0)',
      'ours_mv = np.frombuffer(sys.stdin.buffer.read(), dtype="<f8").reshape(12, -1).T',
      'print(json.dumps({"shape": list(a.shape), "peak": float(np.abs(a).max()), "worst": float(np.abs(ours_mv * 1000 - a).max())}))',
    ].join('\n');
    const oracle = JSON.parse(runPython(script, [WAVEFORM_ECG], Buffer.from(ours.buffer)).stdout) as { shape: number[]; peak: number; worst: number };
    expect(oracle.shape).toEqual([10000, 12]);
    expect(oracle.peak).toBeGreaterThan(500); // µV: the oracle is in µV, ours in mV
    const worst = oracle.worst;
    expect(worst).toBeLessThan(1e-9);
  });
});

describe('readDicomWaveform across transfer syntaxes', () => {
  it.runIf(requireOracle('pydicom'))('reads the same values from Implicit VR Little Endian and Explicit VR Big Endian re-encodings', () => {
    const folder = mkdtempSync(join(tmpdir(), 'qoq-ecg-ts-'));
    try {
      // pydicom rewrites the file; for big endian the OW Waveform Data is byte-swapped by hand, since
      // pydicom writes OW bytes as they are.
      const script = [
        'import sys, numpy as np, pydicom',
        'from pydicom.uid import ImplicitVRLittleEndian, ExplicitVRBigEndian',
        'src, out = sys.argv[1], sys.argv[2]',
        'ds = pydicom.dcmread(src)',
        'ds.file_meta.TransferSyntaxUID = ImplicitVRLittleEndian; ds.is_implicit_VR = True; ds.is_little_endian = True',
        'ds.save_as(out + "/implicit.dcm", write_like_original=False)',
        'ds = pydicom.dcmread(src)',
        'for w in ds.WaveformSequence: w.WaveformData = np.frombuffer(w.WaveformData, "<i2").astype(">i2").tobytes()',
        'ds.file_meta.TransferSyntaxUID = ExplicitVRBigEndian; ds.is_implicit_VR = False; ds.is_little_endian = False',
        'ds.save_as(out + "/big-endian.dcm", write_like_original=False)',
      ].join('\n');
      runPython(script, [WAVEFORM_ECG, folder]);
      const reference = readDicomWaveform(realEcg);
      for (const file of ['implicit.dcm', 'big-endian.dcm']) {
        const record = readDicomWaveform(new Uint8Array(readFileSync(join(folder, file))));
        expect(record.signals.map((signal) => signal.lead)).toEqual(reference.signals.map((signal) => signal.lead));
        record.signals.forEach((signal, c) => expect(signal.physical).toEqual(reference.signals[c].physical));
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('readDicomWaveform: sample interpretations and calibration (PS3.3 C.10.9)', () => {
  it('reads SB and applies sensitivity × correction factor, in µV converted to mV', () => {
    const file = waveformFile([
      { label: 'RHYTHM', interpretation: 'SB', bits: 8, frequency: 500, channels: [{ label: 'V1', sensitivity: '5', correction: '2', unit: 'uV' }], samples: [-100, 0, 100] },
    ]);
    expect(Array.from(readDicomWaveform(file).signals[0].physical)).toEqual([-1, 0, 1]);
  });

  it('reads UB with the channel baseline as the offset of sample 0 in sensitivity units', () => {
    const file = waveformFile([
      { label: 'RHYTHM', interpretation: 'UB', bits: 8, frequency: 500, channels: [{ label: 'II', sensitivity: '10', baseline: '-1280', unit: 'uV' }], samples: [128, 228, 28] },
    ]);
    const values = Array.from(readDicomWaveform(file).signals[0].physical);
    expect(values.map((value) => Math.round(value * 1e9) / 1e9)).toEqual([0, 1, -1]);
  });

  it('reads US and SS with two channels interleaved, in mV already', () => {
    const file = waveformFile([
      {
        label: 'RHYTHM', interpretation: 'SS', bits: 16, frequency: 250,
        channels: [{ code: ['2:1', 'MDC', 'Lead I'], sensitivity: '0.001', unit: 'mV' }, { code: ['2:62', 'MDC', 'aVR'], sensitivity: '0.001', unit: 'mV' }],
        samples: [1000, -2000, -1000, 2000],
      },
    ]);
    const record = readDicomWaveform(file);
    expect(record.signals.map((signal) => signal.lead)).toEqual(['I', 'AVR']);
    expect(Array.from(record.signals[0].physical)).toEqual([1, -1]);
    expect(Array.from(record.signals[1].physical)).toEqual([-2, 2]);
    const unsigned = waveformFile([
      { label: 'RHYTHM', interpretation: 'US', bits: 16, frequency: 250, channels: [{ label: 'I', sensitivity: '1', baseline: '-32768', unit: 'uV' }], samples: [0xffff, 32768] },
    ]);
    const values = Array.from(readDicomWaveform(unsigned).signals[0].physical);
    expect(values.map((value) => Math.round(value * 1e9) / 1e9)).toEqual([32.767, 0]);
  });

  it('decodes MB (µ-law) and AB (A-law) samples with ITU-T G.711', () => {
    expect([decodeMuLaw(0xff), decodeMuLaw(0x7f), decodeMuLaw(0x80), decodeMuLaw(0x00)]).toEqual([0, 0, 32124, -32124]);
    expect([decodeALaw(0xd5), decodeALaw(0x55), decodeALaw(0xaa), decodeALaw(0x2a)]).toEqual([8, -8, 32256, -32256]);
    const file = waveformFile([
      { label: 'RHYTHM', interpretation: 'MB', bits: 8, frequency: 500, channels: [{ label: 'V2', sensitivity: '1', unit: 'uV' }], samples: [0x80, 0xff, 0x00] },
    ]);
    expect(Array.from(readDicomWaveform(file).signals[0].physical)).toEqual([32.124, 0, -32.124]);
    const alaw = waveformFile([
      { label: 'RHYTHM', interpretation: 'AB', bits: 8, frequency: 500, channels: [{ label: 'V2', sensitivity: '1', unit: 'mV' }], samples: [0xaa, 0xd5] },
    ]);
    expect(Array.from(readDicomWaveform(alaw).signals[0].physical)).toEqual([32256, 8]);
  });

  it('turns the Waveform Padding Value into NaN', () => {
    const file = waveformFile([
      { label: 'RHYTHM', interpretation: 'SS', bits: 16, frequency: 500, channels: [{ label: 'I', sensitivity: '1', unit: 'mV' }], samples: [5, -32768, 6], padding: u16(0x8000) },
    ]);
    expect(Array.from(readDicomWaveform(file).signals[0].physical)).toEqual([5, Number.NaN, 6]);
  });

  it('reads age and sex from Patient Age and Patient Sex', () => {
    const file = waveformFile(
      [{ label: 'RHYTHM', interpretation: 'SS', bits: 16, frequency: 500, channels: [{ label: 'I', sensitivity: '1', unit: 'mV' }], samples: [1] }],
      [...text(0x00100040, 'CS', 'F'), ...text(0x00101010, 'AS', '074Y')],
    );
    expect(readDicomWaveform(file).demographics).toEqual({ age: 74, sex: 'F', diagnosisCodes: [] });
  });
});

describe('chooseMultiplexGroup', () => {
  const group = (index: number, label: string, seconds: number): MultiplexGroupSummary => ({
    index, label, numberOfChannels: 12, numberOfSamples: seconds * 500, samplingFrequency: 500, bitsAllocated: 16, sampleInterpretation: 'SS', seconds,
  });

  it('prefers RHYTHM, and never a MEDIAN BEAT even when it is longest', () => {
    expect(chooseMultiplexGroup([group(0, 'MEDIAN BEAT', 20), group(1, 'RHYTHM', 10), group(2, '', 12)])?.index).toBe(1);
  });

  it('takes the longest group covering the requested duration when RHYTHM is too short', () => {
    expect(chooseMultiplexGroup([group(0, 'RHYTHM', 2.5), group(1, 'LEADS', 10), group(2, 'OTHER', 12)], 10)?.index).toBe(2);
  });

  it('finds nothing when only median beats exist', () => {
    expect(chooseMultiplexGroup([group(0, 'median beat', 1.2)])).toBeNull();
  });
});

describe('readDicomWaveform on broken inputs', () => {
  it('reports DICOM_BAD_FILE for bytes that are not DICOM', () => {
    expect(() => readDicomWaveform(new Uint8Array([1, 2, 3]))).toThrow(EcgError);
    expect(() => readDicomWaveform(new Uint8Array([1, 2, 3]))).toThrow(expect.objectContaining({ code: 'DICOM_BAD_FILE' }));
  });

  it('reports DICOM_NOT_WAVEFORM for a DICOM file without a Waveform Sequence', () => {
    const meta = text(0x00020010, 'UI', '1.2.840.10008.1.2.1');
    const file = Uint8Array.from([...new Array(128).fill(0), ...ascii('DICM'), ...element(0x00020000, 'UL', u32(meta.length)), ...meta, ...text(0x00080016, 'UI', '1.2.840.10008.5.1.4.1.1.7')]);
    expect(() => readDicomWaveform(file)).toThrow(expect.objectContaining({ code: 'DICOM_NOT_WAVEFORM' }));
  });

  it('reports ECG_TRUNCATED when Waveform Data is shorter than channels × samples', () => {
    const file = waveformFile([
      { label: 'RHYTHM', interpretation: 'SS', bits: 16, frequency: 500, channels: [{ label: 'I', sensitivity: '1', unit: 'mV' }, { label: 'II', sensitivity: '1', unit: 'mV' }], samples: [1, 2, 3, 4] },
    ]);
    // Announce 3 samples per channel instead of 2 by patching Number of Waveform Samples (UL).
    const tag = [0x3a, 0x00, 0x10, 0x00, 0x55, 0x4c, 0x04, 0x00];
    const at = file.findIndex((_, i) => tag.every((b, k) => file[i + k] === b));
    file[at + 8] = 3;
    expect(() => readDicomWaveform(file)).toThrow(expect.objectContaining({ code: 'ECG_TRUNCATED' }));
  });
});
