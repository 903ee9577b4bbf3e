// DICOM RLE Lossless encoder (PS3.5 Annex G). Each frame becomes one fragment: a 64-byte header
// (segment count, then up to 15 segment offsets, little endian), then one PackBits-encoded segment
// per byte plane, most significant byte first (Annex G.2), each padded to an even length.

/** PackBits (PS3.5 §G.3.1): replicate runs of 2–128 bytes as (1 − n, byte); literals of 1–128 as (n − 1, bytes). */
export function packBits(plane: Uint8Array): Uint8Array {
  // Worst case: alternating one-byte literals and two-byte runs, 4 bytes for every 3.
  const out = new Uint8Array(2 * plane.length + 2);
  let written = 0;
  let index = 0;
  while (index < plane.length) {
    let run = 1;
    while (index + run < plane.length && run < 128 && plane[index + run] === plane[index]) run += 1;
    if (run >= 2) {
      out[written++] = (257 - run) & 0xff;
      out[written++] = plane[index];
      index += run;
      continue;
    }
    // A literal run ends where a replicate run of at least two identical bytes begins.
    let literal = 1;
    while (
      index + literal < plane.length &&
      literal < 128 &&
      !(index + literal + 1 < plane.length && plane[index + literal] === plane[index + literal + 1])
    ) {
      literal += 1;
    }
    out[written++] = literal - 1;
    out.set(plane.subarray(index, index + literal), written);
    written += literal;
    index += literal;
  }
  return out.subarray(0, written);
}

/**
 * Encodes one frame of `samplesPerPixel` × `bytesPerSample` byte planes. `pixels` holds the sample
 * values as unsigned integers of the stored bit pattern (two's complement for signed data), pixel
 * interleaved.
 */
export function encodeRleFrame(pixels: Uint8Array | Uint16Array | Int16Array, samplesPerPixel: number): Uint8Array {
  const bytesPerSample = pixels.BYTES_PER_ELEMENT;
  const pixelCount = pixels.length / samplesPerPixel;
  const segments: Uint8Array[] = [];
  for (let sample = 0; sample < samplesPerPixel; sample += 1) {
    for (let byte = bytesPerSample - 1; byte >= 0; byte -= 1) {
      const plane = new Uint8Array(pixelCount);
      const shift = byte * 8;
      for (let index = 0; index < pixelCount; index += 1) plane[index] = ((pixels[index * samplesPerPixel + sample] & 0xffff) >> shift) & 0xff;
      const packed = packBits(plane);
      segments.push(packed.length % 2 === 0 ? packed : concatBytes([packed, new Uint8Array(1)]));
    }
  }
  if (segments.length > 15) throw new Error('RLE Lossless allows at most 15 segments (PS3.5 §G.5)');
  const header = new DataView(new ArrayBuffer(64));
  header.setUint32(0, segments.length, true);
  let offset = 64;
  segments.forEach((segment, index) => {
    header.setUint32(4 + index * 4, offset, true);
    offset += segment.length;
  });
  return concatBytes([new Uint8Array(header.buffer), ...segments]);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
