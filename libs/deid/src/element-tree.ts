// The data set as de-identification sees it: a tree of elements with tags, VRs and decoded values
// (PS3.5 §7.1: data element = tag, VR, value; §7.5: a sequence's value is a list of items, each a data set).
// Text is already decoded from the Specific Character Set, so rules and scans work on characters.

/** GGGGEEEE in upper-case hex, e.g. `00100010` for Patient's Name. */
export type Tag = string;

export type ElementValue =
  /** String VRs (AE AS CS DA DS DT IS LO LT PN SH ST TM UC UI UR UT): one string per value (PS3.5 §6.4). */
  | { readonly kind: 'text'; readonly values: readonly string[] }
  /** Binary numeric VRs (US SS UL SL FL FD SV UV) and AT (as GGGGEEEE numbers). */
  | { readonly kind: 'numbers'; readonly values: readonly number[] }
  /** Other-byte VRs (OB OW OF OD OL OV UN): the stored bytes. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array }
  /** Pixel data left in the source data set (decoded from there by @qoq/dicom); only its length here. */
  | { readonly kind: 'bulk'; readonly byteLength: number }
  /** SQ: the items, each a data set. */
  | { readonly kind: 'items'; readonly items: readonly DataSetTree[] };

export interface DicomElement {
  readonly tag: Tag;
  readonly vr: string;
  readonly value: ElementValue;
}

/** One data set (top level or a sequence item): elements in ascending tag order. */
export type DataSetTree = readonly DicomElement[];

export const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UI', 'UR', 'UT']);
export const NUMBER_VRS = new Set(['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV', 'AT']);

export function groupOf(tag: Tag): number {
  return Number.parseInt(tag.slice(0, 4), 16);
}

export function elementNumberOf(tag: Tag): number {
  return Number.parseInt(tag.slice(4, 8), 16);
}

/** PS3.5 §7.8: attributes of odd groups (other than 0001, 0003, 0005, 0007, FFFF, which are illegal) are private. */
export function isPrivateTag(tag: Tag): boolean {
  return groupOf(tag) % 2 === 1;
}

/** `(0010,0010)` — the form audits name an attribute by when it has no keyword. */
export function tagLabel(tag: Tag): string {
  return `(${tag.slice(0, 4)},${tag.slice(4, 8)})`;
}

export function findElement(dataSet: DataSetTree, tag: Tag): DicomElement | undefined {
  return dataSet.find((element) => element.tag === tag);
}

/** The first value of a text element, trimmed; undefined when absent or empty. */
export function firstText(dataSet: DataSetTree, tag: Tag): string | undefined {
  const element = findElement(dataSet, tag);
  if (element?.value.kind !== 'text') return undefined;
  const value = element.value.values[0]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

export function textValues(dataSet: DataSetTree, tag: Tag): string[] {
  const element = findElement(dataSet, tag);
  return element?.value.kind === 'text' ? element.value.values.map((value) => value.trim()) : [];
}

/** The first number of a numeric element (binary VRs, or IS / DS text). */
export function firstNumber(dataSet: DataSetTree, tag: Tag): number | undefined {
  const element = findElement(dataSet, tag);
  if (element === undefined) return undefined;
  if (element.value.kind === 'numbers') return element.value.values[0];
  if (element.value.kind === 'text' && element.value.values[0] !== undefined && element.value.values[0].trim() !== '') {
    const number = Number(element.value.values[0]);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}
