// Resize (sharp / libvips, Lanczos-3) and PNG encoding. The PNG depends only on the pixels and the
// options: sharp writes no metadata unless asked (no tIME, tEXt, iCCP chunks; only a constant 72-dpi pHYs), and the compression
// level and filter are fixed, so equal pixels give equal bytes.
import sharp from 'sharp';
import type { DisplayImage } from './display-image';

/** The default pixel budget of an output image: 512 × 1024 (issue 4). */
export const DEFAULT_MAX_PIXELS = 524_288;
export const RESIZE_KERNEL = 'lanczos3';
const PNG_COMPRESSION_LEVEL = 6;

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The output size: the source size when it fits `maxPixels` (0: no limit), else the aspect-preserving
 * size with width × height ≤ maxPixels (each side floored, at least 1).
 */
export function targetSize(width: number, height: number, maxPixels: number): ImageSize {
  if (maxPixels <= 0 || width * height <= maxPixels) return { width, height };
  const scale = Math.sqrt(maxPixels / (width * height));
  let w = Math.max(1, Math.floor(width * scale));
  let h = Math.max(1, Math.floor(height * scale));
  // Floating point can land one over the budget; shave the longer side.
  while (w * h > maxPixels && (w > 1 || h > 1)) {
    if (w >= h) w -= 1;
    else h -= 1;
  }
  return { width: w, height: h };
}

/**
 * For JPEG 2000 / HTJ2K: how many of the finest wavelet levels can be skipped while the decoded size
 * (⌈side / 2^level⌉, PS3.5 §A.4.4 / ISO 15444-1 Annex B.5) stays ≥ the target on both sides.
 */
export function resolutionLevelFor(columns: number, rows: number, target: ImageSize): number {
  let level = 0;
  while (level < 32) {
    const next = level + 1;
    const w = Math.ceil(columns / 2 ** next);
    const h = Math.ceil(rows / 2 ** next);
    if (w < target.width || h < target.height) break;
    level = next;
  }
  return level;
}

/** Resizes (when the target differs) and encodes an 8-bit grey or RGB PNG. */
export async function encodePng(image: DisplayImage, target: ImageSize = image): Promise<Uint8Array> {
  const raw = Buffer.from(image.pixels.buffer, image.pixels.byteOffset, image.width * image.height * image.channels);
  // The size was bounded before decoding (@qoq/dicom DEFAULT_LIMITS: 16,384²), past sharp's own default.
  let pipeline = sharp(raw, { raw: { width: image.width, height: image.height, channels: image.channels }, limitInputPixels: false });
  if (target.width !== image.width || target.height !== image.height) {
    pipeline = pipeline.resize(target.width, target.height, { kernel: RESIZE_KERNEL, fit: 'fill' });
  }
  if (image.channels === 1) pipeline = pipeline.toColourspace('b-w');
  const png = await pipeline.png({ compressionLevel: PNG_COMPRESSION_LEVEL, adaptiveFiltering: false, palette: false }).toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
