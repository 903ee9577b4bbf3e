import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EcgError } from './ecg-error';
import { directorySource, memorySource } from './record-source';
import { parseWfdbHeader } from './wfdb-header';
import { readWfdbRecord } from './wfdb-record';

const FIXTURES = fileURLToPath(new URL('../test-fixtures/wfdb', import.meta.url));
const fixtures = directorySource(FIXTURES);

/** Every single-segment record of the fixtures: each `.hea` that is not a segment of another. */
const SINGLE_RECORDS = readdirSync(FIXTURES)
  .filter((file) => file.endsWith('.hea') && file !== 'mixedsignals.hea')
  .map((file) => file.slice(0, -4));

/** test01_00s_frame and _skewframe re-describe test01_00s.dat with signal 3 cut out; their headers
 * kept ECG_3's old initial value (−57), while the sample now in that slot is ECG 4's (−66). */
const STALE_INITIAL_VALUES = new Set(['test01_00s_frame/ECG_3', 'test01_00s_skewframe/ECG_3']);

describe('readWfdbRecord on real PhysioNet records: the format\'s own oracle', () => {
  it('covers all ten storage formats among the fixtures', () => {
    const formats = new Set<number>();
    for (const name of SINGLE_RECORDS) {
      const header = parseWfdbHeader(readFileSync(`${FIXTURES}/${name}.hea`, 'latin1'));
      if (header.kind === 'single-segment') for (const signal of header.signals) formats.add(signal.format);
    }
    expect([...formats].sort((a, b) => a - b)).toEqual([8, 16, 24, 32, 61, 80, 160, 212, 310, 311]);
  });

  for (const name of SINGLE_RECORDS) {
    it(`${name}: reproduces every signal's checksum and initial value`, async () => {
      const record = await readWfdbRecord(fixtures, name);
      expect(record.signals.length).toBeGreaterThan(0);
      for (const signal of record.signals) {
        expect({ signal: signal.name, checksum: signal.checksum }).toEqual({ signal: signal.name, checksum: 'ok' });
        const expected = STALE_INITIAL_VALUES.has(`${name}/${signal.name}`) ? 'mismatch' : 'ok';
        expect({ signal: signal.name, initialValue: signal.initialValue }).toEqual({ signal: signal.name, initialValue: expected });
      }
    });
  }

  it('reports the stale initial value of test01_00s_frame honestly: the file holds ECG 4\'s first sample there', async () => {
    const framed = await readWfdbRecord(fixtures, 'test01_00s_frame');
    const plain = await readWfdbRecord(fixtures, 'test01_00s');
    expect(framed.signals[2].physical[0]).toBe(plain.signals[3].physical[0]);
    expect(plain.signals[3].physical[0]).toBe(-66 / 100);
  });

  it('converts to physical units: (digital − baseline) / gain, MIT-BIH 100 starting at −0.145 and −0.065 mV', async () => {
    const record = await readWfdbRecord(fixtures, '100', { sampleTo: 2 });
    expect(record.samplingFrequency).toBe(360);
    expect(record.signals.map((signal) => signal.physical[0])).toEqual([(995 - 1024) / 200, (1011 - 1024) / 200]);
    expect(record.numberOfSamples).toBe(2);
    expect(record.demographics).toMatchObject({ age: 69, sex: 'M' });
  });

  it('deskews: a signal with skew 3 starts three frames later and ends with three invalid samples', async () => {
    const plain = await readWfdbRecord(fixtures, 'test01_00s');
    const skewed = await readWfdbRecord(fixtures, 'test01_00s_skew');
    const original = plain.signals[1].physical;
    const shifted = skewed.signals[1].physical;
    expect(shifted.length).toBe(4000);
    expect(Array.from(shifted.subarray(0, 3997))).toEqual(Array.from(original.subarray(3, 4000)));
    expect(Array.from(shifted.subarray(3997)).every(Number.isNaN)).toBe(true);
    expect(Array.from(skewed.signals[0].physical)).toEqual(Array.from(plain.signals[0].physical));
  });

  it('reads several samples per frame at the higher rate, in sample order', async () => {
    const plain = await readWfdbRecord(fixtures, 'test01_00s');
    const framed = await readWfdbRecord(fixtures, 'test01_00s_frame');
    const fast = framed.signals[1];
    expect(fast.samplingFrequency).toBe(1000);
    expect(fast.physical.length).toBe(8000);
    // ECG_2 ×2 takes the old ECG 2 and ECG 3 columns of each frame.
    for (const i of [0, 1, 2, 1234, 3999]) {
      expect(fast.physical[2 * i]).toBe(plain.signals[1].physical[i]);
      expect(fast.physical[2 * i + 1]).toBe(plain.signals[2].physical[i]);
    }
  });

  it('reads a MATLAB v4 .mat record through its byte offset (16+24)', async () => {
    const record = await readWfdbRecord(fixtures, 'a103l');
    expect(record.source).toMatchObject({ kind: 'wfdb', matlab: true, storageFormats: [16] });
    expect(record.signals.map((signal) => signal.units)).toEqual(['mV', 'mV', 'NU']);
    expect(record.signals[0].physical[0]).toBeCloseTo(-171 / 7247, 12);
  });

  it('rejects FLAC-compressed signals (format 516) with WFDB_UNSUPPORTED_FORMAT', async () => {
    await expect(readWfdbRecord(fixtures, 'mixedsignals')).rejects.toMatchObject({ code: 'WFDB_UNSUPPORTED_FORMAT' });
  });

  it('notices a changed sample: one flipped byte makes the checksum mismatch', async () => {
    const dat = new Uint8Array(readFileSync(`${FIXTURES}/test01_00s.dat`));
    dat[2] ^= 0x01; // signal 1, frame 0
    const source = memorySource({ 'test01_00s.hea': readFileSync(`${FIXTURES}/test01_00s.hea`), 'test01_00s.dat': dat });
    const record = await readWfdbRecord(source, 'test01_00s');
    expect(record.signals.map((signal) => signal.checksum)).toEqual(['ok', 'mismatch', 'ok', 'ok']);
    expect(record.signals[1].initialValue).toBe('mismatch');
  });
});

