// Encapsulated Pixel Data, PS3.5 §A.4: an item of offsets (the Basic Offset Table, possibly empty),
// then fragments. Which fragments form frame i comes from the Extended Offset Table (7FE0,0001/0002,
// §A.4.2 / PS3.3 §C.7.6.3.1.9), else the Basic Offset Table, else from the codestreams themselves.
import type { DicomDataset } from './dicom-dataset';
import { DicomError } from './dicom-error';

interface FragmentView {
  /** Offset of the fragment's item tag from the first fragment's item tag (what offset tables hold). */
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** The codestream of each requested frame (fragments of a frame concatenated), in request order. */
export function encapsulatedFrames(dataset: DicomDataset, numberOfFrames: number, frameIndices: readonly number[]): Uint8Array[] {
  const path = dataset.path;
  const element = dataset.element('PixelData');
  const value = dataset.bytesToEnd('PixelData');
  if (element === undefined || value === undefined) {
    throw new DicomError('DICOM_NO_PIXEL_DATA', 'The data set has no Pixel Data (7FE0,0010).', path);
  }
  // We walk the items by their lengths ourselves rather than trusting dicom-parser's fragments: it
  // searches for the Sequence Delimiter bytes, which can also occur inside a codestream, and it does
  // not frame undefined-length Pixel Data in data sets it parsed as implicit VR.
  const { basicOffsetTable, fragments } = readItems(value, path);
  if (fragments.length === 0) {
    throw new DicomError('DICOM_PIXEL_DATA_SHORT', 'Encapsulated Pixel Data has no fragments.', path);
  }
  const groups = groupFragments(dataset, basicOffsetTable, fragments, numberOfFrames);
  return frameIndices.map((index) => {
    const group = groups[index];
    if (group === undefined || group.length === 0) {
      throw new DicomError('DICOM_PIXEL_DATA_SHORT', `Frame ${index + 1} of ${numberOfFrames} has no fragments.`, path);
    }
    return concatenate(group.map((fragment) => fragment.bytes));
  });
}

/** PS3.5 §A.4: Item (FFFE,E000) elements, little-endian, until the Sequence Delimitation Item (FFFE,E0DD). */
function readItems(value: Uint8Array, path: string | undefined): { basicOffsetTable: number[]; fragments: FragmentView[] } {
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const items: { offset: number; bytes: Uint8Array }[] = [];
  let at = 0;
  for (;;) {
    if (at + 8 > value.length) {
      throw new DicomError('DICOM_PIXEL_DATA_SHORT', 'Encapsulated Pixel Data ends before its Sequence Delimitation Item.', path);
    }
    const group = view.getUint16(at, true);
    const elementNumber = view.getUint16(at + 2, true);
    const length = view.getUint32(at + 4, true);
    if (group !== 0xfffe) throw new DicomError('DICOM_CORRUPT_CODESTREAM', 'Encapsulated Pixel Data holds a non-item element.', path);
    if (elementNumber === 0xe0dd) break;
    if (elementNumber !== 0xe000 || length === 0xffffffff) {
      throw new DicomError('DICOM_CORRUPT_CODESTREAM', 'Encapsulated Pixel Data holds a malformed item.', path);
    }
    if (at + 8 + length > value.length) {
      if (items.length === 0) throw new DicomError('DICOM_PIXEL_DATA_SHORT', 'The Basic Offset Table runs past the end of the file.', path);
      // A last fragment cut short: keep what is there and let the codec judge (decoders of truncated
      // JPEG often still produce an image; the caller sees DICOM_CORRUPT_CODESTREAM otherwise).
      items.push({ offset: at, bytes: value.subarray(at + 8) });
      break;
    }
    items.push({ offset: at, bytes: value.subarray(at + 8, at + 8 + length) });
    at += 8 + length;
  }
  if (items.length === 0) throw new DicomError('DICOM_PIXEL_DATA_SHORT', 'Encapsulated Pixel Data has no Basic Offset Table item.', path);
  const [table, ...rest] = items;
  const tableView = new DataView(table.bytes.buffer, table.bytes.byteOffset, table.bytes.byteLength);
  const basicOffsetTable: number[] = [];
  for (let i = 0; i + 4 <= table.bytes.length; i += 4) basicOffsetTable.push(tableView.getUint32(i, true));
  const firstOffset = rest.length > 0 ? rest[0].offset : 0;
  return { basicOffsetTable, fragments: rest.map((item) => ({ offset: item.offset - firstOffset, bytes: item.bytes })) };
}

function groupFragments(
  dataset: DicomDataset,
  basicOffsets: readonly number[],
  fragments: FragmentView[],
  numberOfFrames: number,
): FragmentView[][] {
  const extendedOffsets = dataset.unsigned64('ExtendedOffsetTable');
  if (extendedOffsets.length === numberOfFrames) return byOffsets(fragments, extendedOffsets);
  if (basicOffsets.length === numberOfFrames && numberOfFrames > 0) return byOffsets(fragments, basicOffsets);
  if (numberOfFrames === 1) return [fragments];
  if (fragments.length === numberOfFrames) return fragments.map((fragment) => [fragment]);
  // No usable table and more fragments than frames: a frame starts at each fragment that starts a
  // codestream (JPEG/JPEG-LS SOI FFD8, JPEG 2000 SOC FF4F, JP2 signature box).
  const groups: FragmentView[][] = [];
  for (const fragment of fragments) {
    if (startsCodestream(fragment.bytes) || groups.length === 0) groups.push([fragment]);
    else groups[groups.length - 1].push(fragment);
  }
  return groups;
}

function byOffsets(fragments: FragmentView[], offsets: readonly number[]): FragmentView[][] {
  return offsets.map((start, i) => {
    const end = i + 1 < offsets.length ? offsets[i + 1] : Number.POSITIVE_INFINITY;
    return fragments.filter((fragment) => fragment.offset >= start && fragment.offset < end);
  });
}

function startsCodestream(bytes: Uint8Array): boolean {
  if (bytes.length < 4) return false;
  if (bytes[0] === 0xff && (bytes[1] === 0xd8 || bytes[1] === 0x4f)) return true;
  return bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0 && bytes[3] === 0x0c && bytes[4] === 0x6a;
}

function concatenate(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
