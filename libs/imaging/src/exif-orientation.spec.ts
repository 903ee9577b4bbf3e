// All eight EXIF orientations, checked on real files: a box drawn into the stored pixels is found in
// the normalized PNG exactly where storedBoxToOutput puts it.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { orientedSize, orientPoint, storedBoxToOutput, type ExifOrientation } from './exif-orientation';
import { normalizeImageBytes } from './image-file-decoding';

const W = 40;
const H = 24;
/** Stored-pixel box [x_min, y_min, x_max, y_max] (edges): pixels 5..14 × 3..8. */
const BOX = [5, 3, 15, 9] as const;

async function storedImageWithBox(orientation: ExifOrientation): Promise<Buffer> {
  const grey = Buffer.alloc(W * H);
  for (let y = BOX[1]; y < BOX[3]; y += 1) grey.fill(255, y * W + BOX[0], y * W + BOX[2]);
  return sharp(grey, { raw: { width: W, height: H, channels: 1 } }).toColourspace('b-w').png().withMetadata({ orientation }).toBuffer();
}

/** The bounding box (edges) of the pixels > 127 of a grey PNG. */
async function whiteBox(png: Buffer): Promise<[number, number, number, number]> {
  const { data, info } = await sharp(png).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let y = 0; y < info.height; y += 1) {
    for (let x = 0; x < info.width; x += 1) {
      if (data[y * info.width + x] <= 127) continue;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x + 1), Math.max(y1, y + 1)];
    }
  }
  return [x0, y0, x1, y1];
}

describe('EXIF orientation', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8] as const)('orientation %i: the stored box lands where storedBoxToOutput says', async (orientation) => {
    const result = await normalizeImageBytes(await storedImageWithBox(orientation), { maxPixels: 0 });
    expect(result.exifOrientation).toBe(orientation);
    expect([result.sourceWidth, result.sourceHeight]).toEqual([W, H]);
    expect({ width: result.outputWidth, height: result.outputHeight }).toEqual(orientedSize(W, H, orientation));
    const geometry = { sourceWidth: W, sourceHeight: H, exifOrientation: orientation, outputWidth: result.outputWidth, outputHeight: result.outputHeight };
    expect(await whiteBox(result.png)).toEqual(storedBoxToOutput(BOX, geometry));
  });

  it('scales the oriented box by output / displayed size', () => {
    // Orientation 6: displayed 24 × 40; the output is half that.
    const box = storedBoxToOutput([0, 0, 10, 4], { sourceWidth: 40, sourceHeight: 24, exifOrientation: 6, outputWidth: 12, outputHeight: 20 });
    expect(box).toEqual([10, 0, 12, 5]);
    expect(storedBoxToOutput([2, 4, 6, 8], { sourceWidth: 40, sourceHeight: 24, exifOrientation: null, outputWidth: 20, outputHeight: 12 })).toEqual([1, 2, 3, 4]);
  });

  it('maps corners so that every orientation is a bijection of the image rectangle', () => {
    for (const orientation of [1, 2, 3, 4, 5, 6, 7, 8] as const) {
      const size = orientedSize(W, H, orientation);
      const corners = [[0, 0], [W, 0], [0, H], [W, H]].map(([x, y]) => orientPoint(x, y, W, H, orientation).join(','));
      expect(new Set(corners)).toEqual(new Set([[0, 0], [size.width, 0], [0, size.height], [size.width, size.height]].map((p) => p.join(','))));
    }
  });
});
