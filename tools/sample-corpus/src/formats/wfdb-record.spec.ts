import { describe, expect, it } from 'vitest';
import { matlabV4Bytes, signalChecksum, wfdbHeader } from './wfdb-record';

describe('WFDB records', () => {
  it('computes the header checksum as the 16-bit two’s-complement sum of the samples', () => {
    expect(signalChecksum(Int16Array.from([1, 2, 3]))).toBe(6);
    expect(signalChecksum(Int16Array.from([30000, 30000]))).toBe(60000 - 65536);
    expect(signalChecksum(Int16Array.from([-5, 2]))).toBe(-3);
  });

  it('writes one line per signal with format, gain, resolution, zero, initial value, checksum, block size and lead', () => {
    const leads = Array.from({ length: 12 }, (_, lead) => Int16Array.from([lead - 3, 10, 20]));
    const header = wfdbHeader(leads, { recordName: '00001_hr', samplingFrequency: 500, signalFile: '00001_hr.dat', format: '16', gain: '1000.0(0)/mV', baseTimeAndDate: '', comments: [] });
    const lines = header.trim().split('\n');
    expect(lines[0]).toBe('00001_hr 12 500 3');
    expect(lines[1]).toBe('00001_hr.dat 16 1000.0(0)/mV 16 0 -3 27 0 I');
    expect(lines[12]).toBe('00001_hr.dat 16 1000.0(0)/mV 16 0 8 38 0 V6');
  });

  it('writes MATLAB v4 with a 24-byte header so that `16+24` points at the samples', () => {
    const bytes = matlabV4Bytes([Int16Array.from([1, 2]), Int16Array.from([-1, -2])]);
    const view = new DataView(bytes.buffer);
    expect([view.getInt32(0, true), view.getInt32(4, true), view.getInt32(8, true), view.getInt32(16, true)]).toEqual([30, 2, 2, 4]);
    expect(String.fromCharCode(...bytes.subarray(20, 23))).toBe('val');
    // Column-major leads × samples: sample 0 of both leads, then sample 1.
    expect([0, 1, 2, 3].map((index) => view.getInt16(24 + index * 2, true))).toEqual([1, -1, 2, -2]);
  });
});
