// A decoded DICOM frame to the 8-bit image a model sees: Modality LUT → VOI (by the chosen window) →
// Presentation LUT Shape / MONOCHROME1 inversion for grayscale (PS3.3 §C.11, PS3.4 Annex N "grayscale
// pipeline"); colour frames (RGB after decoding: RGB, YBR_*, PALETTE COLOR) pass through scaled to 8 bits.
// Integer frames are rendered through a table over the stored values present, so the transforms run
// once per value, not once per pixel.
import type { DecodedFrame, DecodedImage, PixelArray } from '@qoq/dicom';
import type { ScratchArena } from '@qoq/runtime';
import { minMaxWindow, modalityFunction, voiFunctionName, voiLutFunction, windowFunction, type VoiFunctionName } from './voi-lut';
import type { WindowChoice } from './window-presets';

/** The window a frame was rendered with, for the record (dicom.parquet `window_*`). */
export type AppliedWindow =
  | { readonly kind: 'voi-lut'; readonly explanation?: string }
  | {
      readonly kind: 'window';
      /** header, minmax, percentile, or the preset name / `<center>,<width>`. */
      readonly source: string;
      readonly center: number;
      readonly width: number;
      readonly voiFunction: VoiFunctionName;
    }
  | { readonly kind: 'colour' };

export interface DisplayImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** Row-major, channels interleaved. */
  readonly pixels: Uint8Array;
  readonly window: AppliedWindow;
}

export type DisplayImageInput = Pick<
  DecodedImage,
  'rows' | 'columns' | 'samplesPerPixel' | 'photometricInterpretation' | 'bitsStored' | 'presentationLutShape'
>;

export type DisplayFrameInput = Pick<DecodedFrame, 'pixels' | 'modalityLut' | 'voi'>;

export class DisplayError extends Error {
  override readonly name = 'DisplayError';
  constructor(
    readonly code: 'IMAGING_UNSUPPORTED_PHOTOMETRIC' | 'IMAGING_PIXEL_COUNT_MISMATCH',
    message: string,
  ) {
    super(message);
  }
}

/** Past this many distinct stored values, the per-value table is no cheaper than per-pixel work. */
const MAX_TABLE_ENTRIES = 1 << 20;

/**
 * Renders one frame. With `arena`, the output pixels (and the per-pixel scratch of float frames) are
 * views into it, valid until its next reset(); without, fresh arrays.
 */
export function renderDisplayImage(image: DisplayImageInput, frame: DisplayFrameInput, choice: WindowChoice, arena?: ScratchArena): DisplayImage {
  const { rows: height, columns: width } = image;
  const samples = image.samplesPerPixel === 3 ? 3 : 1;
  if (frame.pixels.length < width * height * samples) {
    throw new DisplayError('IMAGING_PIXEL_COUNT_MISMATCH', `Frame holds ${frame.pixels.length} samples, ${width}×${height}×${samples} expected.`);
  }
  if (samples === 3) {
    if (image.photometricInterpretation !== 'RGB') {
      throw new DisplayError('IMAGING_UNSUPPORTED_PHOTOMETRIC', `Photometric interpretation ${image.photometricInterpretation} cannot be displayed.`);
    }
    return { width, height, channels: 3, pixels: colourTo8Bits(frame.pixels, width * height * 3, image.bitsStored, arena), window: { kind: 'colour' } };
  }
  if (image.photometricInterpretation !== 'MONOCHROME1' && image.photometricInterpretation !== 'MONOCHROME2') {
    throw new DisplayError('IMAGING_UNSUPPORTED_PHOTOMETRIC', `Photometric interpretation ${image.photometricInterpretation} with one sample cannot be displayed.`);
  }
  // MONOCHROME1: the minimum value is white (PS3.3 §C.7.6.3.1.2); the DX/MG modules pair it with
  // Presentation LUT Shape INVERSE (§C.8.11.1.1.1), which states the same inversion, applied once.
  const invert = image.photometricInterpretation === 'MONOCHROME1' || (image.presentationLutShape ?? '').trim().toUpperCase() === 'INVERSE';
  const pixels = renderMonochrome(frame, width * height, choice, invert, arena);
  return { width, height, channels: 1, pixels: pixels.output, window: pixels.window };
}

function isIntegerArray(pixels: PixelArray): boolean {
  return !(pixels instanceof Float32Array || pixels instanceof Float64Array);
}

/** Distinct modality values present and how often, sorted by value: for min-max and percentile windows. */
interface ValueHistogram {
  readonly values: Float64Array;
  readonly counts: Float64Array;
  readonly total: number;
}

function percentileOf(histogram: ValueHistogram, percent: number): number {
  const target = (percent / 100) * (histogram.total - 1);
  let seen = 0;
  for (let i = 0; i < histogram.values.length; i++) {
    seen += histogram.counts[i];
    if (seen > target) return histogram.values[i];
  }
  return histogram.values[histogram.values.length - 1];
}

function dataWindow(histogram: ValueHistogram, choice: WindowChoice): { source: string; center: number; width: number } {
  if (choice.kind === 'percentile') {
    return { source: `percentile:${choice.low}-${choice.high}`, ...minMaxWindow(percentileOf(histogram, choice.low), percentileOf(histogram, choice.high)) };
  }
  return { source: 'minmax', ...minMaxWindow(histogram.values[0], histogram.values[histogram.values.length - 1]) };
}

