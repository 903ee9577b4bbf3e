// One encapsulated frame through its codec. Every codec's output is copied into the typed array of the
// pixel module, so callers see the same shapes as for native data.
import { createRequire } from 'node:module';
import type { ScratchArena } from '@qoq/runtime';
import { DicomError, isDicomError } from './dicom-error';
import { decodeJpegDct } from './jpeg-extended';
import { allocatePixels, type PixelArray, type PixelModule } from './pixel-module';
import { decodeRleFrame } from './rle-lossless';
import type { TransferSyntaxInfo } from './transfer-syntax';
import { runCodec, type CodecFrameInfo, type CodecName, type CodecOutput } from './wasm-codecs';

// jpeg-lossless-decoder-js ships no type declarations; this is the one method we use.
const { Decoder: LosslessJpegDecoder } = createRequire(import.meta.url)('jpeg-lossless-decoder-js') as {
  Decoder: new () => { decompress(buffer: ArrayBuffer, offset: number, length: number): ArrayBuffer };
};

export interface CompressedFrame {
  readonly pixels: PixelArray;
  /** The decoded size: Rows × Columns, or smaller when JPEG 2000 resolution levels were skipped. */
  readonly rows: number;
  readonly columns: number;
  /** Wavelet levels skipped (JPEG 2000 and HTJ2K only; 0 otherwise). */
  readonly resolutionLevel: number;
  /** The codec turned YCbCr into RGB (JPEG's JFIF colour transform, JPEG 2000's RCT/ICT). */
  readonly colourConverted: boolean;
  /** The codec returned signed samples (a JPEG 2000 component marked signed in SIZ). */
  readonly signed?: boolean;
}

export async function decodeCompressedFrame(
  codestream: Uint8Array,
  module: PixelModule,
  syntax: TransferSyntaxInfo,
  path: string | undefined,
  resolutionLevel = 0,
  arena?: ScratchArena,
): Promise<CompressedFrame> {
  const full = { rows: module.rows, columns: module.columns, resolutionLevel: 0 };
  const samples = module.rows * module.columns * module.samplesPerPixel;
  switch (syntax.encoding) {
    case 'rle':
      return { ...full, pixels: decodeRleFrame(codestream, module, path, arena), colourConverted: false };
    case 'jpeg-lossless':
      return { ...full, pixels: decodeLosslessJpeg(codestream, module, samples, path, arena), colourConverted: false };
    case 'jpeg-baseline':
    case 'jpeg-extended': {
      // SOF precision decides the decoder: libjpeg-turbo (8-bit) or ours (12-bit, see jpeg-extended.ts).
      if (jpegPrecision(codestream) > 8) {
        const image = decodeJpegDct(codestream, path);
        checkShape(image.width, image.height, image.components.length, module, path);
        if (image.components.length !== 1) {
          throw new DicomError('DICOM_UNSUPPORTED_SYNTAX', '12-bit colour JPEG is not supported (no DICOM IOD uses it).', path);
        }
        const pixels = allocatePixels(module, samples, arena);
        pixels.set(image.components[0]);
        return { ...full, pixels, colourConverted: false };
      }
      // libjpeg converts what it takes for YCbCr (a JFIF marker, an Adobe transform, or component ids
      // 1-2-3) to RGB. When the data set says RGB, the samples are RGB whatever the JPEG markers say
      // (PS3.5 §8.2.1; GDCM, pydicom's oracle, decides the same), so the codestream is relabelled.
      const stored = module.photometricInterpretation;
      const stream = module.samplesPerPixel === 3 && stored === 'RGB' ? labelledRgb(codestream) : codestream;
      const { pixels } = await codecPixels('libjpeg-turbo', stream, module, path, arena);
      return { ...full, pixels, colourConverted: module.samplesPerPixel === 3 };
    }
    case 'jpeg-ls':
      // CharLS spends tens of seconds on some truncated codestreams before it gives up (measured on
      // MR_small_jpeg_ls_lossless cut short): a stream without its EOI marker is rejected up front.
      if (!endsWithEoi(codestream)) {
        throw new DicomError('DICOM_CORRUPT_CODESTREAM', 'The JPEG-LS codestream has no EOI marker (truncated).', path);
      }
      return { ...full, pixels: (await codecPixels('charls', codestream, module, path, arena)).pixels, colourConverted: false };
    case 'jpeg-2000': {
      // PS3.5 §8.2.4: YBR_RCT / YBR_ICT are undone by the decoder's multi-component transform.
      const stream = jp2Codestream(codestream);
      const output = await codecPixels('openjpeg', stream, module, path, arena, clampLevel(stream, resolutionLevel));
      return {
        ...reduced(output.level, module),
        pixels: output.pixels,
        colourConverted: module.samplesPerPixel === 3 && hasMct(stream),
        signed: output.info.isSigned === true,
      };
    }
    case 'htj2k': {
      const stream = jp2Codestream(codestream);
      const output = await codecPixels('openjph', stream, module, path, arena, clampLevel(stream, resolutionLevel));
      return {
        ...reduced(output.level, module),
        pixels: output.pixels,
        colourConverted: module.samplesPerPixel === 3 && hasMct(stream),
        signed: output.info.isSigned === true,
      };
    }
    default:
      throw new DicomError('DICOM_UNSUPPORTED_SYNTAX', `Transfer Syntax ${syntax.uid} has no pixel decoder.`, path);
  }
}

