import { requireOracle, runPython } from '@qoq/testing';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from './npy';

describe('encodeNpy (NumPy .npy v1.0, <f4, C order)', () => {
  it('writes the magic, version 1.0 and a header that ends on a 64-byte boundary with a newline', () => {
    const bytes = encodeNpy(new Float32Array(6), [2, 3]);
    expect(Array.from(bytes.subarray(0, 8))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    const headerLength = bytes[8] | (bytes[9] << 8);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }")).toBe(true);
    expect(header.endsWith('\n')).toBe(true);
    expect(bytes.length).toBe(10 + headerLength + 24);
  });

  it('refuses a shape that does not hold the values', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(RangeError);
  });

  it.runIf(requireOracle('pydicom'))('loads in numpy as float32 [8, 2500] with the same values, and equals np.save byte for byte', () => {
    const values = Float32Array.from({ length: 8 * 2500 }, (_, i) => Math.sin(i / 7) * (i % 8) - 0.125);
    const bytes = encodeNpy(values, [8, 2500]);
    const script = [
      'import sys, io, json, numpy as np',
      'raw = sys.stdin.buffer.read()',
      'a = np.load(io.BytesIO(raw))',
      'b = io.BytesIO(); np.save(b, a)',
      'print(json.dumps({"shape": list(a.shape), "dtype": a.dtype.str, "c": bool(a.flags["C_CONTIGUOUS"]),',
      '  "row3": a[3, :5].tolist(), "last": float(a[7, 2499]), "same": b.getvalue() == raw}))',
    ].join('\n');
    const result = JSON.parse(runPython(script, [], Buffer.from(bytes)).stdout) as Record<string, unknown>;
    expect(result).toEqual({
      shape: [8, 2500],
      dtype: '<f4',
      c: true,
      row3: Array.from(values.subarray(3 * 2500, 3 * 2500 + 5)),
      last: values[8 * 2500 - 1],
      same: true,
    });
  });
});
