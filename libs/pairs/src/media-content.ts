// Content fingerprints of normalized media (deduplication) and gold masks in the normalized geometry.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';

/**
 * SHA-256 over the bytes of a row's media files, in order. Every image was written by one deterministic
 * PNG encoder (and every ECG by one .npy writer), so equal bytes ⇔ equal decoded content: this is the
 * decoded-content hash, without decoding.
 */
export async function mediaContentHash(files: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const file of files) {
    // Read synchronously: the build awaits each row's hash anyway, and these are small files (a PNG or
    // .npy); an asynchronous read costs four thread-pool round trips per row (open, stat, read, close).
    const bytes = readFileSync(file);
    hash.update(`${bytes.length}\u0000`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/** Bits of the difference hash: 16 × 16 comparisons. */
export const DIFFERENCE_HASH_BITS = 256;

/**
 * The 256-bit difference hash (dHash) of an image: grey, resized to 17 × 16, one bit per horizontal
 * neighbour comparison; 64 hex characters. Near-duplicates (re-encoded, slightly cropped or resized
 * copies) differ in few bits. 256 rather than the usual 64 bits: radiographs of one kind look alike at
 * 9 × 8 (on the sample's chest X-rays many different images share a 64-bit hash; at 256 bits the closest
 * two differ in 15 bits).
 */
export async function differenceHash(file: string): Promise<string> {
  const { data } = await sharp(file).greyscale().resize(17, 16, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer({ resolveWithObject: true });
  let hex = '';
  for (let nibble = 0; nibble < 64; nibble += 1) {
    let value = 0;
    for (let bit = 0; bit < 4; bit += 1) {
      const at = nibble * 4 + bit;
      const y = Math.floor(at / 16);
      const x = at % 16;
      value = (value << 1) | (data[y * 17 + x] > data[y * 17 + x + 1] ? 1 : 0);
    }
    hex += value.toString(16);
  }
  return hex;
}

export function hammingDistance(a: bigint, b: bigint): number {
  let x = a ^ b;
  let count = 0;
  while (x !== 0n) {
    x &= x - 1n;
    count += 1;
  }
  return count;
}

/**
 * The union of a sample's mask files (any pixel > 0), resized with nearest neighbour to the normalized
 * image's size: an 8-bit grey PNG of 0 / 255. Throws when a mask cannot be decoded.
 */
export async function unionMaskPng(maskFiles: readonly string[], width: number, height: number): Promise<Buffer> {
  const union = new Uint8Array(width * height);
  for (const file of maskFiles) {
    const { data, info } = await sharp(file).extractChannel(0).resize(width, height, { fit: 'fill', kernel: 'nearest' }).raw().toBuffer({ resolveWithObject: true });
    if (info.width !== width || info.height !== height || info.channels !== 1) throw new Error(`mask ${file} decoded to ${info.width}×${info.height}×${info.channels}`);
    for (let index = 0; index < union.length; index += 1) if (data[index] > 0) union[index] = 255;
  }
  return sharp(Buffer.from(union), { raw: { width, height, channels: 1 } }).png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
}
