// A JPEG, PNG or TIFF file to the 8-bit image a model sees, and its PNG (ingest:images' per-file core).
// Decoding is libvips through sharp; the steps are ours and fixed, in this order:
//   1. the format is recognised by its signature (never by the extension, which datasets get wrong);
//   2. the header is read and checked (size ≤ the limit before any pixel is decoded: a decompression
//      bomb is rejected without allocating; 8- or 16-bit unsigned samples; known colour spaces);
//   3. EXIF / TIFF orientation applied, so the pixels are the image as displayed;
//   4. an embedded ICC profile converted to sRGB (libvips icc_transform, lcms2); CMYK without a profile
//      goes through libvips' built-in CMYK profile;
//   5. alpha removed by compositing on black;
//   6. greyscale sources stay one channel, everything else becomes RGB;
//   7. 16-bit samples scaled to 8 bits as round(v × 255 / 65535) = round(v / 257) (PNG 3rd ed. §13.12,
//      "Sample depth rescaling"; no windowing);
//   8. resized and encoded by `encodePng`, exactly as ingest:dicom does (targetSize with the same
//      pixel budget, Lanczos-3, the same deterministic PNG settings).
// No metadata leaves: the PNG carries no EXIF, XMP, text or ICC chunk (the pixels are sRGB).
import { readFile } from 'node:fs/promises';
import { DEFAULT_LIMITS } from '@qoq/dicom';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import type { DisplayImage } from './display-image';
import { isExifOrientation, orientedSize, type ExifOrientation } from './exif-orientation';
import { iccProfileDescription } from './icc-profile';
import { DEFAULT_MAX_PIXELS, encodePng, targetSize } from './png-encoding';

export type ImageErrorCode = 'IMAGE_CORRUPT' | 'IMAGE_UNSUPPORTED' | 'IMAGE_TOO_LARGE';

/** A file this pipeline cannot turn into an image; the message names the reason, never a pixel value. */
export class ImageError extends Error {
  override readonly name = 'ImageError';
  constructor(
    readonly code: ImageErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export type SourceImageFormat = 'jpeg' | 'png' | 'tiff';

/** The extensions ingest:images reads (compared case-insensitively). */
export const IMAGE_FILE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.tif', '.tiff'];

export function isImageFileCandidate(path: string): boolean {
  const lower = path.toLowerCase();
  return IMAGE_FILE_EXTENSIONS.some((extension) => lower.endsWith(extension));
}

export interface ImageNormalizeOptions {
  /** Output pixel budget, as ingest:dicom's --max-pixels (default 524,288; 0 keeps the size). */
  readonly maxPixels?: number;
  /** Stored width × height past which a file is rejected before decoding (default: @qoq/dicom's 16,384²). */
  readonly maxSourcePixels?: number;
}

/** What the file holds, as stored (images.parquet's source columns). */
export interface SourceImageInfo {
  readonly format: SourceImageFormat;
  /** Stored size, before the EXIF orientation is applied. */
  readonly sourceWidth: number;
  readonly sourceHeight: number;
  /** EXIF / TIFF Orientation, null when the file has none. */
  readonly exifOrientation: ExifOrientation | null;
  /** libvips' interpretation: srgb, b-w, rgb16, grey16, cmyk, lab, … */
  readonly colourSpace: string;
  /** Stored channels, alpha included. */
  readonly channels: number;
  readonly hasAlpha: boolean;
  /** Bits per stored sample (a palette PNG: bits per index). */
  readonly bitDepth: number;
  readonly palette: boolean;
  /** The embedded ICC profile's description; null without a profile (or an unnamed one). */
  readonly iccProfile: string | null;
  readonly hasIccProfile: boolean;
  /** Pages (multi-page TIFF); only the first is read. */
  readonly pages: number;
}

export interface DecodedSourceImage {
  readonly info: SourceImageInfo;
  /** Oriented, sRGB (or grey), alpha removed, 8-bit; at the displayed source size. */
  readonly image: DisplayImage;
}

export interface NormalizedImage extends SourceImageInfo {
  readonly png: Buffer;
  readonly outputWidth: number;
  readonly outputHeight: number;
  readonly outputChannels: 1 | 3;
}

/** Signatures of formats people put in image folders, to name them in a reject. */
const OTHER_SIGNATURES: ReadonlyArray<readonly [string, (bytes: Uint8Array) => boolean]> = [
  ['GIF', (b) => ascii(b, 0, 4) === 'GIF8'],
  ['WebP', (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP'],
  ['BMP', (b) => ascii(b, 0, 2) === 'BM'],
  ['DICOM', (b) => ascii(b, 128, 132) === 'DICM'],
  ['JPEG 2000', (b) => (b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51) || ascii(b, 4, 8) === 'jP  '],
  ['HEIF/AVIF', (b) => ascii(b, 4, 8) === 'ftyp'],
  ['text (SVG, HTML, …)', (b) => b[0] === 0x3c || (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf)],
];

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return bytes.length < end ? '' : String.fromCharCode(...bytes.subarray(start, end));
}

/** The format by its signature (JPEG SOI, PNG signature, TIFF / BigTIFF header), or undefined. */
export function sniffImageFormat(bytes: Uint8Array): SourceImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((value, index) => bytes[index] === value)) return 'png';
  const head = ascii(bytes, 0, 4);
  if (head === 'II*\0' || head === 'MM\0*' || head === 'II+\0' || head === 'MM\0+') return 'tiff';
  return undefined;
}

/** Stored channels (alpha excluded) a colour space must have. */
const COLOUR_BANDS: Readonly<Record<string, number>> = { 'b-w': 1, grey16: 1, srgb: 3, rgb: 3, rgb16: 3, scrgb: 3, cmyk: 4, lab: 3, labs: 3 };

/** The first line of a libvips message: the loader's reason, without its repetitions. */
function decoderReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0].trim();
}