describe('readWfdbRecord on multi-segment records', () => {
  it('assembles a fixed layout (041s: two segments, 212 with 4 samples per frame)', async () => {
    const record = await readWfdbRecord(fixtures, 'multi-segment/041s/041s');
    const first = await readWfdbRecord(fixtures, 'multi-segment/041s/041s01');
    const second = await readWfdbRecord(fixtures, 'multi-segment/041s/041s02');
    expect(record.numberOfSamples).toBe(2000);
    expect(record.source).toMatchObject({ segments: 2 });
    for (const [s, signal] of record.signals.entries()) {
      expect(signal.checksum).toBe('ok');
      expect(signal.initialValue).toBe('ok');
      expect(Array.from(signal.physical)).toEqual([...first.signals[s].physical, ...second.signals[s].physical]);
    }
    expect(record.signals[0].samplingFrequency).toBe(500);
  });

  it('assembles the three segments of fixed1/v102s into the 225,000-sample record', async () => {
    const record = await readWfdbRecord(fixtures, 'multi-segment/fixed1/v102s');
    const one = await readWfdbRecord(fixtures, 'v102s');
    expect(record.numberOfSamples).toBe(225000);
    expect(record.signals.map((signal) => signal.checksum)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(record.signals[0].physical[150000 + 17]).toBe(one.signals[0].physical[17]);
  });

  it('assembles a variable layout by signal name, with NaN for null segments and absent signals (p000878)', async () => {
    const name = 'multi-segment/p000878/p000878-2137-10-26-16-57';
    // Only the first segments are in the fixture; the range stops where they end.
    const record = await readWfdbRecord(fixtures, name, { sampleTo: 7500 });
    const segment1 = await readWfdbRecord(fixtures, 'multi-segment/p000878/3269321_0001');
    const segment2 = await readWfdbRecord(fixtures, 'multi-segment/p000878/3269321_0002');
    expect(record.signals.map((signal) => signal.name)).toEqual(['PLETH', 'II', 'V', 'ABP']);
    const [pleth, ii, v, abp] = record.signals;
    expect(Array.from(pleth.physical.subarray(0, 3750)).every(Number.isNaN)).toBe(true);
    expect(Array.from(pleth.physical.subarray(3750, 5750))).toEqual(Array.from(segment1.signals[0].physical));
    // In segment 2 PLETH is the second signal: matched by name, not by position.
    expect(Array.from(pleth.physical.subarray(5750, 7500))).toEqual(Array.from(segment2.signals[1].physical));
    expect(Array.from(ii.physical.subarray(5750, 7500))).toEqual(Array.from(segment2.signals[0].physical));
    expect(Array.from(ii.physical.subarray(0, 5750)).every(Number.isNaN)).toBe(true);
    expect(Array.from(v.physical).every(Number.isNaN)).toBe(true);
    expect(Array.from(abp.physical).every(Number.isNaN)).toBe(true);
    expect([pleth.checksum, ii.checksum, v.checksum]).toEqual(['ok', 'ok', 'absent']);
    expect(ii.lead).toBe('II');
  });

  it('names the first missing segment when the range reaches it', async () => {
    await expect(
      readWfdbRecord(fixtures, 'multi-segment/p000878/p000878-2137-10-26-16-57', { sampleTo: 7501 }),
    ).rejects.toMatchObject({ code: 'ECG_MISSING_FILE', path: 'multi-segment/p000878/3269321_0003.hea' });
  });
});

function matV4Int16(rows: number, columns: number, columnMajor: Int16Array): Uint8Array {
  const bytes = new Uint8Array(24 + columnMajor.length * 2);
  const view = new DataView(bytes.buffer);
  view.setInt32(0, 30, true); // MOPT 0030: little-endian int16 full matrix
  view.setInt32(4, rows, true);
  view.setInt32(8, columns, true);
  view.setInt32(12, 0, true);
  view.setInt32(16, 4, true);
  bytes.set([0x76, 0x61, 0x6c, 0x00], 20); // "val\0"
  for (let i = 0; i < columnMajor.length; i++) view.setInt16(24 + 2 * i, columnMajor[i], true);
  return bytes;
}

describe('readWfdbRecord on a PhysioNet/CinC 2021 record (.mat, date before time)', () => {
  // Two leads × 4 samples, column-major as MATLAB stores `val`.
  const lead1 = [28, 30, -5, 100];
  const lead2 = [-1716, -1700, 7, 0];
  const interleaved = Int16Array.from(lead1.flatMap((value, i) => [value, lead2[i]]));
  const checksum = (values: number[]) => {
    const sum = values.reduce((a, b) => (a + b) & 0xffff, 0);
    return sum >= 0x8000 ? sum - 0x10000 : sum;
  };
  const header = [
    'A0001 2 500 4 05-Feb-2020 11:39:16',
    `A0001.mat 16+24 1000/mV 16 0 28 ${checksum(lead1)} 0 I`,
    `A0001.mat 16+24 1000/mV 16 0 -1716 ${checksum(lead2)} 0 II`,
    '#Age: 74',
    '#Sex: Male',
    '#Dx: 426783006,164865005',
    '#Rx: Unknown',
    '',
  ].join('\n');

  it('reads values, leads, demographics and diagnosis codes', async () => {
    const record = await readWfdbRecord(memorySource({ 'A0001.hea': header, 'A0001.mat': matV4Int16(2, 4, interleaved) }), 'A0001');
    expect(record.signals.map((signal) => [signal.lead, signal.checksum, signal.initialValue])).toEqual([
      ['I', 'ok', 'ok'],
      ['II', 'ok', 'ok'],
    ]);
    expect(Array.from(record.signals[1].physical)).toEqual(lead2.map((value) => value / 1000));
    expect(record.demographics).toEqual({ age: 74, sex: 'M', diagnosisCodes: ['426783006', '164865005'] });
  });

  it('rejects a .mat whose matrix does not match the header (WFDB_BAD_MAT)', async () => {
    const wrongShape = matV4Int16(4, 2, interleaved);
    await expect(
      readWfdbRecord(memorySource({ 'A0001.hea': header, 'A0001.mat': wrongShape }), 'A0001'),
    ).rejects.toMatchObject({ code: 'WFDB_BAD_MAT', path: 'A0001.mat' });
  });
});

describe('readWfdbRecord on broken inputs: typed errors, never a crash', () => {
  const hea = readFileSync(`${FIXTURES}/binformats.hea`);
  const files = Object.fromEntries(
    readdirSync(FIXTURES).filter((file) => file.startsWith('binformats.d')).map((file) => [file, new Uint8Array(readFileSync(`${FIXTURES}/${file}`))]),
  );

  for (const index of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]) {
    it(`reports ECG_TRUNCATED for a short binformats.d${index}`, async () => {
      const file = `binformats.d${index}`;
      const cut = { ...files, [file]: files[file].subarray(0, files[file].length - 3) };
      const failure = await readWfdbRecord(memorySource({ 'binformats.hea': hea, ...cut }), 'binformats').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EcgError);
      expect(failure).toMatchObject({ code: 'ECG_TRUNCATED', path: file });
    });
  }

  it('reports ECG_MISSING_FILE for an absent header or signal file', async () => {
    await expect(readWfdbRecord(fixtures, 'no-such-record')).rejects.toMatchObject({ code: 'ECG_MISSING_FILE', path: 'no-such-record.hea' });
    await expect(readWfdbRecord(memorySource({ 'binformats.hea': hea }), 'binformats')).rejects.toMatchObject({ code: 'ECG_MISSING_FILE', path: 'binformats.d0' });
  });

  it('reports WFDB_BAD_HEADER for a garbled header and for a file name leaving the folder', async () => {
    await expect(readWfdbRecord(memorySource({ 'x.hea': 'x 2 250 ten\n' }), 'x')).rejects.toMatchObject({ code: 'WFDB_BAD_HEADER' });
    await expect(readWfdbRecord(memorySource({ 'x.hea': 'x 1 250 1\n../../etc/passwd 16\n' }), 'x')).rejects.toMatchObject({ code: 'WFDB_BAD_HEADER' });
  });

  it('reads the same record from memory as from disk', async () => {
    const fromMemory = await readWfdbRecord(memorySource({ 'binformats.hea': hea, ...files }), 'binformats');
    const fromDisk = await readWfdbRecord(fixtures, 'binformats');
    expect(fromMemory.signals.map((signal) => Array.from(signal.physical))).toEqual(fromDisk.signals.map((signal) => Array.from(signal.physical)));
  });

  it('reads to the end of the file when the header gives no sample count', async () => {
    const source = memorySource({ 'n.hea': 'n 1 100\nn.dat 16\n', 'n.dat': new Uint8Array([1, 0, 2, 0, 3]) });
    const record = await readWfdbRecord(source, 'n');
    expect(record.numberOfSamples).toBe(2);
    expect(Array.from(record.signals[0].physical)).toEqual([1 / 200, 2 / 200]);
  });

  it('turns invalid-sample markers into NaN (format 16: −32768)', async () => {
    const source = memorySource({ 'm.hea': 'm 1 100 3\nm.dat 16 100/mV\n', 'm.dat': new Uint8Array([100, 0, 0x00, 0x80, 0xff, 0xff]) });
    const record = await readWfdbRecord(source, 'm');
    expect(Array.from(record.signals[0].physical)).toEqual([1, Number.NaN, -0.01]);
  });
});
