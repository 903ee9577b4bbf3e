// The human-readable name of an embedded ICC profile, for images.parquet: the profile description tag
// ('desc', ICC.1:2010 §9.2.41), stored as textDescriptionType in version 2 profiles (ICC.1:2001-04
// §6.5.17) and as multiLocalizedUnicodeType in version 4 (ICC.1:2010 §10.15). Nothing else of the
// profile is read; a profile whose description cannot be found is described as null.

const HEADER_SIZE = 128;
/** Descriptions are names ("sRGB IEC61966-2.1", "Display P3"); anything longer is cut. */
const MAX_DESCRIPTION_LENGTH = 200;

function ascii(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) {
    if (byte === 0) break;
    text += String.fromCharCode(byte);
  }
  return text;
}

function tagSignature(view: DataView, offset: number): string {
  return String.fromCharCode(view.getUint8(offset), view.getUint8(offset + 1), view.getUint8(offset + 2), view.getUint8(offset + 3));
}

/** Control characters (a trailing NUL or newline, in some profiles) removed, spaces collapsed. */
function clean(text: string): string | null {
  // eslint-disable-next-line no-control-regex
  const cleaned = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, MAX_DESCRIPTION_LENGTH);
  return cleaned === '' ? null : cleaned;
}

/** The text of a 'desc' tag's element; null for a type this does not read or a malformed element. */
function descriptionOf(icc: Uint8Array, view: DataView, offset: number, size: number): string | null {
  const type = tagSignature(view, offset);
  if (type === 'desc' && size >= 12) {
    // textDescriptionType: 'desc', 4 reserved bytes, uint32 ASCII count (with its NUL), ASCII.
    const count = view.getUint32(offset + 8);
    if (12 + count > size) return null;
    return clean(ascii(icc.subarray(offset + 12, offset + 12 + count)));
  }
  if (type === 'mluc' && size >= 16) {
    // multiLocalizedUnicodeType: 'mluc', reserved, uint32 record count, uint32 record size (12), then
    // records of language, country, uint32 length, uint32 offset (from the element's start), UTF-16BE.
    // The first record is taken: profiles list their primary language (en-US in practice) first.
    const records = view.getUint32(offset + 8);
    const recordSize = view.getUint32(offset + 12);
    if (records === 0 || recordSize < 12 || 16 + recordSize > size) return null;
    const length = view.getUint32(offset + 20);
    const start = view.getUint32(offset + 24);
    if (start + length > size || length % 2 !== 0) return null;
    let text = '';
    for (let index = 0; index < length; index += 2) text += String.fromCharCode(view.getUint16(offset + start + index));
    return clean(text);
  }
  return null;
}

/** The profile's description ('desc' tag), or null when the bytes are not a profile or have none. */
export function iccProfileDescription(icc: Uint8Array | undefined): string | null {
  if (icc === undefined || icc.byteLength < HEADER_SIZE + 4) return null;
  const view = new DataView(icc.buffer, icc.byteOffset, icc.byteLength);
  // The header's profile file signature 'acsp' (ICC.1:2010 §7.2.9).
  if (tagSignature(view, 36) !== 'acsp') return null;
  const tagCount = view.getUint32(HEADER_SIZE);
  for (let index = 0; index < tagCount; index += 1) {
    const entry = HEADER_SIZE + 4 + 12 * index;
    if (entry + 12 > icc.byteLength) return null;
    if (tagSignature(view, entry) !== 'desc') continue;
    const offset = view.getUint32(entry + 4);
    const size = view.getUint32(entry + 8);
    if (offset + size > icc.byteLength || size < 8) return null;
    return descriptionOf(icc, view, offset, size);
  }
  return null;
}
