// JPEG / PNG / TIFF files to normalized PNGs, on real files written by sharp (libvips) and by hand:
// EXIF orientation, ICC → sRGB, 16 → 8 bits, alpha, grey kept grey, the same resize and PNG as
// ingest:dicom, and a typed reject for every file that cannot be used. Pillow (python3-pil) is the
// independent decoder the orientation, colour management and 16-bit scaling are compared with.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOracle, runPython } from '@qoq/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { greyTiff } from '../test/tiff-writer';
import { decodeImageBytes, ImageError, isImageFileCandidate, normalizeImageBytes, normalizeImageFile, sniffImageFormat } from './image-file-decoding';
import { encodePng, targetSize } from './png-encoding';

const W = 64;
const H = 48;

/** A colour pattern with no symmetry, so any wrong rotation or mirror shows. */
function colourPattern(width = W, height = H): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const at = (y * width + x) * 3;
      pixels[at] = (x * 4) & 0xff;
      pixels[at + 1] = (y * 5) & 0xff;
      pixels[at + 2] = x < width / 3 && y < height / 2 ? 230 : 20;
    }
  }
  return pixels;
}

const raw = (pixels: Buffer, channels: 1 | 2 | 3 | 4, width = W, height = H) => sharp(pixels, { raw: { width, height, channels } });

/** Rotates interleaved pixels 90° clockwise (EXIF orientation 6 to display) or anticlockwise (8). */
function rotate(pixels: Uint8Array, width: number, height: number, channels: number, clockwise: boolean): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      // Displayed size height × width; stored (x, y) → clockwise (height − 1 − y, x), anticlockwise (y, width − 1 − x).
      const [dx, dy] = clockwise ? [height - 1 - y, x] : [y, width - 1 - x];
      for (let c = 0; c < channels; c += 1) out[(dy * height + dx) * channels + c] = pixels[(y * width + x) * channels + c];
    }
  }
  return out;
}

function pngChunks(png: Uint8Array): string[] {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const types: string[] = [];
  for (let offset = 8; offset < png.length; offset += 12 + view.getUint32(offset)) types.push(String.fromCharCode(...png.subarray(offset + 4, offset + 8)));
  return types;
}

async function pixelsOf(png: Uint8Array): Promise<{ data: Uint8Array; width: number; height: number; channels: number }> {
  // sharp's raw output of a grey PNG is sRGB unless asked for b-w.
  const grey = (await sharp(png).metadata()).channels === 1;
  const pipeline = grey ? sharp(png).toColourspace('b-w') : sharp(png);
  const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: info.channels };
}

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let index = 0; index < a.length; index += 1) max = Math.max(max, Math.abs(a[index] - b[index]));
  return max;
}

