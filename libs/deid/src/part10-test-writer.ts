// Test support: writes a Part-10 file (PS3.10 §7.1) in Explicit VR Little Endian (PS3.5 §A.2) from
// elements whose values are already encoded bytes, so tests can put any character set on the wire.
// Sequences and items use undefined lengths with delimiters (PS3.5 §7.5.2), the harder case for readers.

export interface RawElement {
  readonly tag: number;
  readonly vr: string;
  readonly bytes?: Uint8Array;
  readonly items?: readonly (readonly RawElement[])[];
}

const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);
const EXPLICIT_LITTLE = '1.2.840.10008.1.2.1';

export function latin1(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

export function utf8(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text, 'utf8'));
}

export function concat(...parts: readonly Uint8Array[]): Uint8Array {
  return Uint8Array.from(Buffer.concat(parts));
}

export function uint16s(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setUint16(i * 2, value, true));
  return bytes;
}

export function uint32s(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setUint32(i * 4, value, true));
  return bytes;
}

export function float64s(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setFloat64(i * 8, value, true));
  return bytes;
}

function padded(vr: string, bytes: Uint8Array): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  // PS3.5 §6.2: UI pads with NUL, other strings with a space, binary values with NUL.
  const pad = vr === 'UI' || vr.startsWith('O') || vr === 'UN' ? 0 : 0x20;
  return concat(bytes, Uint8Array.of(pad));
}

function header(tag: number, vr: string, length: number): Uint8Array {
  const long = LONG_LENGTH_VRS.has(vr);
  const bytes = new Uint8Array(long ? 12 : 8);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  bytes[4] = vr.charCodeAt(0);
  bytes[5] = vr.charCodeAt(1);
  if (long) view.setUint32(8, length, true);
  else view.setUint16(6, length, true);
  return bytes;
}

function tagOnly(tag: number, length: number): Uint8Array {
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  view.setUint32(4, length, true);
  return bytes;
}

export function encodeDataSet(elements: readonly RawElement[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  const parts: Uint8Array[] = [];
  for (const element of sorted) {
    if (element.vr === 'SQ') {
      parts.push(header(element.tag, 'SQ', 0xffffffff));
      for (const item of element.items ?? []) {
        parts.push(tagOnly(0xfffee000, 0xffffffff), encodeDataSet(item), tagOnly(0xfffee00d, 0));
      }
      parts.push(tagOnly(0xfffee0dd, 0));
    } else {
      const value = padded(element.vr, element.bytes ?? new Uint8Array(0));
      parts.push(header(element.tag, element.vr, value.length), value);
    }
  }
  return concat(...parts);
}

/** A Part-10 file: 128-byte preamble, "DICM", File Meta Information (with its group length), data set. */
export function writePart10(meta: { sopClassUid: string; sopInstanceUid: string }, dataSet: readonly RawElement[]): Uint8Array {
  const metaBody = encodeDataSet([
    { tag: 0x00020001, vr: 'OB', bytes: Uint8Array.of(0, 1) },
    { tag: 0x00020002, vr: 'UI', bytes: latin1(meta.sopClassUid) },
    { tag: 0x00020003, vr: 'UI', bytes: latin1(meta.sopInstanceUid) },
    { tag: 0x00020010, vr: 'UI', bytes: latin1(EXPLICIT_LITTLE) },
    { tag: 0x00020012, vr: 'UI', bytes: latin1('1.2.826.0.1.3680043.10.999.1') },
  ]);
  const groupLength = encodeDataSet([{ tag: 0x00020000, vr: 'UL', bytes: uint32s([metaBody.length]) }]);
  return concat(new Uint8Array(128), latin1('DICM'), groupLength, metaBody, encodeDataSet(dataSet));
}
