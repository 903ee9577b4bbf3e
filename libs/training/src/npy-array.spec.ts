import { requireOracle, runPython } from '@qoq/testing';
import { describe, expect, it } from 'vitest';
import { NpyFormatError, encodeNpyFloat32, parseNpy } from './npy-array';

describe('parseNpy', () => {
  it('reads what numpy writes: float32 C order, version 1.0 (numpy as the oracle)', () => {
    if (!requireOracle('scipy')) return;
    const script = 'import numpy as np, sys, io\n' +
      'a = (np.arange(8 * 2500, dtype=np.float32).reshape(8, 2500) / 7 - 3).astype("<f4")\n' +
      'b = io.BytesIO(); np.save(b, a); sys.stdout.write(b.getvalue().hex())';
    const bytes = Buffer.from(runPython(script).stdout, 'hex');
    const array = parseNpy(bytes);
    expect(array.shape).toEqual([8, 2500]);
    expect(array.descr).toBe('<f4');
    for (const i of [0, 1, 2499, 2500, 19_999]) expect(array.data[i]).toBe(Math.fround(Math.fround(i / 7) - 3));
  });

  it('reads version 2.0 headers, big-endian float64 and int16 (numpy as the oracle)', () => {
    if (!requireOracle('scipy')) return;
    const script = 'import numpy as np, sys, io\n' +
      'from numpy.lib import format as f\n' +
      'out = []\n' +
      'for a, v in [(np.array([[1.5, -2.25], [3, 4]], dtype=">f8"), (2, 0)), (np.array([-7, 300, 12], dtype="<i2"), (1, 0))]:\n' +
      '  b = io.BytesIO(); f.write_array(b, a, version=v); out.append(b.getvalue().hex())\n' +
      'sys.stdout.write(" ".join(out))';
    const [wide, small] = runPython(script).stdout.split(' ').map((text) => parseNpy(Buffer.from(text, 'hex')));
    expect(wide.shape).toEqual([2, 2]);
    expect(Array.from(wide.data)).toEqual([1.5, -2.25, 3, 4]);
    expect(small.shape).toEqual([3]);
    expect(Array.from(small.data)).toEqual([-7, 300, 12]);
  });

  it('round-trips its own float32 writer with the 64-byte header alignment of the format', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i * 0.1 - 0.3);
    const bytes = encodeNpyFloat32([3, 4], data);
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    const parsed = parseNpy(bytes);
    expect(parsed.shape).toEqual([3, 4]);
    expect(parsed.data).toEqual(data);
  });

  it('refuses what it cannot read, naming the reason', () => {
    const good = encodeNpyFloat32([2, 2], new Float32Array(4));
    const code = (bytes: Uint8Array): string => {
      try {
        parseNpy(bytes);
        return 'parsed';
      } catch (error) {
        return (error as NpyFormatError).code;
      }
    };
    expect(code(new TextEncoder().encode('not numpy at all'))).toBe('NPY_MAGIC');
    expect(code(good.subarray(0, good.length - 3))).toBe('NPY_TRUNCATED');
    const fortran = Buffer.from(good);
    fortran.write('True ', Buffer.from(good).indexOf('False'), 'latin1');
    expect(code(fortran)).toBe('NPY_ORDER');
    const complex = Buffer.from(good);
    complex.write('<c8', Buffer.from(good).indexOf('<f4'), 'latin1');
    expect(code(complex)).toBe('NPY_DTYPE');
  });
});