interface CodecPixels {
  readonly pixels: PixelArray;
  readonly info: CodecFrameInfo;
  /** Wavelet levels skipped. */
  readonly level: number;
}

/** Decodes with a WASM codec, copying its output once, from the codec's heap into the frame's array. */
async function codecPixels(
  name: CodecName,
  codestream: Uint8Array,
  module: PixelModule,
  path: string | undefined,
  arena: ScratchArena | undefined,
  level = 0,
): Promise<CodecPixels> {
  try {
    return await runCodec(name, codestream, level, (output) => ({ pixels: fromCodec(output, module, path, arena), info: output.info, level: output.level }));
  } catch (cause) {
    if (isDicomError(cause)) throw cause;
    const reason = cause instanceof Error ? cause.message : typeof cause === 'number' ? `error ${cause}` : String(cause);
    throw new DicomError('DICOM_CORRUPT_CODESTREAM', `The ${name} decoder rejected the codestream (${reason}).`, path);
  }
}

function checkShape(width: number, height: number, components: number, module: PixelModule, path: string | undefined): void {
  if (width !== module.columns || height !== module.rows || components !== module.samplesPerPixel) {
    throw new DicomError(
      'DICOM_CORRUPT_CODESTREAM',
      `The codestream is ${width} × ${height} × ${components}; the data set says ${module.columns} × ${module.rows} × ${module.samplesPerPixel}.`,
      path,
    );
  }
}

/** The size a reduced-resolution decode has: ⌈size / 2^level⌉ (ISO/IEC 15444-1 eq. B-14, no image offset). */
function reduced(level: number, module: PixelModule): { rows: number; columns: number; resolutionLevel: number } {
  const scale = 2 ** level;
  return { rows: Math.ceil(module.rows / scale), columns: Math.ceil(module.columns / scale), resolutionLevel: level };
}

function fromCodec(output: CodecOutput, module: PixelModule, path: string | undefined, arena: ScratchArena | undefined): PixelArray {
  const { info, bytes } = output;
  const { rows, columns } = reduced(output.level, module);
  checkShape(info.width, info.height, info.componentCount, { ...module, rows, columns }, path);
  const samples = rows * columns * module.samplesPerPixel;
  const bytesPerSample = info.bitsPerSample <= 8 ? 1 : 2;
  if (bytes.length < samples * bytesPerSample) {
    throw new DicomError('DICOM_CORRUPT_CODESTREAM', 'The codec returned fewer samples than the frame holds.', path);
  }
  const pixels = allocatePixels(module, samples, arena);
  if (bytesPerSample === 1) {
    for (let i = 0; i < samples; i++) pixels[i] = bytes[i];
    return pixels;
  }
  // Codec output is little-endian 16-bit; signedness comes from maskToBitsStored afterwards.
  const words = new Uint16Array(bytes.buffer, bytes.byteOffset, samples);
  pixels.set(module.pixelRepresentation === 1 && pixels instanceof Int16Array ? new Int16Array(words.buffer, words.byteOffset, samples) : words);
  return pixels;
}

function decodeLosslessJpeg(codestream: Uint8Array, module: PixelModule, samples: number, path: string | undefined, arena: ScratchArena | undefined): PixelArray {
  let output: ArrayBuffer;
  try {
    const copy = codestream.slice();
    output = new LosslessJpegDecoder().decompress(copy.buffer, 0, copy.length);
  } catch (cause) {
    throw new DicomError('DICOM_CORRUPT_CODESTREAM', `JPEG Lossless: ${cause instanceof Error ? cause.message : String(cause)}.`, path);
  }
  const bytes = new Uint8Array(output);
  const bytesPerSample = jpegPrecision(codestream) <= 8 ? 1 : 2;
  if (bytes.length < samples * bytesPerSample) {
    throw new DicomError('DICOM_CORRUPT_CODESTREAM', 'JPEG Lossless: the codestream holds fewer samples than the frame.', path);
  }
  const pixels = allocatePixels(module, samples, arena);
  if (bytesPerSample === 1) pixels.set(bytes.subarray(0, samples));
  else pixels.set(new Uint16Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + samples * 2)));
  return pixels;
}

