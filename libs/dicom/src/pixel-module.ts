// Image Pixel Module attributes (PS3.3 §C.7.6.3), validated before anything is allocated.
import type { ScratchArena, TypedArrayConstructor } from '@qoq/runtime';
import type { DicomDataset } from './dicom-dataset';
import { DicomError } from './dicom-error';

export type PixelArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

export interface PixelModule {
  readonly rows: number;
  readonly columns: number;
  readonly samplesPerPixel: number;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly highBit: number;
  /** 0 unsigned, 1 two's complement (PS3.3 §C.7.6.3.1.4 … Pixel Representation). */
  readonly pixelRepresentation: number;
  readonly photometricInterpretation: string;
  /** 0 colour-by-pixel (R1G1B1R2…), 1 colour-by-plane (R1R2…G1G2…B1B2…). */
  readonly planarConfiguration: number;
  readonly numberOfFrames: number;
  /** Float Pixel Data (7FE0,0008) or Double Float Pixel Data (7FE0,0009) instead of Pixel Data. */
  readonly floatPixels: 'none' | 'float' | 'double';
}

export interface DecodeLimits {
  /** Rows × Columns of one frame; past it the file is rejected before any allocation (a decompression bomb). */
  readonly maxPixelsPerFrame: number;
  /** Bytes of all selected decoded frames together. */
  readonly maxDecodedBytes: number;
}

export const DEFAULT_LIMITS: DecodeLimits = {
  // 16,384² covers whole mammograms and large CR plates; whole-slide pyramids come tiled (per-frame).
  maxPixelsPerFrame: 16_384 * 16_384,
  maxDecodedBytes: 2 ** 31,
};

export function readPixelModule(dataset: DicomDataset): PixelModule {
  const path = dataset.path;
  const floatPixels = dataset.has('FloatPixelData') ? 'float' : dataset.has('DoubleFloatPixelData') ? 'double' : 'none';
  if (!dataset.has('PixelData') && floatPixels === 'none') {
    throw new DicomError('DICOM_NO_PIXEL_DATA', 'The data set has no Pixel Data (7FE0,0010).', path);
  }
  const rows = dataset.number('Rows');
  const columns = dataset.number('Columns');
  const bitsAllocated = dataset.number('BitsAllocated') ?? (floatPixels === 'double' ? 64 : floatPixels === 'float' ? 32 : undefined);
  if (rows === undefined || columns === undefined || bitsAllocated === undefined) {
    throw new DicomError('DICOM_NO_PIXEL_DATA', 'Pixel Data is present but Rows, Columns or Bits Allocated is missing.', path);
  }
  const bitsStored = dataset.number('BitsStored') ?? bitsAllocated;
  const samplesPerPixel = dataset.number('SamplesPerPixel') ?? 1;
  const photometricInterpretation = dataset.string('PhotometricInterpretation') ?? (samplesPerPixel === 3 ? 'RGB' : 'MONOCHROME2');
  const module: PixelModule = {
    rows,
    columns,
    samplesPerPixel,
    bitsAllocated,
    bitsStored,
    highBit: dataset.number('HighBit') ?? bitsStored - 1,
    pixelRepresentation: dataset.number('PixelRepresentation') ?? 0,
    photometricInterpretation,
    planarConfiguration: samplesPerPixel > 1 ? (dataset.number('PlanarConfiguration') ?? 0) : 0,
    numberOfFrames: Math.max(1, Math.trunc(dataset.number('NumberOfFrames') ?? 1)),
    floatPixels,
  };
  return module;
}

/** PS3.3 §C.7.6.3.1: the values a decoder can honour; also the decompression-bomb guard. */
export function checkPixelModule(module: PixelModule, limits: DecodeLimits, path: string | undefined): void {
  const { rows, columns, samplesPerPixel, bitsAllocated, bitsStored } = module;
  if (rows <= 0 || columns <= 0) {
    throw new DicomError('DICOM_NO_PIXEL_DATA', `The image has ${rows} rows and ${columns} columns.`, path);
  }
  if (rows * columns > limits.maxPixelsPerFrame) {
    throw new DicomError(
      'DICOM_TOO_LARGE',
      `A frame of ${rows} × ${columns} pixels is past the limit of ${limits.maxPixelsPerFrame} pixels.`,
      path,
    );
  }
  if (samplesPerPixel !== 1 && samplesPerPixel !== 3) {
    throw new DicomError('DICOM_UNSUPPORTED_SYNTAX', `Samples per Pixel ${samplesPerPixel} is not 1 or 3.`, path);
  }
  const allowedBits = module.floatPixels === 'none' ? [1, 8, 16, 32] : [32, 64];
  if (!allowedBits.includes(bitsAllocated) || bitsStored < 1 || bitsStored > bitsAllocated) {
    throw new DicomError(
      'DICOM_UNSUPPORTED_SYNTAX',
      `Bits Allocated ${bitsAllocated} with Bits Stored ${bitsStored} is not a supported pixel cell.`,
      path,
    );
  }
}

/**
 * The typed array for one sample of this module: by Bits Allocated and Pixel Representation. Zeroed;
 * from `arena` when given (DecodeOptions.arena), else freshly allocated.
 */
export function allocatePixels(module: PixelModule, samples: number, arena?: ScratchArena): PixelArray {
  const make = <T>(type: TypedArrayConstructor<T> & (new (length: number) => T)): T => (arena === undefined ? new type(samples) : arena.take(type, samples));
  if (module.floatPixels === 'float') return make(Float32Array);
  if (module.floatPixels === 'double') return make(Float64Array);
  const signed = module.pixelRepresentation === 1;
  switch (module.bitsAllocated) {
    case 1:
      return make(Uint8Array);
    case 8:
      return signed ? make(Int8Array) : make(Uint8Array);
    case 16:
      return signed ? make(Int16Array) : make(Uint16Array);
    default:
      return signed ? make(Int32Array) : make(Uint32Array);
  }
}

/**
 * PS3.5 §8.1.1: only Bits Stored bits, ending at High Bit, are the value; the rest may hold overlays or
 * garbage. Masks them off and sign-extends two's complement values from Bits Stored.
 */
export function maskToBitsStored(pixels: PixelArray, module: PixelModule): void {
  const { bitsAllocated, bitsStored, highBit, pixelRepresentation } = module;
  if (module.floatPixels !== 'none' || bitsAllocated === 1) return;
  const shift = highBit + 1 - bitsStored;
  if (bitsStored === bitsAllocated && shift === 0) return;
  if (bitsStored >= 32) return;
  const mask = 2 ** bitsStored - 1;
  if (pixelRepresentation === 1) {
    // Shift the stored bits up to bit 31, then arithmetic-shift back: masks and sign-extends at once.
    const up = 32 - bitsStored - shift;
    const down = 32 - bitsStored;
    for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i] << up) >> down;
  } else if (shift === 0) {
    for (let i = 0; i < pixels.length; i++) pixels[i] = pixels[i] & mask;
  } else {
    for (let i = 0; i < pixels.length; i++) pixels[i] = (pixels[i] >>> shift) & mask;
  }
}
