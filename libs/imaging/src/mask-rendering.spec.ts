// Segmentation masks to the normalized image's grid: any bit depth and channel count thresholded at
// > 0, nearest-neighbour to an exact size (checked against Pillow's NEAREST), a deterministic grey PNG.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOracle, runPython } from '@qoq/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageError } from './image-file-decoding';
import { renderMaskPng, resizeNearest } from './mask-rendering';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-mask-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function file(name: string, bytes: Buffer): Promise<string> {
  const path = join(scratch, name);
  await writeFile(path, bytes);
  return path;
}

async function greyPixels(png: Buffer): Promise<{ data: Uint8Array; width: number; height: number; channels: number }> {
  const metadata = await sharp(png).metadata();
  const { data, info } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: metadata.channels ?? 0 };
}

/** Labels 0–3 in irregular blobs, so every resampling offset error shows. */
function labelMap(width: number, height: number): Uint8Array {
  const labels = new Uint8Array(width * height);
  for (let y = 0; y < height; y += 1) for (let x = 0; x < width; x += 1) labels[y * width + x] = ((x * 7 + y * 3) % 11 < 4 ? (x + y) % 4 : 0) & 0xff;
  return labels;
}

describe('renderMaskPng', () => {
  it('thresholds a label mask at > 0 and keeps the size when it already matches', async () => {
    const labels = labelMap(37, 23);
    const mask = await file('labels.png', await sharp(labels, { raw: { width: 37, height: 23, channels: 1 } }).toColourspace('b-w').png().toBuffer());
    const png = await renderMaskPng(mask, 37, 23);
    expect([png[24], png[25]]).toEqual([8, 0]); // 8-bit greyscale
    const { data, width, height, channels } = await greyPixels(png);
    expect([width, height, channels]).toEqual([37, 23, 1]);
    expect(data).toEqual(Uint8Array.from(labels, (label) => (label > 0 ? 255 : 0)));
    expect((await renderMaskPng(mask, 37, 23)).equals(png)).toBe(true);
  });

  it('keeps label 1 of a 16-bit mask (no scaling to 8 bits before the threshold)', async () => {
    const labels = Uint16Array.from(labelMap(20, 10), (label) => (label > 0 ? 1 : 0));
    const mask = await file('labels16.png', await sharp(labels, { raw: { width: 20, height: 10, channels: 1 } }).toColourspace('grey16').png().toBuffer());
    const { data } = await greyPixels(await renderMaskPng(mask, 20, 10));
    expect(data).toEqual(Uint8Array.from(labels, (label) => label * 255));
  });

  it('keeps label 1 in any channel of a 16-bit RGB or 16-bit grey + alpha mask, and of a profiled mask', async () => {
    const rgb16 = new Uint16Array(4 * 2 * 3);
    rgb16[1] = 1; // pixel 0, green = 1
    rgb16[3 * 5 + 2] = 1; // pixel 5, blue = 1
    const rgbMask = await file('rgb16.png', await sharp(rgb16, { raw: { width: 4, height: 2, channels: 3 } }).toColourspace('rgb16').png().toBuffer());
    expect([...(await greyPixels(await renderMaskPng(rgbMask, 4, 2))).data]).toEqual([255, 0, 0, 0, 0, 255, 0, 0]);
    const greyAlpha16 = Uint16Array.from([1, 65535, 0, 65535, 7, 0, 0, 65535]);
    const greyAlphaMask = await file('ga16.png', await sharp(greyAlpha16, { raw: { width: 4, height: 1, channels: 2 } }).toColourspace('grey16').png().toBuffer());
    expect((await sharp(greyAlphaMask).metadata()).channels).toBe(2);
    expect([...(await greyPixels(await renderMaskPng(greyAlphaMask, 4, 1))).data]).toEqual([255, 0, 0, 0]);
    const tagged = Buffer.alloc(4 * 1 * 3);
    tagged[0] = 1; // a faint red the P3 → sRGB conversion would round away
    const profiled = await file('p3.png', await sharp(tagged, { raw: { width: 4, height: 1, channels: 3 } }).png().withIccProfile('p3').toBuffer());
    expect([...(await greyPixels(await renderMaskPng(profiled, 4, 1))).data]).toEqual([255, 0, 0, 0]);
  });

  it('counts any colour channel > 0 as foreground and transparent pixels as background', async () => {
    const rgba = Buffer.alloc(4 * 4 * 4);
    rgba.set([1, 0, 0, 255], 0); // faint red, opaque: foreground
    rgba.set([0, 0, 9, 255], 4); // blue: foreground
    rgba.set([255, 255, 255, 0], 8); // white but fully transparent: background
    for (let pixel = 3; pixel < 16; pixel += 1) rgba.set([0, 0, 0, 255], pixel * 4);
    const mask = await file('rgba.png', await sharp(rgba, { raw: { width: 4, height: 4, channels: 4 } }).png().toBuffer());
    const { data } = await greyPixels(await renderMaskPng(mask, 4, 4));
    expect([...data.subarray(0, 4)]).toEqual([255, 255, 0, 0]);
    expect(data.subarray(4).every((value) => value === 0)).toBe(true);
  });

  it('rejects a file that is not an image, and refuses a size that is not a positive integer', async () => {
    const notImage = await file('notes_mask.png', Buffer.from('not a mask'));
    await expect(renderMaskPng(notImage, 4, 4)).rejects.toBeInstanceOf(ImageError);
    const mask = await file('ok.png', await sharp(Buffer.alloc(16), { raw: { width: 4, height: 4, channels: 1 } }).png().toBuffer());
    await expect(renderMaskPng(mask, 0, 4)).rejects.toThrow(RangeError);
    await expect(renderMaskPng(mask, 4.5, 4)).rejects.toThrow(RangeError);
  });
});

describe('resizeNearest', () => {
  it('samples the source pixel whose centre is nearest: ⌊(x + ½) · W / w⌋', () => {
    const row = Uint8Array.from([10, 20, 30, 40, 50]);
    expect([...resizeNearest(row, 5, 1, 2, 1)]).toEqual([20, 40]); // centres 1.25, 3.75
    expect([...resizeNearest(row, 5, 1, 10, 1)]).toEqual([10, 10, 20, 20, 30, 30, 40, 40, 50, 50]);
  });

  const havePil = requireOracle('pil');
  it.runIf(havePil)("matches Pillow's Image.NEAREST when shrinking and enlarging", async () => {
    const labels = labelMap(37, 23);
    const mask = await file('pil.png', await sharp(labels, { raw: { width: 37, height: 23, channels: 1 } }).toColourspace('b-w').png().toBuffer());
    const sizes: Array<[number, number]> = [
      [13, 9],
      [50, 31],
      [111, 23],
      [37, 5],
    ];
    const script = `
import sys, json
import numpy as np
from PIL import Image
mask = (np.asarray(Image.open(sys.argv[1])) > 0).astype(np.uint8) * 255
image = Image.fromarray(mask)
print(json.dumps([np.asarray(image.resize((int(w), int(h)), Image.NEAREST)).reshape(-1).tolist() for w, h in (s.split('x') for s in sys.argv[2:])]))
`;
    const pil = JSON.parse(runPython(script, [mask, ...sizes.map(([w, h]) => `${w}x${h}`)]).stdout) as number[][];
    for (const [index, [width, height]] of sizes.entries()) {
      const { data } = await greyPixels(await renderMaskPng(mask, width, height));
      expect([...data], `${width}×${height}`).toEqual(pil[index]);
    }
  });
});
