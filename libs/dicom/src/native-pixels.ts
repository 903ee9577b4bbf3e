// Native (uncompressed) pixel data, PS3.5 §8.1.1 and §8.2: frames are contiguous, samples in the
// transfer syntax's byte order; Bits Allocated 1 packs pixels little-endian bit first, and its frames
// are contiguous in bits, so a frame may start in the middle of a byte.
import type { ScratchArena } from '@qoq/runtime';
import { DicomError } from './dicom-error';
import { allocatePixels, type PixelArray, type PixelModule } from './pixel-module';

/** Bytes one native frame takes (bits for 1-bit images rounded up only at the end of the last frame). */
export function nativeFrameBits(module: PixelModule): number {
  return module.rows * module.columns * module.samplesPerPixel * module.bitsAllocated;
}

/** One frame, samples in file order (planar configuration untouched), as the typed array of the module. */
export function decodeNativeFrame(
  pixelData: Uint8Array,
  module: PixelModule,
  frameIndex: number,
  littleEndian: boolean,
  path: string | undefined,
  arena?: ScratchArena,
): PixelArray {
  const frameBits = nativeFrameBits(module);
  const startBit = frameBits * frameIndex;
  const endByte = Math.ceil((startBit + frameBits) / 8);
  if (endByte > pixelData.length) {
    throw new DicomError(
      'DICOM_PIXEL_DATA_SHORT',
      `Frame ${frameIndex + 1} needs ${endByte} bytes of Pixel Data; ${pixelData.length} are present.`,
      path,
    );
  }
  const samples = module.rows * module.columns * module.samplesPerPixel;
  const pixels = allocatePixels(module, samples, arena);
  if (module.bitsAllocated === 1) {
    for (let i = 0; i < samples; i++) {
      const bit = startBit + i;
      pixels[i] = (pixelData[bit >> 3] >> (bit & 7)) & 1;
    }
    return pixels;
  }
  const bytesPerSample = module.bitsAllocated / 8;
  const start = startBit / 8;
  const source = pixelData.subarray(start, start + samples * bytesPerSample);
  // Typed arrays are host-endian (little-endian on every platform Node supports): copy bytes as they are,
  // swapping each sample first for Explicit VR Big Endian (PS3.5 §A.3).
  const target = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  target.set(source);
  if (!littleEndian && bytesPerSample > 1) {
    for (let at = 0; at < target.length; at += bytesPerSample) target.subarray(at, at + bytesPerSample).reverse();
  }
  return pixels;
}
