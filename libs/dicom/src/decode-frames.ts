// decodeFrames: the selected frames of an image as typed arrays, whatever the transfer syntax, with the
// photometric interpretation they have after decoding and the display inputs of each frame.
import type { ScratchArena } from '@qoq/runtime';
import type { DicomDataset } from './dicom-dataset';
import { DicomError } from './dicom-error';
import { displayInputsReader, type ModalityLut, type VoiInputs } from './display-inputs';
import { encapsulatedFrames } from './encapsulated-frames';
import { selectFrames, type FrameSelection } from './frame-selection';
import { decodeCompressedFrame } from './compressed-frame';
import { decodeNativeFrame } from './native-pixels';
import {
  checkPixelModule,
  DEFAULT_LIMITS,
  maskToBitsStored,
  readPixelModule,
  type DecodeLimits,
  type PixelArray,
  type PixelModule,
} from './pixel-module';
import { applyPalette, expandYbr422, interleavePlanes, readPalette, ybrFullToRgb } from './photometric';

export interface DecodedFrame {
  /** 0-based index of the frame in the file. */
  readonly frameIndex: number;
  /** Rows × Columns × samples, colour samples interleaved (R G B R G B …). */
  readonly pixels: PixelArray;
  readonly modalityLut: ModalityLut;
  readonly voi: VoiInputs;
}

export interface DecodedImage {
  /** The decoded size: Rows × Columns, or smaller when `resolutionLevel` > 0. */
  readonly rows: number;
  readonly columns: number;
  /**
   * JPEG 2000 / HTJ2K wavelet levels skipped: each halves both sides (rounding up). 0 for every other
   * syntax, which always decodes at full size.
   */
  readonly resolutionLevel: number;
  /** 1 or 3 after decoding (PALETTE COLOR becomes 3). */
  readonly samplesPerPixel: number;
  /**
   * After decoding: MONOCHROME1, MONOCHROME2 or RGB. YBR_FULL, YBR_FULL_422, YBR_RCT, YBR_ICT and
   * PALETTE COLOR are converted to RGB; YBR_PARTIAL_420 and others are passed through as stored.
   */
  readonly photometricInterpretation: string;
  /** As stored in the file, for the record. */
  readonly storedPhotometricInterpretation: string;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly pixelRepresentation: number;
  readonly numberOfFrames: number;
  readonly transferSyntaxUid: string;
  readonly lossy: boolean;
  /** Presentation LUT Shape (2050,0020): IDENTITY or INVERSE, when present. */
  readonly presentationLutShape?: string;
  readonly frames: readonly DecodedFrame[];
}

export interface DecodeOptions {
  readonly limits?: Partial<DecodeLimits>;
  /**
   * For JPEG 2000 and HTJ2K: skip this many of the finest wavelet levels (decode at ⌈size / 2^level⌉,
   * clamped to the codestream's decomposition count) — much faster when the output is downsized
   * anyway. Ignored by other syntaxes. Default 0.
   */
  readonly resolutionLevel?: number;
  /**
   * Memory for the decoded frames, reused from image to image (a worker handling one file at a time
   * resets it between files): the frames' arrays are views into it, valid until its next reset().
   * Without one, every frame is a fresh allocation.
   */
  readonly arena?: ScratchArena;
}