/**
 * A copy of a 3-component JPEG whose markers tell libjpeg "RGB, no colour transform": the JFIF APP0 is
 * renamed, an Adobe APP14 transform flag is cleared, and the component ids become 'R', 'G', 'B'
 * (the rules of libjpeg's jdapimin.c default_decompress_parms).
 */
function labelledRgb(codestream: Uint8Array): Uint8Array {
  const copy = codestream.slice();
  const ids = new Map<number, number>();
  let at = 2;
  while (at + 4 <= copy.length && copy[at] === 0xff) {
    const marker = copy[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    const length = (copy[at + 2] << 8) | copy[at + 3];
    const body = at + 4;
    if (marker === 0xe0 && copy[body] === 0x4a && copy[body + 1] === 0x46 && copy[body + 2] === 0x49 && copy[body + 3] === 0x46) {
      copy[body + 3] = 0x58; // "JFIF" → "JFIX": an APP0 libjpeg ignores
    } else if (marker === 0xee && length >= 14 && String.fromCharCode(...copy.subarray(body, body + 5)) === 'Adobe') {
      copy[body + 11] = 0;
    } else if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && copy[body + 5] === 3) {
      for (let c = 0; c < 3; c++) {
        ids.set(copy[body + 6 + 3 * c], [0x52, 0x47, 0x42][c]);
        copy[body + 6 + 3 * c] = [0x52, 0x47, 0x42][c];
      }
    } else if (marker === 0xda) {
      const count = copy[body];
      for (let c = 0; c < count; c++) copy[body + 1 + 2 * c] = ids.get(copy[body + 1 + 2 * c]) ?? copy[body + 1 + 2 * c];
      break; // entropy-coded data follows; a baseline frame has its components in this one scan
    }
    at += 2 + length;
  }
  return copy;
}

/**
 * T.87: a complete codestream ends with EOI (FFD9), then at most a few bytes of fragment padding (dcmtk
 * pads odd lengths with an arbitrary byte). FF D9 cannot occur in JPEG-LS entropy-coded data (a byte
 * after FF has its high bit clear, T.87 §9.1), so finding it near the end means the stream is whole.
 */
function endsWithEoi(codestream: Uint8Array): boolean {
  for (let at = codestream.length - 2; at >= Math.max(0, codestream.length - 8); at--) {
    if (codestream[at] === 0xff && codestream[at + 1] === 0xd9) return true;
  }
  return false;
}

/** Sample precision P of the first SOF marker (T.81 §B.2.2), 8 when none is found. */
function jpegPrecision(codestream: Uint8Array): number {
  let at = 2;
  while (at + 4 < codestream.length) {
    if (codestream[at] !== 0xff) {
      at++;
      continue;
    }
    const marker = codestream[at + 1];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return codestream[at + 4];
    if (marker === 0xd8 || marker === 0x01 || marker === 0xff || (marker >= 0xd0 && marker <= 0xd7)) {
      at += marker === 0xff ? 1 : 2;
      continue;
    }
    at += 2 + ((codestream[at + 2] << 8) | codestream[at + 3]);
  }
  return 8;
}

/** A JP2 file (ISO/IEC 15444-1 Annex I) found where a raw codestream belongs: return its jp2c box. */
function jp2Codestream(bytes: Uint8Array): Uint8Array {
  if (!(bytes.length > 12 && bytes[4] === 0x6a && bytes[5] === 0x50 && bytes[6] === 0x20 && bytes[7] === 0x20)) return bytes;
  let at = 0;
  while (at + 8 <= bytes.length) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + at);
    let length = view.getUint32(0);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    let header = 8;
    if (length === 1) {
      length = Number(view.getBigUint64(8));
      header = 16;
    } else if (length === 0) length = bytes.length - at;
    if (type === 'jp2c') return bytes.subarray(at + header, at + length);
    at += length;
  }
  return bytes;
}

/** Offset of the main header's COD marker segment (ISO/IEC 15444-1 §A.6.1), or -1. */
function codOffset(codestream: Uint8Array): number {
  let at = 2;
  while (at + 4 < codestream.length) {
    const marker = (codestream[at] << 8) | codestream[at + 1];
    if (marker === 0xff52) return at;
    if (marker === 0xff90 || marker === 0xff93) return -1;
    at += 2 + ((codestream[at + 2] << 8) | codestream[at + 3]);
  }
  return -1;
}

/** COD SGcod byte 4: the multiple component transformation (RCT/ICT) is used. */
function hasMct(codestream: Uint8Array): boolean {
  const cod = codOffset(codestream);
  return cod >= 0 && codestream[cod + 8] === 1;
}

/** The requested level, clamped to COD SPcod's number of decomposition levels (main header default). */
function clampLevel(codestream: Uint8Array, level: number): number {
  if (level <= 0) return 0;
  const cod = codOffset(codestream);
  return cod < 0 ? 0 : Math.min(level, codestream[cod + 9]);
}
