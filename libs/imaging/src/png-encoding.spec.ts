// Output size, the JPEG 2000 resolution level, and PNG bytes that depend only on the pixels.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { DisplayImage } from './display-image';
import { DEFAULT_MAX_PIXELS, encodePng, resolutionLevelFor, targetSize } from './png-encoding';

function pngChunks(png: Uint8Array): string[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = view.getUint32(offset);
    types.push(String.fromCharCode(...png.subarray(offset + 4, offset + 8)));
    offset += 12 + length;
  }
  return types;
}

function gradient(width: number, height: number, channels: 1 | 3): DisplayImage {
  const pixels = new Uint8Array(width * height * channels);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7 + Math.floor(i / width) * 13) & 0xff;
  return { width, height, channels, pixels, window: { kind: 'colour' } };
}

describe('targetSize', () => {
  it('fits a 2,500 × 2,048 chest X-ray into 524,288 pixels keeping the aspect ratio', () => {
    const { width, height } = targetSize(2048, 2500, DEFAULT_MAX_PIXELS);
    expect(width * height).toBeLessThanOrEqual(DEFAULT_MAX_PIXELS);
    expect(width * height).toBeGreaterThan(DEFAULT_MAX_PIXELS * 0.99);
    expect(Math.abs(width / height - 2048 / 2500)).toBeLessThan(2 / height);
  });

  it('keeps images that already fit, and every size with --max-pixels=0', () => {
    expect(targetSize(512, 512, DEFAULT_MAX_PIXELS)).toEqual({ width: 512, height: 512 });
    expect(targetSize(4000, 3000, 0)).toEqual({ width: 4000, height: 3000 });
  });

  it('never gives a side of 0, even for a very thin image', () => {
    expect(targetSize(100_000, 2, 1000)).toEqual({ width: 1000, height: 1 });
  });
});

describe('resolutionLevelFor (JPEG 2000 reduced decoding)', () => {
  it('skips the wavelet levels whose removal still leaves at least the target size', () => {
    const target = targetSize(2048, 2500, DEFAULT_MAX_PIXELS); // ≈ 655 × 800
    expect(resolutionLevelFor(2048, 2500, target)).toBe(1); // 1024 × 1250 ≥ target; 512 × 625 is not
    expect(resolutionLevelFor(4096, 5000, target)).toBe(2);
    expect(resolutionLevelFor(2048, 2500, { width: 2048, height: 2500 })).toBe(0);
  });

  it('counts the halved sides rounded up (ISO 15444-1 B.5)', () => {
    // ⌈1001/2⌉ = 501 ≥ 501, ⌈1001/4⌉ = 251 < 501.
    expect(resolutionLevelFor(1001, 1001, { width: 501, height: 501 })).toBe(1);
  });
});

describe('encodePng', () => {
  it('writes an 8-bit greyscale PNG holding exactly the pixels, with no time, text or profile chunks', async () => {
    const image = gradient(37, 23, 1);
    const png = await encodePng(image);
    // No time (tIME), text (tEXt, zTXt, iTXt), profile (iCCP) or EXIF chunk; libvips' constant pHYs (72 dpi) only.
    expect([...new Set(pngChunks(png))]).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    // IHDR: bit depth 8, colour type 0 (greyscale).
    expect([png[24], png[25]]).toEqual([8, 0]);
    const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([37, 23, 1]);
    expect(new Uint8Array(data)).toEqual(image.pixels);
  });

  it('writes RGB as colour type 2 and resizes to the requested size', async () => {
    const png = await encodePng(gradient(64, 48, 3), { width: 32, height: 24 });
    expect([png[24], png[25]]).toEqual([8, 2]);
    const metadata = await sharp(png).metadata();
    expect([metadata.width, metadata.height, metadata.channels]).toEqual([32, 24, 3]);
  });

  it('gives the same bytes for the same pixels, run after run', async () => {
    const image = gradient(300, 200, 1);
    const first = await encodePng(image, { width: 150, height: 100 });
    const second = await encodePng({ ...image, pixels: image.pixels.slice() }, { width: 150, height: 100 });
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });
});