export function decodeFailure(format: SourceImageFormat, error: unknown): ImageError {
  const reason = decoderReason(error);
  // libjpeg / libtiff refusing a valid but unimplemented variant (12-bit or lossless JPEG, an exotic
  // TIFF compression or sample format) is a limitation, not damage.
  if (/unsupported (jpeg process|color conversion|sample format|compression)|not (yet )?supported|sorry/i.test(reason)) {
    return new ImageError('IMAGE_UNSUPPORTED', `The ${format.toUpperCase()} file uses a variant the decoder does not support (${reason}).`);
  }
  return new ImageError('IMAGE_CORRUPT', `The ${format.toUpperCase()} file cannot be decoded: it is truncated or corrupt (${reason}).`);
}

/** Reads and checks the header (signature, size limit, sample type, colour space); throws ImageError. */
export async function readImageHeader(bytes: Uint8Array, maxSourcePixels: number): Promise<{ info: SourceImageInfo; sixteenBit: boolean }> {
  if (bytes.length === 0) throw new ImageError('IMAGE_CORRUPT', 'The file is empty.');
  const format = sniffImageFormat(bytes);
  if (format === undefined) {
    const other = OTHER_SIGNATURES.find(([, matches]) => matches(bytes))?.[0];
    throw new ImageError(
      'IMAGE_UNSUPPORTED',
      other === undefined ? 'The content is not a JPEG, PNG or TIFF image (unknown signature).' : `The content is ${other}, not a JPEG, PNG or TIFF image.`,
    );
  }
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { failOn: 'warning', limitInputPixels: false }).metadata();
  } catch (error) {
    throw decodeFailure(format, error);
  }
  const { width, height } = metadata;
  if (width === undefined || height === undefined || width < 1 || height < 1) throw new ImageError('IMAGE_CORRUPT', `The ${format.toUpperCase()} header gives no image size.`);
  if (width * height > maxSourcePixels) {
    throw new ImageError('IMAGE_TOO_LARGE', `The image is ${width} × ${height} pixels, past the limit of ${maxSourcePixels} pixels; it was not decoded.`);
  }
  const depth = metadata.depth ?? 'uchar';
  if (depth !== 'uchar' && depth !== 'ushort') {
    throw new ImageError('IMAGE_UNSUPPORTED', `Samples of type ${depth} are not supported (only 1- to 16-bit unsigned integers).`);
  }
  const space = metadata.space ?? 'srgb';
  const hasAlpha = metadata.hasAlpha === true;
  const channels = metadata.channels ?? 0;
  const bands = COLOUR_BANDS[space];
  if (bands === undefined || channels - (hasAlpha ? 1 : 0) !== bands) {
    throw new ImageError('IMAGE_UNSUPPORTED', `${channels} channels in colour space ${space} are not supported (grey, RGB, CMYK or Lab, with or without alpha).`);
  }
  const info: SourceImageInfo = {
    format,
    sourceWidth: width,
    sourceHeight: height,
    exifOrientation: isExifOrientation(metadata.orientation) ? metadata.orientation : null,
    colourSpace: space,
    channels,
    hasAlpha,
    bitDepth: metadata.bitsPerSample ?? (depth === 'ushort' ? 16 : 8),
    palette: metadata.isPalette === true,
    iccProfile: iccProfileDescription(metadata.icc),
    hasIccProfile: metadata.icc !== undefined && metadata.icc.length > 0,
    pages: metadata.pages ?? 1,
  };
  return { info, sixteenBit: depth === 'ushort' };
}

