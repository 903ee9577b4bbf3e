// WFDB signal(5) storage formats: bytes of a signal file → digital sample values in file order (the
// signals of a file interleaved frame by frame). Format 8 holds first differences; they are returned
// as differences and accumulated per signal by the caller, which knows the frame layout.

/** Formats whose samples this module decodes. */
export const DECODABLE_FORMATS: ReadonlySet<number> = new Set([8, 16, 24, 32, 61, 80, 160, 212, 310, 311]);

/**
 * The digital value that marks an invalid sample in each format (signal(5): the most negative value
 * the format can hold; WFDB returns it as WFDB_INVALID_SAMPLE). Format 8 stores differences, so it has
 * no marker.
 */
export const INVALID_SAMPLE: Readonly<Record<number, number | null>> = {
  8: null,
  16: -32768,
  61: -32768,
  160: -32768,
  24: -8388608,
  32: -2147483648,
  80: -128,
  212: -2048,
  310: -512,
  311: -512,
};

/** Bytes needed to hold `count` samples, partial trailing groups included. */
export function bytesForSamples(format: number, count: number): number {
  if (count <= 0) return 0;
  switch (format) {
    case 8:
    case 80:
      return count;
    case 16:
    case 61:
    case 160:
      return 2 * count;
    case 24:
      return 3 * count;
    case 32:
      return 4 * count;
    case 212: {
      // Two samples in three bytes; an odd last sample needs the first two bytes of its pair.
      const pairs = Math.floor(count / 2);
      return 3 * pairs + (count % 2 === 1 ? 2 : 0);
    }
    case 310: {
      // Three samples in two little-endian 16-bit words; sample 2 of a group needs both words.
      const groups = Math.floor(count / 3);
      const rest = count % 3;
      return 4 * groups + (rest === 0 ? 0 : rest === 1 ? 2 : 4);
    }
    case 311: {
      // Three samples in one 32-bit little-endian word, 10 bits each.
      const groups = Math.floor(count / 3);
      const rest = count % 3;
      return 4 * groups + (rest === 0 ? 0 : rest === 1 ? 2 : 3);
    }
    default:
      throw new RangeError(`format ${format} is not decodable`);
  }
}

/** How many whole samples `byteCount` bytes hold. */
export function samplesInBytes(format: number, byteCount: number): number {
  switch (format) {
    case 8:
    case 80:
      return byteCount;
    case 16:
    case 61:
    case 160:
      return Math.floor(byteCount / 2);
    case 24:
      return Math.floor(byteCount / 3);
    case 32:
      return Math.floor(byteCount / 4);
    case 212:
      return 2 * Math.floor(byteCount / 3) + (byteCount % 3 === 2 ? 1 : 0);
    case 310:
      return 3 * Math.floor(byteCount / 4) + [0, 0, 1, 1][byteCount % 4];
    case 311:
      return 3 * Math.floor(byteCount / 4) + [0, 0, 1, 2][byteCount % 4];
    default:
      throw new RangeError(`format ${format} is not decodable`);
  }
}

/** Whether this machine stores numbers little-endian, as format 16 does. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function signExtend(value: number, bits: number): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

/**
 * Format 16 samples read in place, with no copy: an Int16Array over `bytes` when this machine is
 * little-endian and the samples are 2-byte aligned in memory; null otherwise (use decodeSamples).
 */
export function format16InPlace(bytes: Uint8Array, count: number): Int16Array | null {
  return LITTLE_ENDIAN && bytes.byteOffset % 2 === 0 ? new Int16Array(bytes.buffer, bytes.byteOffset, count) : null;
}

/**
 * Decodes `count` samples starting at `bytes[0]` (the caller has skipped the byte offset).
 * The caller has checked that `bytes` holds at least bytesForSamples(format, count) bytes.
 */
export function decodeSamples(format: number, bytes: Uint8Array, count: number): Int32Array {
  const out = new Int32Array(count);
  const b = bytes;
  switch (format) {
    case 8: // 8-bit two's complement first differences
      for (let i = 0; i < count; i++) out[i] = (b[i] << 24) >> 24;
      break;
    case 80: // 8-bit offset binary
      for (let i = 0; i < count; i++) out[i] = b[i] - 128;
      break;
    case 16: // 16-bit two's complement, little-endian
      if (LITTLE_ENDIAN && b.byteOffset % 2 === 0) {
        // The common case (PTB-XL, PhysioNet 2021): a native widening copy instead of a loop.
        out.set(new Int16Array(b.buffer, b.byteOffset, count));
        break;
      }
      for (let i = 0, j = 0; i < count; i++, j += 2) out[i] = ((b[j] | (b[j + 1] << 8)) << 16) >> 16;
      break;
    case 61: // 16-bit two's complement, big-endian
      for (let i = 0, j = 0; i < count; i++, j += 2) out[i] = ((b[j + 1] | (b[j] << 8)) << 16) >> 16;
      break;
    case 160: // 16-bit offset binary, little-endian
      for (let i = 0, j = 0; i < count; i++, j += 2) out[i] = (b[j] | (b[j + 1] << 8)) - 32768;
      break;
    case 24: // 24-bit two's complement, little-endian
      for (let i = 0, j = 0; i < count; i++, j += 3) out[i] = ((b[j] | (b[j + 1] << 8) | (b[j + 2] << 16)) << 8) >> 8;
      break;
    case 32: // 32-bit two's complement, little-endian
      for (let i = 0, j = 0; i < count; i++, j += 4) out[i] = b[j] | (b[j + 1] << 8) | (b[j + 2] << 16) | (b[j + 3] << 24);
      break;
    case 212:
      // Pairs of 12-bit samples in 3 bytes: the first from byte 0 and the low nibble of byte 1,
      // the second from byte 2 and the high nibble of byte 1.
      for (let i = 0, j = 0; i < count; i += 2, j += 3) {
        out[i] = signExtend(b[j] | ((b[j + 1] & 0x0f) << 8), 12);
        if (i + 1 < count) out[i + 1] = signExtend(b[j + 2] | ((b[j + 1] & 0xf0) << 4), 12);
      }
      break;
    case 310:
      // Three 10-bit samples in two 16-bit words: bits 1–10 of each word, then the top five bits of
      // both words (word 0 low, word 1 high) form the third sample.
      for (let i = 0, j = 0; i < count; i += 3, j += 4) {
        out[i] = signExtend((b[j] >> 1) | ((b[j + 1] & 0x07) << 7), 10);
        if (i + 1 < count) out[i + 1] = signExtend((b[j + 2] >> 1) | ((b[j + 3] & 0x07) << 7), 10);
        if (i + 2 < count) out[i + 2] = signExtend(((b[j + 1] & 0xf8) >> 3) | ((b[j + 3] & 0xf8) << 2), 10);
      }
      break;
    case 311:
      // Three 10-bit samples in one little-endian 32-bit word: bits 0–9, 10–19, 20–29.
      for (let i = 0, j = 0; i < count; i += 3, j += 4) {
        out[i] = signExtend(b[j] | ((b[j + 1] & 0x03) << 8), 10);
        if (i + 1 < count) out[i + 1] = signExtend((b[j + 1] >> 2) | ((b[j + 2] & 0x0f) << 6), 10);
        if (i + 2 < count) out[i + 2] = signExtend((b[j + 2] >> 4) | ((b[j + 3] & 0x3f) << 4), 10);
      }
      break;
    default:
      throw new RangeError(`format ${format} is not decodable`);
  }
  return out;
}
