// The element walker (PS3.5 §7: data elements, §7.5: sequences and items). dicom-parser 1.8's own walker
// predates the 64-bit VRs (OV, SV, UV — the Extended Offset Table is OV) and reads their 4-byte length as
// 2 bytes, losing the rest of the file; it also finds the end of undefined-length Pixel Data by searching
// for delimiter bytes, which can occur inside a codestream. So elements are walked here, and dicom-parser's
// DataSet is kept for reading values (uint16, float, string …) in the right byte order.
import dicomParser, { type ByteArrayParser, type DataSet, type Element } from 'dicom-parser';
import { isKnownSequenceTag } from './data-dictionary';

/** PS3.5 §7.1.2: these explicit VRs have 2 reserved bytes and a 32-bit length. */
const LONG_LENGTH_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);
const UNDEFINED = 0xffffffff;
const ITEM = 0xfffee000;
const ITEM_DELIMITATION = 0xfffee00d;
const SEQUENCE_DELIMITATION = 0xfffee0dd;

export class DataSetTruncated extends Error {}

export interface WalkOptions {
  readonly littleEndian: boolean;
  readonly explicitVr: boolean;
}

type DataSetConstructor = new (parser: ByteArrayParser, byteArray: Uint8Array, elements: Record<string, Element>) => DataSet;
const DataSetClass = (dicomParser as unknown as { DataSet: DataSetConstructor }).DataSet;

export function walkDataSet(byteArray: Uint8Array, offset: number, options: WalkOptions): DataSet {
  const parser = options.littleEndian ? dicomParser.littleEndianByteArrayParser : dicomParser.bigEndianByteArrayParser;
  const walker = new Walker(byteArray, parser, options);
  const elements: Record<string, Element> = {};
  const dataSet = new DataSetClass(parser, byteArray, elements);
  dataSet.warnings = [];
  walker.readElements(elements, offset, byteArray.length, false, options.explicitVr);
  return dataSet;
}

class Walker {
  constructor(
    private readonly bytes: Uint8Array,
    private readonly parser: ByteArrayParser,
    private readonly options: WalkOptions,
  ) {}

  private u16(at: number, littleEndian: boolean): number {
    if (at + 2 > this.bytes.length) throw new DataSetTruncated('an element header is cut off');
    return littleEndian ? this.bytes[at] | (this.bytes[at + 1] << 8) : (this.bytes[at] << 8) | this.bytes[at + 1];
  }