/** Native-endian 16-bit samples of sharp's raw output; copied only when not 2-byte aligned. */
export function uint16View(bytes: Buffer): Uint16Array {
  // A copy through Uint8Array owns its ArrayBuffer (Buffer.from may land at an odd offset of the pool).
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : new Uint8Array(bytes);
  return new Uint16Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 2);
}

/** round(v / 257) for every 16-bit value (PNG 3rd ed. §13.12); v / 257 is never exactly k + ½. */
let sixteenToEight: Uint8Array | undefined;
function toEightBits(samples: Uint16Array): Uint8Array {
  if (sixteenToEight === undefined) {
    sixteenToEight = new Uint8Array(65536);
    for (let value = 0; value < 65536; value += 1) sixteenToEight[value] = Math.round(value / 257);
  }
  const table = sixteenToEight;
  const out = new Uint8Array(samples.length);
  for (let index = 0; index < samples.length; index += 1) out[index] = table[samples[index]];
  return out;
}

/**
 * Decodes the first page to 8-bit grey or sRGB at the displayed (oriented) source size.
 * Throws ImageError for anything that is not a decodable, supported JPEG, PNG or TIFF.
 */
export async function decodeImageBytes(bytes: Uint8Array, options: Pick<ImageNormalizeOptions, 'maxSourcePixels'> = {}): Promise<DecodedSourceImage> {
  const maxSourcePixels = options.maxSourcePixels ?? DEFAULT_LIMITS.maxPixelsPerFrame;
  const { info, sixteenBit } = await readImageHeader(bytes, maxSourcePixels);
  const grey = info.colourSpace === 'b-w' || info.colourSpace === 'grey16';
  // limitInputPixels: the size was checked above against our own limit.
  let pipeline = sharp(bytes, { failOn: 'warning', limitInputPixels: false }).autoOrient();
  if (info.hasAlpha) pipeline = pipeline.flatten({ background: { r: 0, g: 0, b: 0 } });
  // sharp imports an embedded profile (or its CMYK default) before converting to the target space.
  pipeline = pipeline.toColourspace(grey ? (sixteenBit ? 'grey16' : 'b-w') : sixteenBit ? 'rgb16' : 'srgb');
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await pipeline.raw({ depth: sixteenBit ? 'ushort' : 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw decodeFailure(info.format, error);
  }
  const channels = decoded.info.channels;
  const displayed = orientedSize(info.sourceWidth, info.sourceHeight, info.exifOrientation);
  const sampleBytes = sixteenBit ? 2 : 1;
  if (
    (channels !== 1 && channels !== 3) ||
    channels !== (grey ? 1 : 3) ||
    decoded.info.width !== displayed.width ||
    decoded.info.height !== displayed.height ||
    decoded.data.byteLength !== displayed.width * displayed.height * channels * sampleBytes
  ) {
    throw new Error(`internal: decoded ${decoded.info.width} × ${decoded.info.height} × ${channels}, expected ${displayed.width} × ${displayed.height} × ${grey ? 1 : 3}`);
  }
  let pixels: Uint8Array;
  if (sixteenBit) {
    pixels = toEightBits(uint16View(decoded.data));
  } else {
    pixels = new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.byteLength);
  }
  // encodePng reads width, height, channels and pixels; `window` is dicom.parquet's record only.
  return { info, image: { width: displayed.width, height: displayed.height, channels, pixels, window: { kind: 'colour' } } };
}

/** decodeImageBytes, then resize and PNG exactly as ingest:dicom (targetSize, Lanczos-3, encodePng). */
export async function normalizeImageBytes(bytes: Uint8Array, options: ImageNormalizeOptions = {}): Promise<NormalizedImage> {
  const { info, image } = await decodeImageBytes(bytes, options);
  const size = targetSize(image.width, image.height, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  const png = await encodePng(image, size);
  return {
    ...info,
    png: Buffer.from(png.buffer, png.byteOffset, png.byteLength),
    outputWidth: size.width,
    outputHeight: size.height,
    outputChannels: image.channels,
  };
}

/** Reads `path` and normalizes it; throws ImageError (rejects) or the read's own error. */
export async function normalizeImageFile(path: string, options: ImageNormalizeOptions = {}): Promise<NormalizedImage> {
  const buffer = await readFile(path);
  return normalizeImageBytes(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), options);
}
