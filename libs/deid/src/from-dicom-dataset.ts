// Adapter from @qoq/dicom's parsed data set to the element tree: text decoded with the Specific
// Character Set (PS3.5 §6.1.2.3), numbers by VR, sequences recursively, pixel data left in the source.
import type { DicomDataset, TagKey } from '@qoq/dicom';
import { NUMBER_VRS, TEXT_VRS, type DataSetTree, type DicomElement, type ElementValue } from './element-tree';

const PIXEL_DATA_TAGS = new Set(['7FE00010', '7FE00008', '7FE00009']);
// Item and delimitation tags (PS3.5 §7.5) are framing, not attributes.
const FRAMING_GROUP = 'FFFE';

export function fromDicomDataset(dataSet: DicomDataset): DataSetTree {
  const elements: DicomElement[] = [];
  for (const key of dataSet.tags()) {
    const tag = key.slice(1).toUpperCase();
    if (tag.startsWith(FRAMING_GROUP)) continue;
    const vr = dataSet.vr(key) ?? 'UN';
    elements.push({ tag, vr, value: valueOf(dataSet, key, tag, vr) });
  }
  return elements.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
}

function valueOf(dataSet: DicomDataset, key: TagKey, tag: string, vr: string): ElementValue {
  if (vr === 'SQ') return { kind: 'items', items: dataSet.sequence(key).map(fromDicomDataset) };
  if (PIXEL_DATA_TAGS.has(tag)) {
    const element = dataSet.element(key);
    return { kind: 'bulk', byteLength: Math.max(0, element?.length ?? 0) };
  }
  if (TEXT_VRS.has(vr)) return { kind: 'text', values: dataSet.strings(key) };
  if (vr === 'AT') return { kind: 'numbers', values: attributeTags(dataSet.bytes(key), dataSet.transferSyntax.littleEndian) };
  if (vr === 'SV' || vr === 'UV') return { kind: 'bytes', bytes: Uint8Array.from(dataSet.bytes(key) ?? []) };
  if (NUMBER_VRS.has(vr)) return { kind: 'numbers', values: dataSet.numbers(key) };
  return { kind: 'bytes', bytes: Uint8Array.from(dataSet.bytes(key) ?? []) };
}

/** AT (PS3.5 §6.2): pairs of 16-bit group and element numbers, as one GGGGEEEE number each. */
function attributeTags(bytes: Uint8Array | undefined, littleEndian: boolean): number[] {
  if (bytes === undefined) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tags: number[] = [];
  for (let at = 0; at + 4 <= bytes.length; at += 4) {
    tags.push(view.getUint16(at, littleEndian) * 0x10000 + view.getUint16(at + 2, littleEndian));
  }
  return tags;
}
