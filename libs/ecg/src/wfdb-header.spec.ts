import { describe, expect, it } from 'vitest';
import { EcgError } from './ecg-error';
import { parseWfdbHeader } from './wfdb-header';

function single(text: string) {
  const header = parseWfdbHeader(text);
  if (header.kind !== 'single-segment') throw new Error('expected a single-segment header');
  return header;
}

describe('parseWfdbHeader: the record line (WFDB header(5))', () => {
  it('reads name, signals, frequency, samples, base time and base date in WFDB order', () => {
    const { record } = single('041s01 0 125 1000  8:26:04 26/10/1994\n');
    expect(record).toMatchObject({
      recordName: '041s01',
      numberOfSignals: 0,
      samplingFrequency: 125,
      counterFrequency: 125,
      numberOfSamples: 1000,
      baseTime: { hours: 8, minutes: 26, seconds: 4 },
      baseDate: { year: 1994, month: 10, day: 26 },
    });
  });

  it('accepts the PhysioNet/CinC 2021 variant with the date, month by name, before the time', () => {
    const { record } = single('A0001 0 500 7500 05-Feb-2020 11:39:16\n');
    expect(record.baseDate).toEqual({ year: 2020, month: 2, day: 5 });
    expect(record.baseTime).toEqual({ hours: 11, minutes: 39, seconds: 16 });
    expect(record.numberOfSamples).toBe(7500);
  });

  it('reads a counter frequency with its base counter, and fractional seconds', () => {
    const { record } = single('r 0 360/10(5) 20 19:46:25.757\n');
    expect(record.samplingFrequency).toBe(360);
    expect(record.counterFrequency).toBe(10);
    expect(record.baseCounter).toBe(5);
    expect(record.baseTime?.seconds).toBeCloseTo(25.757, 6);
  });

  it('defaults the frequency to 250 Hz and leaves the sample count open when absent', () => {
    const { record } = single('r 0\n');
    expect(record.samplingFrequency).toBe(250);
    expect(record.numberOfSamples).toBeNull();
    expect(record.baseTime).toBeNull();
  });
});

describe('parseWfdbHeader: signal lines', () => {
  it('reads every field, with format suffixes for samples per frame, skew and byte offset', () => {
    const { signals } = single('r 1 500 10\nr.dat 212x4:3+24 2000(-5)/uV 12 7 9 -123 0 lead V1 (chest)\n');
    expect(signals[0]).toEqual({
      fileName: 'r.dat',
      format: 212,
      samplesPerFrame: 4,
      skew: 3,
      byteOffset: 24,
      adcGain: 2000,
      gainIsDefault: false,
      baseline: -5,
      units: 'uV',
      adcResolution: 12,
      adcZero: 7,
      initialValue: 9,
      checksum: -123,
      blockSize: 0,
      description: 'lead V1 (chest)',
    });
  });

  it('applies the header(5) defaults: gain 200, baseline = ADC zero, mV, resolution of the format, initial value = ADC zero', () => {
    const { signals } = single('r 3 250 10\nr.dat 310\ns.dat 16 0 0 12\nt.dat 80 29/mV 0 4\n');
    expect(signals[0]).toMatchObject({ adcGain: 200, gainIsDefault: true, units: 'mV', adcResolution: 10, adcZero: 0, initialValue: 0, checksum: null, description: 'record r, signal 0' });
    expect(signals[1]).toMatchObject({ adcGain: 200, gainIsDefault: true, adcResolution: 16, adcZero: 12, baseline: 12, initialValue: 12 });
    expect(signals[2]).toMatchObject({ adcGain: 29, adcResolution: 8, adcZero: 4, baseline: 4 });
  });

  it('skips comments before the record line and blank lines between signal lines, as in MIT-BIH 100.hea', () => {
    const header = single('# unnecessary comment\n100 2 360 650000\n100.dat 212 200 11 1024 995 -22131 0 MLII\n\n100.dat 212 200 11 1024 1011 20052 0 V5\n# 69 M 1085 1629 x1\n');
    expect(header.signals.map((signal) => signal.description)).toEqual(['MLII', 'V5']);
    expect(header.comments).toEqual(['unnecessary comment', '69 M 1085 1629 x1']);
  });
});

describe('parseWfdbHeader: comments as key–value info', () => {
  it('reads PhysioNet 2021 `#Key: value` lines', () => {
    const header = single('A0001 0 500 7500\n#Age: 74\n#Sex: Male\n#Dx: 426783006,164865005\n#Rx: Unknown\n');
    expect(header.info).toEqual({ Age: '74', Sex: 'Male', Dx: '426783006,164865005', Rx: 'Unknown' });
  });

  it('reads `<key>: value` pairs several to a line (PTB)', () => {
    const header = single('r 0\n# <age>: 25  <sex>: M  <diagnoses>: (none)\n');
    expect(header.info).toEqual({ age: '25', sex: 'M', diagnoses: '(none)' });
  });
});

describe('parseWfdbHeader: multi-segment headers', () => {
  it('reads segments, null segments and the layout segment of a variable-layout record', () => {
    const header = parseWfdbHeader('p/3 4 125 5750 16:57:09.000 26/10/2137\nlay_layout 0\n~ 3750\nseg_0001 2000\n');
    expect(header.kind).toBe('multi-segment');
    if (header.kind !== 'multi-segment') return;
    expect(header.record.numberOfSegments).toBe(3);
    expect(header.segments).toEqual([
      { recordName: 'lay_layout', numberOfSamples: 0 },
      { recordName: '~', numberOfSamples: 3750 },
      { recordName: 'seg_0001', numberOfSamples: 2000 },
    ]);
  });
});

describe('parseWfdbHeader: broken headers are WFDB_BAD_HEADER errors', () => {
  const cases: [string, string][] = [
    ['an empty file', ''],
    ['a missing signal count', 'r\n'],
    ['fewer signal lines than announced', 'r 2 250 10\nr.dat 16\n'],
    ['a non-numeric gain', 'r 1 250 10\nr.dat 16 abc/mV\n'],
    ['a malformed format', 'r 1 250 10\nr.dat 16y2\n'],
    ['a non-integer ADC zero', 'r 1 250 10\nr.dat 16 200 12 1.5\n'],
    ['fewer segments than announced', 'r/3 1 250 10\na 5\n'],
    ['a malformed base time', 'r 1 250 10 25:xx\nr.dat 16\n'],
  ];
  for (const [what, text] of cases) {
    it(`rejects ${what}`, () => {
      try {
        parseWfdbHeader(text, 'r.hea');
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(EcgError);
        expect((error as EcgError).code).toBe('WFDB_BAD_HEADER');
        expect((error as EcgError).path).toBe('r.hea');
      }
    });
  }

  it('names an unknown storage format WFDB_UNSUPPORTED_FORMAT', () => {
    expect(() => parseWfdbHeader('r 1 250 10\nr.dat 999\n')).toThrow(expect.objectContaining({ code: 'WFDB_UNSUPPORTED_FORMAT' }));
  });
});
