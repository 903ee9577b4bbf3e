// Private attributes (PS3.5 §7.8.1): an odd group's elements gggg,0010-00FF reserve blocks by a Private
// Creator string, and gggg,bbxx belongs to the creator of block bb. Annex E removes them all unless the
// "Retain Safe Private Option" names them as safe; the safe list is by creator, not by block number,
// because the block a creator gets differs from file to file.
import { elementNumberOf, groupOf, type DataSetTree, type Tag } from './element-tree';

export interface SafePrivateAttribute {
  readonly creator: string;
  /** The odd group, e.g. 0x0019. */
  readonly group: number;
  /** The element's low byte within its block, e.g. 0x0c for gggg,bb0c. */
  readonly element: number;
}

/** The private attributes (and their creator elements) of one data set that the safe list keeps. */
export function safePrivateTags(dataSet: DataSetTree, safe: readonly SafePrivateAttribute[]): Set<Tag> {
  const kept = new Set<Tag>();
  if (safe.length === 0) return kept;
  const creators = new Map<string, { readonly tag: Tag; readonly creator: string }>();
  for (const element of dataSet) {
    const number = elementNumberOf(element.tag);
    if (groupOf(element.tag) % 2 === 1 && number >= 0x10 && number <= 0xff && element.value.kind === 'text') {
      creators.set(`${element.tag.slice(0, 4)}:${number}`, { tag: element.tag, creator: (element.value.values[0] ?? '').trim() });
    }
  }
  for (const element of dataSet) {
    const group = groupOf(element.tag);
    const number = elementNumberOf(element.tag);
    if (group % 2 === 0 || number < 0x1000) continue;
    const owner = creators.get(`${element.tag.slice(0, 4)}:${number >> 8}`);
    if (owner === undefined) continue;
    if (safe.some((s) => s.group === group && s.element === (number & 0xff) && s.creator === owner.creator)) {
      kept.add(element.tag);
      kept.add(owner.tag);
    }
  }
  return kept;
}
