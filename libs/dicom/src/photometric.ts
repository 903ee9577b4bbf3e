// Photometric conversions to what the display pipeline consumes: interleaved RGB or monochrome.
// PS3.3 §C.7.6.3.1.2 (YBR_FULL, YBR_FULL_422), §C.7.6.3.1.3 (planar configuration), §C.7.6.3.1.5–6
// and §C.7.9.2 (palette colour, segmented palettes).
import type { DicomDataset } from './dicom-dataset';
import { DicomError } from './dicom-error';
import type { PixelArray, PixelModule } from './pixel-module';

/** Colour-by-plane (R…R G…G B…B) to colour-by-pixel (RGB RGB …). */
export function interleavePlanes(pixels: PixelArray, pixelCount: number): PixelArray {
  const out = new (pixels.constructor as new (n: number) => PixelArray)(pixels.length);
  for (let p = 0; p < pixelCount; p++) {
    out[3 * p] = pixels[p];
    out[3 * p + 1] = pixels[pixelCount + p];
    out[3 * p + 2] = pixels[2 * pixelCount + p];
  }
  return out;
}

/**
 * Native YBR_FULL_422 (PS3.3 §C.7.6.3.1.2): each pair of pixels in a row is stored Y1 Y2 Cb Cr. The
 * chroma of a pair is repeated for both pixels, giving YBR_FULL.
 */
export function expandYbr422(packed: PixelArray, module: PixelModule, path: string | undefined): PixelArray {
  const { rows, columns } = module;
  const out = new (packed.constructor as new (n: number) => PixelArray)(rows * columns * 3);
  const pairsPerRow = Math.ceil(columns / 2);
  if (packed.length < rows * pairsPerRow * 4) {
    throw new DicomError('DICOM_PIXEL_DATA_SHORT', 'YBR_FULL_422 frame is shorter than Rows × Columns × 2 samples.', path);
  }
  let read = 0;
  for (let r = 0; r < rows; r++) {
    for (let pair = 0; pair < pairsPerRow; pair++, read += 4) {
      const cb = packed[read + 2];
      const cr = packed[read + 3];
      for (let k = 0; k < 2 && 2 * pair + k < columns; k++) {
        const at = 3 * (r * columns + 2 * pair + k);
        out[at] = packed[read + k];
        out[at + 1] = cb;
        out[at + 2] = cr;
      }
    }
  }
  return out;
}

// PS3.3 §C.7.6.3.1.2 (ITU-R BT.601 full range), written as pydicom writes it so both round alike.
const CB_TO_G = (-0.114 * 1.772) / 0.587;
const CR_TO_G = (-0.299 * 1.402) / 0.587;

/** YBR_FULL to RGB in place (interleaved), rounded to nearest and clamped to the sample range. */
export function ybrFullToRgb(pixels: PixelArray, bitsStored: number): void {
  const max = 2 ** bitsStored - 1;
  const half = 2 ** (bitsStored - 1);
  for (let i = 0; i + 2 < pixels.length; i += 3) {
    const y = pixels[i];
    const cb = pixels[i + 1] - half;
    const cr = pixels[i + 2] - half;
    pixels[i] = clamp(Math.floor(Math.fround(y + 1.402 * cr) + 0.5), max);
    pixels[i + 1] = clamp(Math.floor(Math.fround(y + CB_TO_G * cb + CR_TO_G * cr) + 0.5), max);
    pixels[i + 2] = clamp(Math.floor(Math.fround(y + 1.772 * cb) + 0.5), max);
  }
}

function clamp(value: number, max: number): number {
  return value < 0 ? 0 : value > max ? max : value;
}

export interface Palette {
  readonly firstMapped: number;
  readonly bitsPerEntry: number;
  readonly red: Uint16Array;
  readonly green: Uint16Array;
  readonly blue: Uint16Array;
}

