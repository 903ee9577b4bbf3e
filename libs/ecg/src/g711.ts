// ITU-T G.711 companding, which DICOM waveform sample interpretations MB (µ-law) and AB (A-law) use
// (PS3.3 C.10.9.1.5). Decoded to the standard 16-bit linear scale (µ-law ±32124, A-law ±32256), the
// scale on which the channel sensitivity is then applied.

/** One µ-law byte → linear value. */
export function decodeMuLaw(byte: number): number {
  const u = ~byte & 0xff;
  let t = ((u & 0x0f) << 3) + 0x84;
  t <<= (u & 0x70) >> 4;
  return u & 0x80 ? 0x84 - t : t - 0x84;
}

/** One A-law byte → linear value. */
export function decodeALaw(byte: number): number {
  const a = (byte ^ 0x55) & 0xff;
  let t = (a & 0x0f) << 4;
  const segment = (a & 0x70) >> 4;
  if (segment === 0) t += 8;
  else {
    t += 0x108;
    if (segment > 1) t <<= segment - 1;
  }
  return a & 0x80 ? t : -t;
}
