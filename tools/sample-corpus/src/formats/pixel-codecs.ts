// The compressed transfer syntaxes, encoded with the Cornerstone WASM builds of libjpeg-turbo
// (JPEG baseline, PS3.5 §A.4.1), CharLS (JPEG-LS, §A.4.3) and OpenJPEG (JPEG 2000, §A.4.4).
// Each codec is instantiated once per thread, on first use.
import { createRequire } from 'node:module';

// The packages ship no type declarations; require() keeps them `unknown` until typed below.
const require = createRequire(import.meta.url);
const charlsFactory: unknown = require('@cornerstonejs/codec-charls/wasmjs');
const jpegTurboFactory: unknown = require('@cornerstonejs/codec-libjpeg-turbo-8bit/wasmjs');
const openjpegFactory: unknown = require('@cornerstonejs/codec-openjpeg/wasmjs');

interface FrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned: boolean;
}

interface WasmEncoder {
  getDecodedBuffer(frameInfo: FrameInfo): Uint8Array;
  encode(): void;
  getEncodedBuffer(): Uint8Array;
  delete(): void;
  setQuality?(...args: Array<boolean | number>): void;
  setNearLossless?(value: number): void;
}

interface CodecModule {
  JPEGEncoder?: new () => WasmEncoder;
  JpegLSEncoder?: new () => WasmEncoder;
  J2KEncoder?: new () => WasmEncoder;
}

type Factory = () => Promise<CodecModule>;
const modules = new Map<string, Promise<CodecModule>>();

function codec(name: string, factory: unknown): Promise<CodecModule> {
  let module = modules.get(name);
  if (!module) {
    module = (factory as Factory)();
    modules.set(name, module);
  }
  return module;
}

function runEncoder(encoder: WasmEncoder, frameInfo: FrameInfo, samples: Uint8Array | Uint16Array, configure: (encoder: WasmEncoder) => void): Uint8Array {
  try {
    const input = encoder.getDecodedBuffer(frameInfo);
    input.set(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength));
    configure(encoder);
    encoder.encode();
    // Copy out of the WASM heap before the encoder is freed.
    return new Uint8Array(encoder.getEncodedBuffer());
  } finally {
    encoder.delete();
  }
}

/** JPEG baseline (process 1), 8-bit, one or three components. */
export async function encodeJpegBaseline(samples: Uint8Array, width: number, height: number, components: number, quality: number): Promise<Uint8Array> {
  const module = await codec('jpeg', jpegTurboFactory);
  const Encoder = module.JPEGEncoder as new () => WasmEncoder;
  return runEncoder(new Encoder(), { width, height, bitsPerSample: 8, componentCount: components, isSigned: false }, samples, (encoder) =>
    encoder.setQuality?.(quality),
  );
}

/** JPEG-LS lossless (NEAR = 0), 2–16 bits. */
export async function encodeJpegLs(samples: Uint8Array | Uint16Array, width: number, height: number, bitsStored: number): Promise<Uint8Array> {
  const module = await codec('charls', charlsFactory);
  const Encoder = module.JpegLSEncoder as new () => WasmEncoder;
  return runEncoder(new Encoder(), { width, height, bitsPerSample: bitsStored, componentCount: 1, isSigned: false }, samples, (encoder) =>
    encoder.setNearLossless?.(0),
  );
}

/** JPEG 2000 lossless (reversible 5/3 wavelet), a raw codestream as PS3.5 §A.4.4 requires. */
export async function encodeJpeg2000Lossless(samples: Uint8Array | Uint16Array, width: number, height: number, bitsStored: number): Promise<Uint8Array> {
  const module = await codec('openjpeg', openjpegFactory);
  const Encoder = module.J2KEncoder as new () => WasmEncoder;
  return runEncoder(new Encoder(), { width, height, bitsPerSample: bitsStored, componentCount: 1, isSigned: false }, samples, (encoder) =>
    encoder.setQuality?.(true, 0),
  );
}
