// A segmentation mask (BUSI's `<name>_mask.png`, any mask image) to the grid of its normalized image:
// decoded at its stored values (no ICC conversion, no 16 → 8-bit scaling, so label 1 of a 16-bit
// mask stays foreground), its own EXIF orientation applied as for images, transparent pixels made
// background (composited on black), then foreground = any colour channel > 0 → 255, background → 0,
// resampled by nearest neighbour to exactly the image's output size, and encoded as an 8-bit grey PNG
// with encodePng's deterministic settings. The reward (qoq-med.md §3 "iou") reads mask > 0.
import { readFile } from 'node:fs/promises';
import { DEFAULT_LIMITS } from '@qoq/dicom';
import sharp, { type OutputInfo } from 'sharp';
import { ImageError, decodeFailure, readImageHeader, uint16View } from './image-file-decoding';
import { encodePng } from './png-encoding';

/** The largest output side accepted, a guard against a swapped or garbage size argument. */
const MAX_OUTPUT_SIDE = 65_535;

/**
 * Nearest-neighbour resampling with pixel centres aligned (the convention of PIL's NEAREST and
 * OpenCV's INTER_NEAREST_EXACT): output pixel x samples source ⌊(x + ½) · sourceWidth / width⌋.
 */
export function resizeNearest(pixels: Uint8Array, sourceWidth: number, sourceHeight: number, width: number, height: number): Uint8Array {
  if (sourceWidth === width && sourceHeight === height) return pixels;
  const columns = new Int32Array(width);
  // Integer arithmetic: ⌊(2x + 1) · W / 2w⌋ has no rounding error.
  for (let x = 0; x < width; x += 1) columns[x] = Math.floor(((2 * x + 1) * sourceWidth) / (2 * width));
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) {
    const row = Math.floor(((2 * y + 1) * sourceHeight) / (2 * height)) * sourceWidth;
    const target = y * width;
    for (let x = 0; x < width; x += 1) out[target + x] = pixels[row + columns[x]];
  }
  return out;
}

/** Foreground (any of the first `colourChannels` samples > 0) → 255, else 0; one byte per pixel. */
function threshold(samples: Uint8Array | Uint16Array, channels: number, colourChannels: number): Uint8Array {
  const pixelCount = samples.length / channels;
  const out = new Uint8Array(pixelCount);
  for (let pixel = 0, offset = 0; pixel < pixelCount; pixel += 1, offset += channels) {
    for (let channel = 0; channel < colourChannels; channel += 1) {
      if (samples[offset + channel] > 0) {
        out[pixel] = 255;
        break;
      }
    }
  }
  return out;
}

/**
 * The mask as an 8-bit grey PNG of exactly width × height with values 0 and 255.
 * Throws ImageError (IMAGE_CORRUPT, IMAGE_UNSUPPORTED, IMAGE_TOO_LARGE) for a bad mask file.
 */
export async function renderMaskPng(maskFile: string, width: number, height: number): Promise<Buffer> {
  for (const [name, value] of [['width', width], ['height', height]] as const) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_OUTPUT_SIDE) throw new RangeError(`renderMaskPng: ${name} must be an integer in 1..${MAX_OUTPUT_SIDE}, got ${value}`);
  }
  const buffer = await readFile(maskFile);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  const { info, sixteenBit } = await readImageHeader(bytes, DEFAULT_LIMITS.maxPixelsPerFrame);
  if (info.colourSpace === 'cmyk' || info.colourSpace === 'lab' || info.colourSpace === 'labs') {
    throw new ImageError('IMAGE_UNSUPPORTED', `A ${info.colourSpace} mask is not supported (grey or RGB, with or without alpha).`);
  }
  // keepIccProfile: the stored values, not a colour-managed rendering of them; the colour space is
  // the source's own (without it sharp renders to 8-bit sRGB, and a 16-bit label 1 becomes 0).
  const grey = info.colourSpace === 'b-w' || info.colourSpace === 'grey16';
  let pipeline = sharp(bytes, { failOn: 'warning', limitInputPixels: false }).autoOrient().keepIccProfile();
  if (info.hasAlpha) pipeline = pipeline.flatten({ background: { r: 0, g: 0, b: 0 } });
  pipeline = pipeline.toColourspace(grey ? (sixteenBit ? 'grey16' : 'b-w') : sixteenBit ? 'rgb16' : 'srgb');
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await pipeline.raw({ depth: sixteenBit ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw decodeFailure(info.format, error);
  }
  const { channels, width: sourceWidth, height: sourceHeight } = decoded.info;
  if (decoded.data.byteLength !== sourceWidth * sourceHeight * channels * (sixteenBit ? 2 : 1)) {
    throw new Error(`internal: a ${sourceWidth} × ${sourceHeight} × ${channels} mask decoded to ${decoded.data.byteLength} bytes`);
  }
  const data = sixteenBit ? uint16View(decoded.data) : new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
  const foreground = threshold(data, channels, Math.min(channels, grey ? 1 : 3));
  const pixels = resizeNearest(foreground, sourceWidth, sourceHeight, width, height);
  const png = await encodePng({ width, height, channels: 1, pixels, window: { kind: 'colour' } });
  return Buffer.from(png.buffer, png.byteOffset, png.byteLength);
}
