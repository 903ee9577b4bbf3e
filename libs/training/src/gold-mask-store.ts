// Gold segmentation masks for the IoU reward (QoQ-Med §3 "iou": a box is rasterized and compared with
// mask > 0). A mask is as large as its image (up to 524,288 pixels), so masks are decoded when a rollout
// batch needs them and a few are kept, rather than all held for the whole run.
import sharp from 'sharp';
import type { GoldMask } from '@qoq/drpo';
import { UsageError } from '@qoq/runtime';

export class GoldMaskStore {
  private readonly cache = new Map<string, GoldMask>();

  constructor(
    private readonly mediaFolder: string,
    private readonly capacity = 128,
  ) {}

  /** The mask at `relativePath` (under media/): one byte per pixel, first channel, row-major. */
  async get(relativePath: string): Promise<GoldMask> {
    const cached = this.cache.get(relativePath);
    if (cached) {
      // Least recently used goes first: re-insert on use.
      this.cache.delete(relativePath);
      this.cache.set(relativePath, cached);
      return cached;
    }
    const path = `${this.mediaFolder}/${relativePath}`;
    let mask: GoldMask;
    try {
      const { data, info } = await sharp(path).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
      const count = info.width * info.height;
      let pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (data.byteLength === 2 * count) {
        // A 16-bit mask: foreground wherever either byte of the sample is set.
        const wide = pixels;
        pixels = new Uint8Array(count);
        for (let i = 0; i < count; i++) pixels[i] = wide[2 * i] | wide[2 * i + 1] ? 1 : 0;
      }
      mask = { width: info.width, height: info.height, pixels };
    } catch (error) {
      throw new UsageError(`${path}: MEDIA_UNREADABLE: the gold mask cannot be decoded: ${(error as Error).message}`, 'MEDIA_UNREADABLE');
    }
    this.cache.set(relativePath, mask);
    if (this.cache.size > this.capacity) this.cache.delete(this.cache.keys().next().value as string);
    return mask;
  }
}