/** Decodes the selected frames. Throws DicomError (the boundary) for every bad input. */
export async function decodeFrames(
  dataset: DicomDataset,
  selection: FrameSelection = 'all',
  options: DecodeOptions = {},
): Promise<DecodedImage> {
  const path = dataset.path;
  const limits: DecodeLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const module = readPixelModule(dataset);
  checkPixelModule(module, limits, path);
  const indices = selectFrames(module.numberOfFrames, selection);
  const stored = module.photometricInterpretation;
  const frameSamples = module.rows * module.columns * (stored === 'PALETTE COLOR' ? 3 : module.samplesPerPixel);
  const decodedBytes = frameSamples * Math.max(1, module.bitsAllocated / 8) * indices.length;
  if (decodedBytes > limits.maxDecodedBytes) {
    throw new DicomError('DICOM_TOO_LARGE', `Decoding ${indices.length} frame(s) needs ${decodedBytes} bytes, past the limit of ${limits.maxDecodedBytes}.`, path);
  }
  const syntax = dataset.transferSyntax;
  let outputPhotometric = stored;
  let codecSigned = false;
  let decodedSize = { rows: module.rows, columns: module.columns, resolutionLevel: 0 };
  let pixelsOf: (frameIndex: number, position: number) => Promise<PixelArray>;
  if (syntax.encoding === 'native') {
    const key = module.floatPixels === 'float' ? 'FloatPixelData' : module.floatPixels === 'double' ? 'DoubleFloatPixelData' : 'PixelData';
    const pixelData = dataset.bytes(key) ?? new Uint8Array(0);
    pixelsOf = async (frameIndex) => nativeToInterleaved(decodeNativeFrame(pixelData, nativeModule(module), frameIndex, syntax.littleEndian, path, options.arena), module, path);
  } else {
    const codestreams = encapsulatedFrames(dataset, module.numberOfFrames, indices);
    pixelsOf = async (_, position) => {
      const decoded = await decodeCompressedFrame(codestreams[position], module, syntax, path, options.resolutionLevel ?? 0, options.arena);
      if (decoded.colourConverted) outputPhotometric = 'RGB';
      decodedSize = { rows: decoded.rows, columns: decoded.columns, resolutionLevel: decoded.resolutionLevel };
      codecSigned = decoded.signed === true;
      return decoded.pixels;
    };
  }
  const palette = stored === 'PALETTE COLOR' ? readPalette(dataset) : undefined;
  const displayInputsOfFrame = displayInputsReader(dataset);
  const frames: DecodedFrame[] = [];
  for (const [position, frameIndex] of indices.entries()) {
    let pixels = await pixelsOf(frameIndex, position);
    // Native cells can carry overlay bits or junk above High Bit (PS3.5 §8.1.1): mask and sign-extend.
    // Codec output has the codestream's own precision; only two's complement values that the codec
    // returned as unsigned bit patterns (JPEG-LS, lossless JPEG, unsigned JPEG 2000 in a signed data
    // set) are sign-extended — masking them would wrap a lossy overshoot such as 4096 in 12 bits to 0.
    if (syntax.encoding === 'native' || (module.pixelRepresentation === 1 && !codecSigned)) maskToBitsStored(pixels, module);
    if (palette !== undefined) {
      pixels = applyPalette(pixels, palette);
      outputPhotometric = 'RGB';
    } else if (module.samplesPerPixel === 3 && (stored === 'YBR_FULL' || stored === 'YBR_FULL_422') && outputPhotometric !== 'RGB') {
      ybrFullToRgb(pixels, module.bitsStored);
    }
    frames.push({ frameIndex, pixels, ...displayInputsOfFrame(frameIndex) });
  }
  if (palette === undefined && module.samplesPerPixel === 3 && ['YBR_FULL', 'YBR_FULL_422', 'YBR_RCT', 'YBR_ICT', 'RGB'].includes(stored)) {
    outputPhotometric = 'RGB';
  }
  return {
    ...decodedSize,
    samplesPerPixel: palette === undefined ? module.samplesPerPixel : 3,
    photometricInterpretation: outputPhotometric,
    storedPhotometricInterpretation: stored,
    bitsAllocated: palette === undefined ? module.bitsAllocated : palette.bitsPerEntry <= 8 ? 8 : 16,
    bitsStored: palette === undefined ? module.bitsStored : palette.bitsPerEntry,
    pixelRepresentation: palette === undefined ? module.pixelRepresentation : 0,
    numberOfFrames: module.numberOfFrames,
    transferSyntaxUid: syntax.uid,
    lossy: syntax.lossy || dataset.string('LossyImageCompression') === '01',
    presentationLutShape: dataset.string('PresentationLUTShape'),
    frames,
  };
}

/** Native YBR_FULL_422 stores two samples per pixel on average (PS3.3 §C.7.6.3.1.2). */
function nativeModule(module: PixelModule): PixelModule {
  if (module.photometricInterpretation !== 'YBR_FULL_422') return module;
  return { ...module, samplesPerPixel: 1, columns: Math.ceil(module.columns / 2) * 2, rows: module.rows * 2 };
}

function nativeToInterleaved(pixels: PixelArray, module: PixelModule, path: string | undefined): PixelArray {
  if (module.photometricInterpretation === 'YBR_FULL_422') return expandYbr422(pixels, module, path);
  if (module.samplesPerPixel === 3 && module.planarConfiguration === 1) {
    return interleavePlanes(pixels, module.rows * module.columns);
  }
  return pixels;
}
