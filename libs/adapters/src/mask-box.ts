// The box enclosing a binary mask's foreground, read with sharp as raw 8-bit grey. Boxes are pixel
// EDGES: a foreground pixel at column c spans [c, c + 1), so x_max = last column + 1.
import sharp from 'sharp';
import type { SourceBox } from './source-sample';

/** Foreground = grey ≥ 128 (BUSI masks are 0/255; the threshold absorbs resampling noise). Null when empty. */
export async function maskBoundingBox(absolutePath: string, label: string): Promise<SourceBox | null> {
  const { data, info } = await sharp(absolutePath).greyscale().raw().toBuffer({ resolveWithObject: true });
  const pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const { width, height, channels } = info;
  let xMin = width;
  let yMin = height;
  let xMax = -1;
  let yMax = -1;
  for (let y = 0; y < height; y++) {
    const rowStart = y * width * channels;
    for (let x = 0; x < width; x++) {
      if (pixels[rowStart + x * channels] < 128) continue;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      yMax = y;
    }
  }
  if (xMax < 0) return null;
  return { x_min: xMin, y_min: yMin, x_max: xMax + 1, y_max: yMax + 1, label };
}
