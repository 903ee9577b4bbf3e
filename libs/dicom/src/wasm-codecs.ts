// The WASM codecs of @cornerstonejs (Emscripten builds): CommonJS factories that, under Node, read their
// .wasm beside themselves (__dirname) — so they are loaded with createRequire, each once, on first use
// (instantiation takes tens of milliseconds; a directory of JPEG-LS files should pay it once).
import { createRequire } from 'node:module';

export interface CodecFrameInfo {
  readonly width: number;
  readonly height: number;
  readonly bitsPerSample: number;
  readonly componentCount: number;
  readonly isSigned?: boolean;
}

/** The decoder classes of the four packages share this shape (embind objects). */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  decodeSubResolution?(level: number, layer: number): void;
  readHeader?(): void;
  getFrameInfo(): CodecFrameInfo;
  getNearLossless?(): number;
  calculateSizeAtDecompositionLevel?(level: number): { width: number; height: number };
  getInterleaveMode?(): number;
  delete(): void;
}

type DecoderClass = new () => WasmDecoder;
export type CodecName = 'charls' | 'openjpeg' | 'openjph' | 'libjpeg-turbo';

const ENTRY: Record<CodecName, { module: string; className: string }> = {
  // The *_decode builds are smaller and start faster than the encoder+decoder ones.
  charls: { module: '@cornerstonejs/codec-charls/decodewasmjs', className: 'JpegLSDecoder' },
  openjpeg: { module: '@cornerstonejs/codec-openjpeg/decodewasmjs', className: 'J2KDecoder' },
  openjph: { module: '@cornerstonejs/codec-openjph/wasmjs', className: 'HTJ2KDecoder' },
  'libjpeg-turbo': { module: '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs', className: 'JPEGDecoder' },
};

const loading = new Map<CodecName, Promise<DecoderClass>>();
const require = createRequire(import.meta.url);

export function loadCodec(name: CodecName): Promise<DecoderClass> {
  let pending = loading.get(name);
  if (pending === undefined) {
    const { module, className } = ENTRY[name];
    pending = (async () => {
      const factory = require(module) as (options?: object) => Promise<Record<string, DecoderClass>>;
      const instance = await factory({ print: () => undefined, printErr: () => undefined });
      return instance[className];
    })();
    loading.set(name, pending);
  }
  return pending;
}

export interface CodecOutput {
  readonly info: CodecFrameInfo;
  /**
   * The decoded bytes: a view of the WASM heap, valid only inside the `consume` callback of runCodec
   * (freeing the decoder invalidates it). Consumers copy once, straight into their own array.
   */
  readonly bytes: Uint8Array;
  /** Wavelet levels skipped (0: full resolution). */
  readonly level: number;
}

/** Runs one decode and hands its output to `consume`; the decoder object is freed whatever happens. */
export async function runCodec<T>(name: CodecName, codestream: Uint8Array, decodeLevel: number, consume: (output: CodecOutput) => T): Promise<T> {
  const Decoder = await loadCodec(name);
  const decoder = new Decoder();
  try {
    return decodeWith(decoder, codestream, decodeLevel, consume);
  } catch (cause) {
    // A thrown C++ exception arrives as a number and leaves the module usable. A trap or an abort
    // (WebAssembly.RuntimeError, "Aborted(…)") can leave its heap broken: the next frame gets a fresh
    // instance. (Re-instantiating on every error instead costs seconds on a stream of corrupt files.)
    if ((cause instanceof Error && cause.name === 'RuntimeError') || String(cause).includes('Aborted')) loading.delete(name);
    throw cause;
  }
}

function decodeWith<T>(decoder: WasmDecoder, codestream: Uint8Array, decodeLevel: number, consume: (output: CodecOutput) => T): T {
  try {
    decoder.getEncodedBuffer(codestream.length).set(codestream);
    if (decodeLevel > 0 && decoder.decodeSubResolution !== undefined && decoder.calculateSizeAtDecompositionLevel !== undefined) {
      // JPEG 2000 / HTJ2K (ISO/IEC 15444-1 §B.5): the lower resolution levels are a complete image,
      // decoded without the finer wavelet levels. getFrameInfo keeps the full size; the reduced size
      // comes from calculateSizeAtDecompositionLevel.
      // The caller clamps the level to the codestream's decomposition count (COD marker).
      decoder.decodeSubResolution(decodeLevel, 0);
      const size = decoder.calculateSizeAtDecompositionLevel(decodeLevel);
      const info = decoder.getFrameInfo();
      return consume({ info: { ...info, width: size.width, height: size.height }, bytes: decoder.getDecodedBuffer(), level: decodeLevel });
    }
    decoder.decode();
    const info = decoder.getFrameInfo();
    return consume({ info: { ...info }, bytes: decoder.getDecodedBuffer(), level: 0 });
  } finally {
    try {
      decoder.delete();
    } catch {
      // the module aborted; runCodec drops it
    }
  }
}