/** Reads the Red/Green/Blue Palette Color LUTs, expanding segmented ones (§C.7.9.2). */
export function readPalette(dataset: DicomDataset): Palette {
  const channel = (color: 'Red' | 'Green' | 'Blue') => {
    const descriptor = dataset.numbers(`${color}PaletteColorLookupTableDescriptor`);
    if (descriptor.length < 3) {
      throw new DicomError('DICOM_NO_PIXEL_DATA', `PALETTE COLOR image without ${color} Palette Color Lookup Table Descriptor.`, dataset.path);
    }
    const entries = (descriptor[0] & 0xffff) === 0 ? 65536 : descriptor[0] & 0xffff;
    const bitsPerEntry = descriptor[2] & 0xffff;
    const segmented = dataset.bytes(`Segmented${color}PaletteColorLookupTableData`);
    const plain = dataset.bytes(`${color}PaletteColorLookupTableData`);
    const words = (bytes: Uint8Array) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const out = new Uint16Array(bytes.length >> 1);
      for (let i = 0; i < out.length; i++) out[i] = view.getUint16(2 * i, dataset.transferSyntax.littleEndian);
      return out;
    };
    let table: Uint16Array;
    if (segmented !== undefined) table = expandSegmented(words(segmented), entries);
    else if (plain !== undefined) {
      // 8-bit entries may be packed one per byte (entries bytes long) rather than one per 16-bit word.
      table = bitsPerEntry === 8 && plain.length === entries ? Uint16Array.from(plain) : words(plain);
    } else {
      throw new DicomError('DICOM_NO_PIXEL_DATA', `PALETTE COLOR image without ${color} Palette Color Lookup Table Data.`, dataset.path);
    }
    return { firstMapped: descriptor[1], bitsPerEntry, table: table.subarray(0, entries) };
  };
  const red = channel('Red');
  const green = channel('Green');
  const blue = channel('Blue');
  return { firstMapped: red.firstMapped, bitsPerEntry: red.bitsPerEntry, red: red.table, green: green.table, blue: blue.table };
}

/** PS3.3 §C.7.9.2: discrete (0), linear (1) and indirect (2) segments. */
function expandSegmented(words: Uint16Array, entries: number): Uint16Array {
  const out: number[] = [];
  const segmentStarts: number[] = [];
  const run = (from: number, to: number, depth: number) => {
    let at = from;
    while (at < to && out.length < entries) {
      segmentStarts.push(at);
      const opcode = words[at];
      const length = words[at + 1];
      if (opcode === 0) {
        for (let i = 0; i < length; i++) out.push(words[at + 2 + i]);
        at += 2 + length;
      } else if (opcode === 1) {
        // Evaluated as pydicom does (numpy linspace from y0 + step to y1, rounded half to even), so the
        // two agree to the last entry; the standard leaves the rounding of the ramp open.
        const y0 = out.length > 0 ? out[out.length - 1] : 0;
        const y1 = words[at + 2];
        const first = y0 + (y1 - y0) / length;
        const delta = length > 1 ? (y1 - first) / (length - 1) : 0;
        for (let k = 0; k < length; k++) out.push(y0 === y1 ? y1 : roundHalfEven(k === length - 1 ? y1 : k * delta + first));
        at += 3;
      } else if (opcode === 2 && depth === 0) {
        const offset = words[at + 2] | (words[at + 3] << 16);
        const start = segmentStarts[0] + offset;
        let cursor = start;
        for (let s = 0; s < length; s++) {
          const op = words[cursor];
          const size = op === 0 ? 2 + words[cursor + 1] : op === 1 ? 3 : 4;
          run(cursor, cursor + size, depth + 1);
          cursor += size;
        }
        at += 4;
      } else {
        break;
      }
    }
  };
  run(0, words.length, 0);
  const table = new Uint16Array(entries);
  table.set(out.slice(0, entries));
  return table;
}

function roundHalfEven(value: number): number {
  const floor = Math.floor(value);
  const fraction = value - floor;
  if (fraction !== 0.5) return Math.round(value);
  return floor % 2 === 0 ? floor : floor + 1;
}

/** Maps palette indices to interleaved RGB (PS3.3 §C.7.6.3.1.6: below/above the table clamp to its ends). */
export function applyPalette(indices: PixelArray, palette: Palette): Uint8Array | Uint16Array {
  const out = palette.bitsPerEntry <= 8 ? new Uint8Array(indices.length * 3) : new Uint16Array(indices.length * 3);
  const last = palette.red.length - 1;
  for (let i = 0; i < indices.length; i++) {
    let index = indices[i] - palette.firstMapped;
    index = index < 0 ? 0 : index > last ? last : index;
    out[3 * i] = palette.red[index];
    out[3 * i + 1] = palette.green[index];
    out[3 * i + 2] = palette.blue[index];
  }
  return out;
}