  private u32(at: number, littleEndian: boolean): number {
    if (at + 4 > this.bytes.length) throw new DataSetTruncated('an element header is cut off');
    const b = this.bytes;
    return littleEndian
      ? (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16)) + b[at + 3] * 0x1000000
      : b[at] * 0x1000000 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
  }

  private tagAt(at: number, littleEndian: boolean): number {
    return this.u16(at, littleEndian) * 0x10000 + this.u16(at + 2, littleEndian);
  }

  /**
   * Reads elements from `start` to `end` (or to an Item Delimitation Item when `inUndefinedItem`).
   * Returns the position after the last element (after the delimiter, if any).
   */
  readElements(elements: Record<string, Element>, start: number, end: number, inUndefinedItem: boolean, explicitVr: boolean, littleEndian = this.options.littleEndian): number {
    let at = start;
    while (at < end) {
      // A lone trailing pad byte or two (some writers) is not an element.
      if (end - at < 8 && !inUndefinedItem) {
        if (this.bytes.subarray(at, end).every((b) => b === 0)) return end;
        throw new DataSetTruncated('an element header is cut off');
      }
      const tag = this.tagAt(at, littleEndian);
      if (tag === ITEM_DELIMITATION) return at + 8;
      let vr: string | undefined;
      let length: number;
      let dataOffset: number;
      const tagKey = 'x' + tag.toString(16).padStart(8, '0');
      if (explicitVr && tag !== ITEM && tag !== SEQUENCE_DELIMITATION) {
        vr = String.fromCharCode(this.bytes[at + 4], this.bytes[at + 5]);
        if (LONG_LENGTH_VRS.has(vr) || !/^[A-Z]{2}$/.test(vr)) {
          length = this.u32(at + 8, littleEndian);
          dataOffset = at + 12;
        } else {
          length = this.u16(at + 6, littleEndian);
          dataOffset = at + 8;
        }
      } else {
        length = this.u32(at + 4, littleEndian);
        dataOffset = at + 8;
        if (isKnownSequenceTag(tagKey) || this.startsWithItem(dataOffset, length, littleEndian)) vr = 'SQ';
      }
      const element: Element = { tag: tagKey, vr, length, dataOffset };
      if (length === UNDEFINED) {
        element.hadUndefinedLength = true;
        if (tagKey === 'x7fe00010' || (vr !== undefined && vr !== 'SQ' && vr !== 'UN')) {
          // Encapsulated Pixel Data (PS3.5 §A.4): items walked by their lengths up to the delimiter.
          at = this.skipItems(dataOffset, littleEndian);
          element.length = at - 8 - dataOffset;
        } else {
          // SQ, UN with undefined length (PS3.5 §6.2.2: an implicit VR little endian sequence), or an
          // implicit VR element of undefined length, which can only be a sequence.
          const implicitItems = vr === 'UN' ? false : explicitVr;
          const itemsLittleEndian = vr === 'UN' ? true : littleEndian;
          element.vr = 'SQ';
          element.items = [];
          at = this.readItems(element.items, dataOffset, Number.POSITIVE_INFINITY, implicitItems, itemsLittleEndian);
          element.length = at - 8 - dataOffset;
        }
      } else {
        if (dataOffset + length > this.bytes.length) {
          // The last element may be cut: keep it (Pixel Data is judged by the decoder) and stop.
          elements[tagKey] = element;
          if (tagKey === 'x7fe00010') return this.bytes.length;
          throw new DataSetTruncated(`element (${tagKey.slice(1, 5)},${tagKey.slice(5)}) runs past the end of the file`);
        }
        if (vr === 'SQ') {
          element.items = [];
          this.readItems(element.items, dataOffset, dataOffset + length, explicitVr, littleEndian);
        } else if (vr === 'UN' && this.startsWithItem(dataOffset, length, true)) {
          // PS3.5 §6.2.2: a sequence whose VR was lost to UN is encoded as implicit VR little endian.
          element.vr = 'SQ';
          element.items = [];
          this.readItems(element.items, dataOffset, dataOffset + length, false, true);
        }
        at = dataOffset + length;
      }
      elements[tagKey] = element;
    }
    if (inUndefinedItem) throw new DataSetTruncated('an item has no Item Delimitation Item');
    return at;
  }

  /**
   * Implicit VR names no VR: a value that opens with an Item tag whose length fits inside it is a
   * sequence (private and unlisted sequences, PS3.5 §7.5). Pixel-like binary values do not start so.
   */
  private startsWithItem(dataOffset: number, length: number, littleEndian: boolean): boolean {
    if (length === UNDEFINED || length < 8 || dataOffset + 8 > this.bytes.length) return false;
    if (this.tagAt(dataOffset, littleEndian) !== ITEM) return false;
    const itemLength = this.u32(dataOffset + 4, littleEndian);
    return itemLength === UNDEFINED || itemLength + 8 <= length;
  }

  private readItems(items: Element[], start: number, end: number, explicitVr: boolean, littleEndian: boolean): number {
    let at = start;
    while (at < end) {
      if (end === Number.POSITIVE_INFINITY && at + 8 > this.bytes.length) {
        throw new DataSetTruncated('a sequence has no Sequence Delimitation Item');
      }
      const tag = this.tagAt(at, littleEndian);
      const length = this.u32(at + 4, littleEndian);
      if (tag === SEQUENCE_DELIMITATION) return at + 8;
      if (tag !== ITEM) throw new DataSetTruncated(`a sequence holds tag ${tag.toString(16)} where an item belongs`);
      const elements: Record<string, Element> = {};
      const dataSet = new DataSetClass(littleEndian ? dicomParser.littleEndianByteArrayParser : dicomParser.bigEndianByteArrayParser, this.bytes, elements);
      dataSet.warnings = [];
      const item: Element = { tag: 'xfffee000', length, dataOffset: at + 8, dataSet };
      if (length === UNDEFINED) {
        item.hadUndefinedLength = true;
        at = this.readElements(elements, at + 8, this.bytes.length, true, explicitVr, littleEndian);
        item.length = at - 8 - item.dataOffset;
      } else {
        if (at + 8 + length > this.bytes.length) throw new DataSetTruncated('an item runs past the end of the file');
        this.readElements(elements, at + 8, at + 8 + length, false, explicitVr, littleEndian);
        at += 8 + length;
      }
      items.push(item);
    }
    return at;
  }

  private skipItems(start: number, littleEndian: boolean): number {
    let at = start;
    for (;;) {
      if (at + 8 > this.bytes.length) return this.bytes.length + 8; // cut short: decoder reports it
      const tag = this.tagAt(at, littleEndian);
      const length = this.u32(at + 4, littleEndian);
      if (tag === SEQUENCE_DELIMITATION) return at + 8;
      if (tag !== ITEM || length === UNDEFINED) return this.bytes.length + 8;
      at += 8 + length;
    }
  }
}
