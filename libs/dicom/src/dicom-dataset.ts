// A typed view over a parsed data set: values by PS3.6 keyword (or by tag for private attributes),
// text decoded with the Specific Character Set, numbers read by VR in the file's byte order.
import type { DataSet, Element } from 'dicom-parser';
import { decodeText } from './character-set';
import { DICTIONARY, dictionaryVr, type Keyword } from './data-dictionary';
import type { TransferSyntaxInfo } from './transfer-syntax';

/** A tag as dicom-parser names it: `x7fe00010`; for private attributes such as `x00091001`. */
export type TagKey = `x${string}`;
export type AttributeKey = Keyword | TagKey;

// PS3.5 §6.1.2.3: these VRs carry text in the data set's character set; every other string VR is ASCII.
const CHARACTER_SET_VRS = new Set(['SH', 'LO', 'ST', 'LT', 'UT', 'UC', 'PN']);
const UNSPLIT_TEXT_VRS = new Set(['ST', 'LT', 'UT', 'UR']);

function tagOf(key: AttributeKey): string {
  return key.startsWith('x') ? key.toLowerCase() : DICTIONARY[key as Keyword][0];
}

export class DicomDataset {
  /** @internal built by parseDicom; items by sequence(). */
  constructor(
    private readonly raw: DataSet,
    readonly transferSyntax: TransferSyntaxInfo,
    private readonly characterSet: readonly string[],
    private readonly pixelRepresentationOfImage: () => number,
    readonly path?: string,
  ) {}

  has(key: AttributeKey): boolean {
    return this.raw.elements[tagOf(key)] !== undefined;
  }

  /** @internal the dicom-parser element, for pixel data framing. */
  element(key: AttributeKey): Element | undefined {
    return this.raw.elements[tagOf(key)];
  }

  /** The VR this library reads the attribute as: the file's (explicit VR) or the dictionary's. */
  vr(key: AttributeKey): string | undefined {
    const tag = tagOf(key);
    const element = this.raw.elements[tag];
    // A VR of UN in an explicit file is read by the dictionary's VR when we know it (as pydicom does).
    const vr = element?.vr === undefined || element.vr === 'UN' ? (dictionaryVr(tag) ?? element?.vr) : element.vr;
    if (vr === 'xs') return this.pixelRepresentationOfImage() === 1 ? 'SS' : 'US';
    if (vr === 'ox') return 'OW';
    return vr;
  }

  /** The whole value as text (multiple values keep their backslashes), padding removed; undefined when absent or empty. */
  string(key: AttributeKey): string | undefined {
    const bytes = this.bytes(key);
    if (bytes === undefined || bytes.length === 0) return undefined;
    const vr = this.vr(key) ?? 'UN';
    const text = CHARACTER_SET_VRS.has(vr) ? decodeText(bytes, this.characterSet) : latin1(bytes);
    // PS3.5 §6.2: values are padded with a trailing space (or NUL for UI); leading spaces matter only in text VRs.
    const trimmed = UNSPLIT_TEXT_VRS.has(vr) ? text.replace(/[\s\0]+$/, '') : text.replace(/^[ ]+|[\s\0]+$/g, '');
    return trimmed === '' ? undefined : trimmed;
  }

  /** The values of a multi-valued string attribute (split at the PS3.5 §6.4 backslash), each trimmed. */
  strings(key: AttributeKey): string[] {
    const text = this.string(key);
    if (text === undefined) return [];
    const vr = this.vr(key) ?? 'UN';
    if (UNSPLIT_TEXT_VRS.has(vr)) return [text];
    return text.split('\\').map((value) => value.replace(/^[ ]+|[\s\0]+$/g, ''));
  }

  /** One numeric value: binary VRs by their width, IS/DS parsed; undefined when absent or empty. */
  number(key: AttributeKey, index = 0): number | undefined {
    const values = this.numbers(key);
    return index < values.length ? values[index] : undefined;
  }

  numbers(key: AttributeKey): number[] {
    const element = this.element(key);
    if (element === undefined || element.length === 0) return [];
    const vr = this.vr(key);
    const tag = tagOf(key);
    if (vr === 'IS' || vr === 'DS') {
      return this.strings(key)
        .filter((value) => value !== '')
        .map(Number)
        .filter((value) => Number.isFinite(value));
    }
    const width = vr === 'US' || vr === 'SS' || vr === 'OW' ? 2 : vr === 'FD' || vr === 'OD' ? 8 : 4;
    const count = Math.floor(element.length / width);
    const read: Record<string, (index: number) => number | undefined> = {
      US: (i) => this.raw.uint16(tag, i),
      OW: (i) => this.raw.uint16(tag, i),
      SS: (i) => this.raw.int16(tag, i),
      UL: (i) => this.raw.uint32(tag, i),
      OL: (i) => this.raw.uint32(tag, i),
      SL: (i) => this.raw.int32(tag, i),
      FL: (i) => this.raw.float(tag, i),
      OF: (i) => this.raw.float(tag, i),
      FD: (i) => this.raw.double(tag, i),
      OD: (i) => this.raw.double(tag, i),
    };
    const reader = read[vr ?? 'US'] ?? read['US'];
    const values: number[] = [];
    for (let i = 0; i < count; i++) values.push(reader(i) ?? 0);
    return values;
  }

  /** 64-bit unsigned values (OV, UV: the Extended Offset Table), as bigint → number (offsets stay < 2^53). */
  unsigned64(key: AttributeKey): number[] {
    const bytes = this.bytes(key);
    if (bytes === undefined) return [];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const values: number[] = [];
    for (let at = 0; at + 8 <= bytes.length; at += 8) {
      values.push(Number(view.getBigUint64(at, this.transferSyntax.littleEndian)));
    }
    return values;
  }

  /** The items of a sequence, each a data set with the same character set and byte order. */
  sequence(key: AttributeKey): DicomDataset[] {
    const items = this.element(key)?.items ?? [];
    return items.flatMap((item) =>
      item.dataSet === undefined
        ? []
        : [new DicomDataset(item.dataSet, this.transferSyntax, this.characterSet, this.pixelRepresentationOfImage, this.path)],
    );
  }

  /** The value's bytes as stored (file byte order), a view without copying. */
  bytes(key: AttributeKey): Uint8Array | undefined {
    const element = this.element(key);
    if (element === undefined) return undefined;
    const byteArray = this.raw.byteArray;
    const end = Math.min(element.dataOffset + element.length, byteArray.length);
    return new Uint8Array(byteArray.buffer, byteArray.byteOffset + element.dataOffset, Math.max(0, end - element.dataOffset));
  }

  /** @internal the file's bytes from the value's first byte to the end (encapsulated pixel data framing). */
  bytesToEnd(key: AttributeKey): Uint8Array | undefined {
    const element = this.element(key);
    if (element === undefined) return undefined;
    return this.raw.byteArray.subarray(Math.min(element.dataOffset, this.raw.byteArray.length));
  }

  /** Every tag present at this level, in file order. */
  tags(): TagKey[] {
    return Object.keys(this.raw.elements) as TagKey[];
  }
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}
