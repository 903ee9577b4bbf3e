import { describe, expect, it } from 'vitest';
import { encodeRleFrame, packBits } from './rle-encoder';

/** PackBits decoding as PS3.5 §G.3.2 states it, written independently of the encoder. */
function unpackBits(packed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let read = 0;
  let written = 0;
  while (written < length) {
    const header = (packed[read++] << 24) >> 24;
    if (header >= 0) {
      out.set(packed.subarray(read, read + header + 1), written);
      read += header + 1;
      written += header + 1;
    } else if (header !== -128) {
      out.fill(packed[read++], written, written + 1 - header);
      written += 1 - header;
    }
  }
  return out;
}

describe('RLE Lossless (PS3.5 Annex G)', () => {
  it('encodes a replicate run as (1 − n, byte) and a literal run as (n − 1, bytes)', () => {
    expect([...packBits(Uint8Array.from([7, 7, 7, 1, 2]))]).toEqual([254, 7, 1, 1, 2]);
  });

  it('splits runs longer than 128 bytes', () => {
    const packed = packBits(new Uint8Array(300).fill(9));
    expect([...packed]).toEqual([129, 9, 129, 9, 213, 9]);
  });

  it('round-trips random and structured planes through an independent decoder', () => {
    let state = 12345;
    const plane = Uint8Array.from({ length: 5000 }, (_, index) => {
      state = (state * 1103515245 + 12345) >>> 0;
      return index % 700 < 300 ? 42 : state >>> 24;
    });
    expect(unpackBits(packBits(plane), plane.length)).toEqual(plane);
  });

  it('writes one segment per byte plane, most significant first, after a 64-byte header', () => {
    const frame = encodeRleFrame(Uint16Array.from([0x0102, 0x0102, 0x0304]), 1);
    const header = new DataView(frame.buffer, frame.byteOffset, 64);
    expect(header.getUint32(0, true)).toBe(2);
    const first = header.getUint32(4, true);
    const second = header.getUint32(8, true);
    expect(first).toBe(64);
    expect(second % 2).toBe(0);
    expect([...unpackBits(frame.subarray(first, second), 3)]).toEqual([1, 1, 3]);
    expect([...unpackBits(frame.subarray(second), 3)]).toEqual([2, 2, 4]);
  });
});