async function rejectionOf(bytes: Uint8Array, options = {}): Promise<ImageError> {
  const error = await normalizeImageBytes(bytes, options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImageError);
  return error as ImageError;
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-image-decoding-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('candidates and signatures', () => {
  it('takes .jpg .jpeg .png .tif .tiff in any case, and nothing else', () => {
    expect(['a.jpg', 'b/C.JPEG', 'x.Png', 'y.tif', 'z.TIFF'].every(isImageFileCandidate)).toBe(true);
    expect(['a.dcm', 'b.dicom', 'c.csv', 'd.jpg.txt', 'png', 'e.gif', 'f.webp'].some(isImageFileCandidate)).toBe(false);
  });

  it('recognises the format by its signature, whatever the extension says', async () => {
    const pattern = colourPattern();
    expect(sniffImageFormat(await raw(pattern, 3).jpeg().toBuffer())).toBe('jpeg');
    expect(sniffImageFormat(await raw(pattern, 3).png().toBuffer())).toBe('png');
    expect(sniffImageFormat(await raw(pattern, 3).tiff({ compression: 'lzw' }).toBuffer())).toBe('tiff');
    expect(sniffImageFormat(await raw(pattern, 3).webp().toBuffer())).toBeUndefined();
    // A PNG saved as .jpg (common in Kaggle datasets) is read as the PNG it is.
    const file = join(scratch, 'really-a-png.jpg');
    await writeFile(file, await raw(pattern, 3).png().toBuffer());
    expect(await normalizeImageFile(file, { maxPixels: 0 })).toMatchObject({ format: 'png', outputWidth: W, outputHeight: H });
  });
});

describe('EXIF orientation', () => {
  it.each([
    [6, true],
    [8, false],
  ] as const)('applies orientation %i to a JPEG and reports the stored size', async (orientation, clockwise) => {
    const pattern = colourPattern();
    // The same compressed pixels with and without the tag: only the orientation differs.
    const asStored = await raw(pattern, 3).jpeg({ quality: 95 }).toBuffer();
    const tagged = await raw(pattern, 3).jpeg({ quality: 95 }).withMetadata({ orientation }).toBuffer();
    const stored = await decodeImageBytes(asStored);
    const oriented = await decodeImageBytes(tagged);
    expect(oriented.info).toMatchObject({ sourceWidth: W, sourceHeight: H, exifOrientation: orientation });
    expect([oriented.image.width, oriented.image.height]).toEqual([H, W]);
    expect(oriented.image.pixels).toEqual(rotate(stored.image.pixels, W, H, 3, clockwise));
    const normalized = await normalizeImageBytes(tagged, { maxPixels: 0 });
    expect([normalized.outputWidth, normalized.outputHeight]).toEqual([H, W]);
    expect(stored.info.exifOrientation).toBeNull();
  });

  it('reads the orientation of a TIFF (tag 274) as well', async () => {
    const tiff = await raw(colourPattern(), 3).withMetadata({ orientation: 8 }).tiff({ compression: 'lzw' }).toBuffer();
    const result = await normalizeImageBytes(tiff, { maxPixels: 0 });
    expect(result).toMatchObject({ format: 'tiff', exifOrientation: 8, sourceWidth: W, sourceHeight: H, outputWidth: H, outputHeight: W });
  });
});

describe('colour', () => {
  it('converts an embedded Display P3 profile to sRGB and names the profile', async () => {
    const p3 = await raw(colourPattern(), 3).withIccProfile('p3').png().toBuffer();
    const { info, image } = await decodeImageBytes(p3);
    expect(info).toMatchObject({ iccProfile: 'sP3C', hasIccProfile: true, colourSpace: 'srgb' });
    // The stored (P3) values differ from the sRGB rendering: the conversion is not a no-op.
    const stored = await sharp(p3).keepIccProfile().raw().toBuffer();
    expect(maxDifference(stored, image.pixels)).toBeGreaterThan(5);
  });

  it('converts CMYK to three-channel RGB', async () => {
    const cmyk = await raw(colourPattern(), 3).withIccProfile('cmyk').jpeg().toBuffer();
    const result = await normalizeImageBytes(cmyk, { maxPixels: 0 });
    expect(result).toMatchObject({ colourSpace: 'cmyk', channels: 4, outputChannels: 3, iccProfile: 'Chemical proof' });
    expect([result.png[24], result.png[25]]).toEqual([8, 2]);
  });

  it('keeps a grey image one channel (PNG colour type 0) with its exact values', async () => {
    const grey = Buffer.alloc(W * H);
    for (let index = 0; index < grey.length; index += 1) grey[index] = (index * 37) & 0xff;
    const png = await raw(grey, 1).toColourspace('b-w').png().toBuffer();
    const result = await normalizeImageBytes(png, { maxPixels: 0 });
    expect(result).toMatchObject({ colourSpace: 'b-w', channels: 1, outputChannels: 1, bitDepth: 8 });
    expect([result.png[24], result.png[25]]).toEqual([8, 0]);
    const decoded = await sharp(result.png).extractChannel(0).raw().toBuffer();
    expect(decoded.equals(grey)).toBe(true);
  });

  it('scales 16-bit grey and RGB to 8 bits as round(v / 257)', async () => {
    const grey16 = new Uint16Array(W * H);
    for (let index = 0; index < grey16.length; index += 1) grey16[index] = (index * 1021 + 7) % 65536;
    const greyPng = await sharp(grey16, { raw: { width: W, height: H, channels: 1 } }).toColourspace('grey16').png().toBuffer();
    const grey = await decodeImageBytes(greyPng);
    expect(grey.info).toMatchObject({ bitDepth: 16, colourSpace: 'grey16' });
    expect(grey.image.channels).toBe(1);
    expect(grey.image.pixels).toEqual(Uint8Array.from(grey16, (v) => Math.round(v / 257)));

    const rgb16 = new Uint16Array(W * H * 3);
    for (let index = 0; index < rgb16.length; index += 1) rgb16[index] = (index * 997) % 65536;
    const rgbPng = await sharp(rgb16, { raw: { width: W, height: H, channels: 3 } }).toColourspace('rgb16').png().toBuffer();
    const rgb = await decodeImageBytes(rgbPng);
    expect(rgb.info).toMatchObject({ bitDepth: 16, colourSpace: 'rgb16' });
    expect(rgb.image.pixels).toEqual(Uint8Array.from(rgb16, (v) => Math.round(v / 257)));
  });

  it('reads a 16-bit grey TIFF the same way', async () => {
    const values = new Uint16Array(W * H);
    for (let index = 0; index < values.length; index += 1) values[index] = (index * 4099) % 65536;
    const tiff = greyTiff({ width: W, height: H, bitsPerSample: 16, strip: new Uint8Array(values.buffer) });
    const { info, image } = await decodeImageBytes(tiff);
    expect(info).toMatchObject({ format: 'tiff', bitDepth: 16, channels: 1 });
    expect(image.pixels).toEqual(Uint8Array.from(values, (v) => Math.round(v / 257)));
  });

  it('removes alpha by compositing on black', async () => {
    const rgba = Buffer.alloc(W * H * 4);
    const alphas = [0, 128, 255];
    for (let index = 0; index < W * H; index += 1) rgba.set([200, 100, 50, alphas[index % 3]], index * 4);
    const result = await decodeImageBytes(await raw(rgba, 4).png().toBuffer());
    expect(result.info).toMatchObject({ hasAlpha: true, channels: 4 });
    expect(result.image.channels).toBe(3);
    for (let index = 0; index < 3; index += 1) {
      const alpha = alphas[index] / 255;
      const pixel = [...result.image.pixels.subarray(index * 3, index * 3 + 3)];
      [200, 100, 50].forEach((value, c) => expect(Math.abs(pixel[c] - value * alpha)).toBeLessThanOrEqual(1));
    }
    const greyAlpha = Buffer.alloc(W * H * 2);
    for (let index = 0; index < W * H; index += 1) greyAlpha.set([100, index % 2 ? 255 : 0], index * 2);
    const grey = await decodeImageBytes(await raw(greyAlpha, 2).toColourspace('b-w').png().toBuffer());
    expect(grey.image.channels).toBe(1);
    expect([...grey.image.pixels.subarray(0, 4)]).toEqual([0, 100, 0, 100]);
  });

  it('reads the first page of a multi-page TIFF and counts the pages', async () => {
    const page = await raw(colourPattern(), 3).png().toBuffer();
    const other = await raw(Buffer.alloc(W * H * 3, 255), 3).png().toBuffer();
    const tiff = await sharp([page, other], { join: { animated: true } }).tiff({ compression: 'lzw' }).toBuffer();
    const result = await decodeImageBytes(tiff);
    expect(result.info.pages).toBe(2);
    expect(Buffer.from(result.image.pixels).equals(colourPattern())).toBe(true);
  });
});

describe('resize and PNG', () => {
  it('resizes and encodes exactly as ingest:dicom does (targetSize, Lanczos-3, encodePng)', async () => {
    const [width, height] = [1200, 900];
    const pattern = colourPattern(width, height);
    const result = await normalizeImageBytes(await raw(pattern, 3, width, height).png().toBuffer());
    const size = targetSize(width, height, 524_288);
    expect([result.outputWidth, result.outputHeight]).toEqual([size.width, size.height]);
    expect(result.outputWidth * result.outputHeight).toBeLessThanOrEqual(524_288);
    const viaDicomEncoder = await encodePng({ width, height, channels: 3, pixels: pattern, window: { kind: 'colour' } }, size);
    expect(result.png.equals(Buffer.from(viaDicomEncoder))).toBe(true);
  });

  it('never upscales, and --max-pixels=0 keeps the size', async () => {
    const png = await raw(colourPattern(), 3).png().toBuffer();
    expect(await normalizeImageBytes(png)).toMatchObject({ outputWidth: W, outputHeight: H });
    const big = await raw(colourPattern(1200, 900), 3, 1200, 900).png().toBuffer();
    expect(await normalizeImageBytes(big, { maxPixels: 0 })).toMatchObject({ outputWidth: 1200, outputHeight: 900 });
  });

  it('writes no metadata (EXIF, ICC, text) and the same bytes every time', async () => {
    const tagged = await raw(colourPattern(), 3).jpeg().withMetadata({ orientation: 6 }).withIccProfile('p3').toBuffer();
    const first = await normalizeImageBytes(tagged);
    const second = await normalizeImageBytes(Buffer.from(tagged));
    expect([...new Set(pngChunks(first.png))]).toEqual(['IHDR', 'pHYs', 'IDAT', 'IEND']);
    expect(second.png.equals(first.png)).toBe(true);
  });
});

describe('rejects', () => {
  it('rejects a truncated JPEG, PNG and TIFF as IMAGE_CORRUPT', async () => {
    const pattern = colourPattern(300, 200);
    for (const encoded of [await raw(pattern, 3, 300, 200).jpeg().toBuffer(), await raw(pattern, 3, 300, 200).png().toBuffer(), await raw(pattern, 3, 300, 200).tiff({ compression: 'lzw' }).toBuffer()]) {
      const error = await rejectionOf(encoded.subarray(0, Math.floor(encoded.length * 0.6)));
      expect(error.code).toBe('IMAGE_CORRUPT');
      expect(error.message).toMatch(/(JPEG|PNG|TIFF) file cannot be decoded/);
    }
    expect((await rejectionOf(new Uint8Array(0))).message).toMatch(/empty/);
  });

  it('rejects content that is not JPEG, PNG or TIFF as IMAGE_UNSUPPORTED, naming what it is', async () => {
    const webp = await raw(colourPattern(), 3).webp().toBuffer();
    expect(await rejectionOf(webp)).toMatchObject({ code: 'IMAGE_UNSUPPORTED', message: expect.stringMatching(/WebP/) });
    expect(await rejectionOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toMatchObject({ code: 'IMAGE_UNSUPPORTED' });
  });

  it('rejects float samples as IMAGE_UNSUPPORTED', async () => {
    const tiff = greyTiff({ width: 4, height: 4, bitsPerSample: 32, sampleFormat: 3, strip: new Uint8Array(new Float32Array(16).fill(0.5).buffer) });
    expect(await rejectionOf(tiff)).toMatchObject({ code: 'IMAGE_UNSUPPORTED', message: expect.stringMatching(/float/) });
  });

  it('rejects a header past the size limit (a decompression bomb) without decoding it', async () => {
    // 100,000² claimed, no pixel data at all: only the header was read.
    const bomb = greyTiff({ width: 100_000, height: 100_000, bitsPerSample: 8 });
    expect(await rejectionOf(bomb)).toMatchObject({ code: 'IMAGE_TOO_LARGE', message: expect.stringMatching(/100000 × 100000/) });
    const small = await raw(colourPattern(), 3).png().toBuffer();
    expect(await rejectionOf(small, { maxSourcePixels: W * H - 1 })).toMatchObject({ code: 'IMAGE_TOO_LARGE' });
  });
});

describe('against Pillow (python3-pil)', () => {
  const havePil = requireOracle('pil');

  const PIL_DECODE = `
import sys, json, io
import numpy as np
from PIL import Image, ImageOps, ImageCms
out = []
for path in sys.argv[1:]:
    image = Image.open(path)
    icc = image.info.get('icc_profile')
    # Orientation first: the colour conversion returns an image without the EXIF block.
    image = ImageOps.exif_transpose(image)
    description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc))).strip() if icc else None
    if icc:
        image = ImageCms.profileToProfile(image, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile('sRGB'))
    if image.mode in ('I', 'I;16'):  # Pillow 9 opens a 16-bit grey PNG as 32-bit 'I'
        array = np.asarray(image).astype(np.float64)
        image = Image.fromarray(np.rint(array / 257).astype(np.uint8))
    array = np.asarray(image)
    out.append({'width': image.width, 'height': image.height, 'description': description, 'pixels': array.reshape(-1).tolist()})
print(json.dumps(out))
`;

  it.runIf(havePil)('orientation 5–8, the P3 → sRGB conversion and 16-bit scaling agree within ±1', async () => {
    const pattern = colourPattern();
    const files: Array<[name: string, bytes: Buffer]> = [
      ['o5.jpg', await raw(pattern, 3).jpeg({ quality: 95 }).withMetadata({ orientation: 5 }).toBuffer()],
      ['o6.jpg', await raw(pattern, 3).jpeg({ quality: 95 }).withMetadata({ orientation: 6 }).toBuffer()],
      ['o7.png', await raw(pattern, 3).png().withMetadata({ orientation: 7 }).toBuffer()],
      ['o8.jpg', await raw(pattern, 3).jpeg({ quality: 95 }).withMetadata({ orientation: 8 }).toBuffer()],
      ['p3.png', await raw(pattern, 3).withIccProfile('p3').png().toBuffer()],
      ['grey16.png', await sharp(Uint16Array.from({ length: W * H }, (_, i) => (i * 1021) % 65536), { raw: { width: W, height: H, channels: 1 } }).toColourspace('grey16').png().toBuffer()],
    ];
    const paths: string[] = [];
    for (const [name, bytes] of files) {
      const path = join(scratch, name);
      await writeFile(path, bytes);
      paths.push(path);
    }
    const pil = JSON.parse(runPython(PIL_DECODE, paths).stdout) as Array<{ width: number; height: number; description: string | null; pixels: number[] }>;
    for (const [index, path] of paths.entries()) {
      const ours = await normalizeImageFile(path, { maxPixels: 0 });
      const decoded = await pixelsOf(ours.png);
      expect([decoded.width, decoded.height], path).toEqual([pil[index].width, pil[index].height]);
      expect(maxDifference(decoded.data, pil[index].pixels), path).toBeLessThanOrEqual(1);
      if (pil[index].description !== null) expect(ours.iccProfile, path).toBe(pil[index].description);
    }
  });
});