/** Picks the VOI transform by the choice and the header's precedence (VOI LUT Sequence, then the first window). */
function voiTransform(
  frame: DisplayFrameInput,
  choice: WindowChoice,
  histogram: () => ValueHistogram,
  modalityRange: { min: number; max: number } | undefined,
): { voi: (x: number) => number; window: AppliedWindow } {
  if (choice.kind === 'fixed') {
    return { voi: windowFunction(choice.center, choice.width, 'LINEAR'), window: { kind: 'window', source: choice.name, center: choice.center, width: choice.width, voiFunction: 'LINEAR' } };
  }
  if (choice.kind === 'header') {
    const lut = frame.voi.luts[0];
    if (lut !== undefined) return { voi: voiLutFunction(lut), window: { kind: 'voi-lut', explanation: lut.explanation } };
    const first = frame.voi.windows[0];
    if (first !== undefined && first.width > 0) {
      const voiFunction = voiFunctionName(frame.voi.voiLutFunction);
      return { voi: windowFunction(first.center, first.width, voiFunction), window: { kind: 'window', source: 'header', center: first.center, width: first.width, voiFunction } };
    }
  }
  // A rescale is monotonic: the extreme modality values are those of the extreme stored values, so
  // min-max needs no histogram (the common case, and a pass over the pixels saved).
  const { source, center, width } =
    choice.kind !== 'percentile' && modalityRange !== undefined
      ? { source: 'minmax', ...minMaxWindow(modalityRange.min, modalityRange.max) }
      : dataWindow(histogram(), choice);
  return { voi: windowFunction(center, width, 'LINEAR'), window: { kind: 'window', source, center, width, voiFunction: 'LINEAR' } };
}

function quantize(y: number, invert: boolean): number {
  const level = Math.round(y);
  const clamped = level < 0 ? 0 : level > 255 ? 255 : level;
  return invert ? 255 - clamped : clamped;
}

function renderMonochrome(
  frame: DisplayFrameInput,
  count: number,
  choice: WindowChoice,
  invert: boolean,
  arena: ScratchArena | undefined,
): { output: Uint8Array; window: AppliedWindow } {
  const pixels = frame.pixels;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < count; i++) {
    const value = pixels[i];
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const modality = modalityFunction(frame.modalityLut);
  // Every output byte is written below, so arena memory needs no zeroing.
  const output = arena === undefined ? new Uint8Array(count) : arena.take(Uint8Array, count, false);
  if (isIntegerArray(pixels) && max - min < MAX_TABLE_ENTRIES) {
    const entries = max - min + 1;
    const modalityValues = new Float64Array(entries);
    for (let i = 0; i < entries; i++) modalityValues[i] = modality(min + i);
    const histogram = (): ValueHistogram => {
      const counts = new Uint32Array(entries);
      for (let i = 0; i < count; i++) counts[pixels[i] - min]++;
      const present: number[] = [];
      for (let i = 0; i < entries; i++) if (counts[i] > 0) present.push(i);
      present.sort((a, b) => modalityValues[a] - modalityValues[b]);
      return {
        values: Float64Array.from(present, (i) => modalityValues[i]),
        counts: Float64Array.from(present, (i) => counts[i]),
        total: count,
      };
    };
    const ends = frame.modalityLut.kind === 'rescale' ? [modalityValues[0], modalityValues[entries - 1]] : undefined;
    const modalityRange = ends === undefined ? undefined : { min: Math.min(ends[0], ends[1]), max: Math.max(ends[0], ends[1]) };
    const { voi, window } = voiTransform(frame, choice, histogram, modalityRange);
    const table = new Uint8Array(entries);
    for (let i = 0; i < entries; i++) table[i] = quantize(voi(modalityValues[i]), invert);
    for (let i = 0; i < count; i++) output[i] = table[pixels[i] - min];
    return { output, window };
  }
  // Float pixel data, or integers spanning more than a table's worth of values: per pixel.
  const modalityValues = arena === undefined ? new Float64Array(count) : arena.take(Float64Array, count, false);
  for (let i = 0; i < count; i++) modalityValues[i] = modality(pixels[i]);
  const histogram = (): ValueHistogram => {
    const sorted = modalityValues.slice().sort();
    return { values: sorted, counts: new Float64Array(count).fill(1), total: count };
  };
  const { voi, window } = voiTransform(frame, choice, histogram, undefined);
  for (let i = 0; i < count; i++) output[i] = quantize(voi(modalityValues[i]), invert);
  return { output, window };
}

/** Colour samples to 8 bits: 8-bit data as is, deeper data by dropping the low bits (Bits Stored − 8). */
function colourTo8Bits(pixels: PixelArray, count: number, bitsStored: number, arena: ScratchArena | undefined): Uint8Array {
  if (pixels instanceof Uint8Array && bitsStored <= 8) return pixels.length === count ? pixels : pixels.slice(0, count);
  const shift = Math.max(0, bitsStored - 8);
  const scale = 2 ** -shift;
  const output = arena === undefined ? new Uint8Array(count) : arena.take(Uint8Array, count, false);
  for (let i = 0; i < count; i++) {
    const value = Math.floor(pixels[i] * scale);
    output[i] = value < 0 ? 0 : value > 255 ? 255 : value;
  }
  return output;
}
