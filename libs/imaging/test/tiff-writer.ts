// A minimal baseline TIFF writer for tests (TIFF 6.0 §2, one uncompressed strip, one sample per pixel,
// little endian): it writes what sharp cannot — 16-bit and float samples, and a header that claims a
// size with no pixel data behind it (a decompression bomb).

export interface GreyTiff {
  readonly width: number;
  readonly height: number;
  readonly bitsPerSample: 8 | 16 | 32;
  /** TIFF SampleFormat (tag 339): 1 unsigned integer, 3 IEEE float. */
  readonly sampleFormat?: 1 | 3;
  /** The strip's bytes; omitted: none (the header alone). */
  readonly strip?: Uint8Array;
  /** Orientation (tag 274), when given. */
  readonly orientation?: number;
}

const SHORT = 3;
const LONG = 4;

export function greyTiff(spec: GreyTiff): Buffer {
  const strip = spec.strip ?? new Uint8Array(0);
  const entries: Array<[tag: number, type: number, value: number]> = [
    [256, LONG, spec.width],
    [257, LONG, spec.height],
    [258, SHORT, spec.bitsPerSample],
    [259, SHORT, 1], // no compression
    [262, SHORT, 1], // BlackIsZero
    [273, LONG, 0], // StripOffsets: filled below
    [274, SHORT, spec.orientation ?? 1],
    [277, SHORT, 1],
    [278, LONG, spec.height],
    // StripByteCounts: the bytes present (a header-only file claims none).
    [279, LONG, strip.length],
    [339, SHORT, spec.sampleFormat ?? 1],
  ];
  const ifdSize = 2 + entries.length * 12 + 4;
  const dataOffset = 8 + ifdSize;
  const out = Buffer.alloc(dataOffset + strip.length);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(8, 4);
  out.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, value], index) => {
    const at = 10 + index * 12;
    out.writeUInt16LE(tag, at);
    out.writeUInt16LE(type, at + 2);
    out.writeUInt32LE(1, at + 4);
    const stored = tag === 273 ? dataOffset : value;
    if (type === SHORT) out.writeUInt16LE(stored, at + 8);
    else out.writeUInt32LE(stored, at + 8);
  });
  out.set(strip, dataOffset);
  return out;
}
