// A float raster and the few drawing operations the synthetic scenes need. Shapes have soft edges
// (a one-to-two pixel ramp) so that downsampling keeps their area, and report their bounding box in
// pixels so that truth.json boxes are exactly what was drawn.
import type { Prng } from './prng';
import type { Box } from './truth';

/** A closed shape: an ellipse whose radius is modulated by harmonics (irregular) and spikes (spiculated). */
export interface BlobShape {
  readonly cx: number;
  readonly cy: number;
  readonly rx: number;
  readonly ry: number;
  /** Rotation in radians. */
  readonly angle?: number;
  /** 0: smooth ellipse; 0.3: lobulated. */
  readonly irregularity?: number;
  /** Number of spicules (0: none) and their relative length. */
  readonly spikes?: number;
  readonly spikeLength?: number;
  /** Phase of the harmonics, so two blobs of one class differ. */
  readonly phase?: number;
}

function radiusFactor(shape: BlobShape, theta: number): number {
  const phase = shape.phase ?? 0;
  const irregularity = shape.irregularity ?? 0;
  let factor = 1 + irregularity * (0.6 * Math.sin(3 * theta + phase) + 0.4 * Math.sin(5 * theta + 2.1 * phase));
  const spikes = shape.spikes ?? 0;
  if (spikes > 0) factor += (shape.spikeLength ?? 0.6) * Math.pow(Math.max(0, Math.cos(spikes * theta + phase)), 12);
  return factor;
}

/** The largest radius factor, to bound the pixels a blob can touch. */
function maxFactor(shape: BlobShape): number {
  return 1 + 1.0 * (shape.irregularity ?? 0) + ((shape.spikes ?? 0) > 0 ? (shape.spikeLength ?? 0.6) : 0);
}

export class Raster {
  readonly pixels: Float32Array;

  constructor(
    readonly width: number,
    readonly height: number,
    fill = 0,
  ) {
    this.pixels = new Float32Array(width * height).fill(fill);
  }

  /**
   * Adds `value` inside the shape (times `weight(x, y)` when given), with a soft edge of `edge` pixels.
   * Returns the shape's bounding box clamped to the raster (pixels with any coverage).
   */
  blob(shape: BlobShape, value: number, edge = 1.5, weight?: (x: number, y: number) => number): Box {
    const reach = Math.max(shape.rx, shape.ry) * maxFactor(shape) + edge + 1;
    const x0 = Math.max(0, Math.floor(shape.cx - reach));
    const x1 = Math.min(this.width - 1, Math.ceil(shape.cx + reach));
    const y0 = Math.max(0, Math.floor(shape.cy - reach));
    const y1 = Math.min(this.height - 1, Math.ceil(shape.cy + reach));
    const smooth = !shape.irregularity && !shape.spikes;
    const cos = Math.cos(shape.angle ?? 0);
    const sin = Math.sin(shape.angle ?? 0);
    let bx0 = Infinity;
    let by0 = Infinity;
    let bx1 = -Infinity;
    let by1 = -Infinity;
    for (let y = y0; y <= y1; y += 1) {
      for (let x = x0; x <= x1; x += 1) {
        const dx = x + 0.5 - shape.cx;
        const dy = y + 0.5 - shape.cy;
        const u = (dx * cos + dy * sin) / shape.rx;
        const v = (-dx * sin + dy * cos) / shape.ry;
        const rho = Math.sqrt(u * u + v * v);
        const limit = smooth ? 1 : radiusFactor(shape, Math.atan2(v, u));
        // Distance past the boundary in pixels (approximately), negative inside.
        const outside = (rho - limit) * Math.min(shape.rx, shape.ry);
        if (outside >= edge) continue;
        const coverage = outside <= 0 ? 1 : 1 - outside / edge;
        this.pixels[y * this.width + x] += value * coverage * (weight ? weight(x, y) : 1);
        if (coverage >= 0.5) {
          if (x < bx0) bx0 = x;
          if (y < by0) by0 = y;
          if (x > bx1) bx1 = x;
          if (y > by1) by1 = y;
        }
      }
    }
    if (bx0 === Infinity) return [Math.round(shape.cx), Math.round(shape.cy), Math.round(shape.cx), Math.round(shape.cy)];
    return [bx0, by0, bx1, by1];
  }

