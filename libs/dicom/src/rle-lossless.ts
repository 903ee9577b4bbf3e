// RLE Lossless, PS3.5 Annex G: a 64-byte header of 16 little-endian uint32 (segment count, then up to
// 15 segment offsets); one PackBits segment per byte of each sample, most significant byte first
// (§G.2), every segment decoding to Rows × Columns bytes.
import { DicomError } from './dicom-error';
import type { ScratchArena } from '@qoq/runtime';
import { allocatePixels, type PixelArray, type PixelModule } from './pixel-module';

/** Decodes one RLE frame into pixel-interleaved samples (planar configuration 0). */
export function decodeRleFrame(frame: Uint8Array, module: PixelModule, path: string | undefined, arena?: ScratchArena): PixelArray {
  const pixelCount = module.rows * module.columns;
  const bytesPerSample = module.bitsAllocated / 8;
  if (!Number.isInteger(bytesPerSample)) {
    throw new DicomError('DICOM_UNSUPPORTED_SYNTAX', `RLE Lossless with Bits Allocated ${module.bitsAllocated} is not defined.`, path);
  }
  const expectedSegments = module.samplesPerPixel * bytesPerSample;
  if (frame.length < 64) throw new DicomError('DICOM_CORRUPT_CODESTREAM', 'The RLE header is shorter than 64 bytes.', path);
  const header = new DataView(frame.buffer, frame.byteOffset, 64);
  const segmentCount = header.getUint32(0, true);
  if (segmentCount !== expectedSegments) {
    throw new DicomError(
      'DICOM_CORRUPT_CODESTREAM',
      `The RLE header lists ${segmentCount} segments; ${expectedSegments} are expected for this pixel module.`,
      path,
    );
  }
  const offsets: number[] = [];
  for (let s = 0; s < segmentCount; s++) offsets.push(header.getUint32(4 + 4 * s, true));
  const pixels = allocatePixels(module, pixelCount * module.samplesPerPixel, arena);
  // Build the sample bytes little-endian in a byte view of the output (host order), then reinterpret.
  const out = new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  const segment = new Uint8Array(pixelCount);
  const stride = module.samplesPerPixel * bytesPerSample;
  for (let s = 0; s < segmentCount; s++) {
    const start = offsets[s];
    const end = s + 1 < segmentCount ? offsets[s + 1] : frame.length;
    if (start < 64 || start > end || end > frame.length) {
      throw new DicomError('DICOM_CORRUPT_CODESTREAM', `RLE segment ${s + 1} has offsets outside the frame.`, path);
    }
    unpackBits(frame.subarray(start, end), segment, path);
    const sample = Math.floor(s / bytesPerSample);
    const byteInSample = bytesPerSample - 1 - (s % bytesPerSample);
    let at = sample * bytesPerSample + byteInSample;
    for (let p = 0; p < pixelCount; p++, at += stride) out[at] = segment[p];
  }
  return pixels;
}

/** PS3.5 §G.3.2: n in 0..127 copies n+1 literal bytes; -127..-1 repeats the next byte 1-n times; -128 is a no-op. */
function unpackBits(source: Uint8Array, target: Uint8Array, path: string | undefined): void {
  let read = 0;
  let write = 0;
  while (write < target.length && read < source.length) {
    const header = (source[read++] << 24) >> 24;
    if (header >= 0) {
      const count = header + 1;
      if (read + count > source.length) break;
      target.set(source.subarray(read, read + Math.min(count, target.length - write)), write);
      read += count;
      write += count;
    } else if (header !== -128) {
      const count = 1 - header;
      if (read >= source.length) break;
      target.fill(source[read++], write, Math.min(write + count, target.length));
      write += count;
    }
  }
  if (write < target.length) {
    throw new DicomError('DICOM_CORRUPT_CODESTREAM', 'An RLE segment ends before it fills the frame.', path);
  }
}