  /** A straight band of `width` pixels from (x0, y0) to (x1, y1). */
  line(x0: number, y0: number, x1: number, y1: number, width: number, value: number): void {
    const length = Math.hypot(x1 - x0, y1 - y0) || 1;
    const steps = Math.ceil(length);
    const radius = width / 2;
    for (let step = 0; step <= steps; step += 1) {
      const t = step / steps;
      const cx = x0 + (x1 - x0) * t;
      const cy = y0 + (y1 - y0) * t;
      for (let y = Math.max(0, Math.floor(cy - radius)); y <= Math.min(this.height - 1, Math.ceil(cy + radius)); y += 1) {
        for (let x = Math.max(0, Math.floor(cx - radius)); x <= Math.min(this.width - 1, Math.ceil(cx + radius)); x += 1) {
          if (Math.hypot(x + 0.5 - cx, y + 0.5 - cy) <= radius) this.pixels[y * this.width + x] = Math.max(this.pixels[y * this.width + x], value);
        }
      }
    }
  }

  /** White Gaussian noise of standard deviation `sigma`. */
  noise(prng: Prng, sigma: number): void {
    for (let index = 0; index < this.pixels.length; index += 1) this.pixels[index] += sigma * prng.tableNormal();
  }

  /** Smooth (low-frequency) noise: a coarse random grid, bilinearly interpolated. */
  smoothNoise(prng: Prng, sigma: number, cell: number): void {
    const gridWidth = Math.ceil(this.width / cell) + 2;
    const gridHeight = Math.ceil(this.height / cell) + 2;
    const grid = new Float32Array(gridWidth * gridHeight);
    for (let index = 0; index < grid.length; index += 1) grid[index] = sigma * prng.normal();
    for (let y = 0; y < this.height; y += 1) {
      const gy = y / cell;
      const iy = Math.floor(gy);
      const fy = gy - iy;
      for (let x = 0; x < this.width; x += 1) {
        const gx = x / cell;
        const ix = Math.floor(gx);
        const fx = gx - ix;
        const top = grid[iy * gridWidth + ix] * (1 - fx) + grid[iy * gridWidth + ix + 1] * fx;
        const bottom = grid[(iy + 1) * gridWidth + ix] * (1 - fx) + grid[(iy + 1) * gridWidth + ix + 1] * fx;
        this.pixels[y * this.width + x] += top * (1 - fy) + bottom * fy;
      }
    }
  }

  /** Multiplies every pixel by `factor(x, y)` (e.g. a vignette or a field of view). */
  multiply(factor: (x: number, y: number) => number): void {
    for (let y = 0; y < this.height; y += 1) {
      for (let x = 0; x < this.width; x += 1) this.pixels[y * this.width + x] *= factor(x, y);
    }
  }

  /** Rounds into [0, maxValue] as unsigned integers. */
  toUint8(): Uint8Array {
    const out = new Uint8Array(this.pixels.length);
    for (let index = 0; index < out.length; index += 1) out[index] = Math.min(255, Math.max(0, Math.round(this.pixels[index])));
    return out;
  }

  toUint16(maxValue: number): Uint16Array {
    const out = new Uint16Array(this.pixels.length);
    for (let index = 0; index < out.length; index += 1) out[index] = Math.min(maxValue, Math.max(0, Math.round(this.pixels[index])));
    return out;
  }

  toInt16(minValue: number, maxValue: number): Int16Array {
    const out = new Int16Array(this.pixels.length);
    for (let index = 0; index < out.length; index += 1) out[index] = Math.min(maxValue, Math.max(minValue, Math.round(this.pixels[index])));
    return out;
  }
}

/** Rasterizes a blob as a binary mask (255 inside), as BUSI's _mask.png files are. */
export function blobMask(width: number, height: number, shape: BlobShape): { mask: Uint8Array; box: Box } {
  const raster = new Raster(width, height);
  const box = raster.blob(shape, 1, 0.001);
  const mask = new Uint8Array(width * height);
  for (let index = 0; index < mask.length; index += 1) mask[index] = raster.pixels[index] >= 0.5 ? 255 : 0;
  return { mask, box };
}

/** Interleaves three channel rasters into 8-bit RGB. */
export function interleaveRgb(red: Raster, green: Raster, blue: Raster): Uint8Array {
  const out = new Uint8Array(red.pixels.length * 3);
  const channels = [red.pixels, green.pixels, blue.pixels];
  for (let index = 0; index < red.pixels.length; index += 1) {
    for (let channel = 0; channel < 3; channel += 1) {
      out[index * 3 + channel] = Math.min(255, Math.max(0, Math.round(channels[channel][index])));
    }
  }
  return out;
}
