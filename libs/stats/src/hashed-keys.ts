// Membership and lookup over millions of corpus strings (media paths, row ids) without holding the
// strings: each is reduced to 64 bits of its MD5 (a collision among 2.6 M keys has probability ~2·10⁻⁷,
// and would only move one media file or near-duplicate pair between two groups), kept in one sorted
// BigUint64Array (8 bytes a key) and found by binary search.
import { createHash } from 'node:crypto';

export function key64(text: string): bigint {
  return createHash('md5').update(text).digest().readBigUInt64BE(0);
}

const TAG_BITS = 16n;
const TAG_MASK = (1n << TAG_BITS) - 1n;

/** Keys added one by one, then frozen (sorted) for lookups; each key may carry a 16-bit tag (e.g. a dataset ordinal). */
export class HashedKeySet {
  private keys = new BigUint64Array(1024);
  private size = 0;
  private frozen = false;

  /** Adds `text`; with a tag, the low 16 bits of its key hold the tag (48 bits of hash remain). */
  add(text: string, tag?: number): void {
    if (this.frozen) throw new Error('internal: HashedKeySet is frozen');
    if (this.size === this.keys.length) {
      const grown = new BigUint64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    const key = key64(text);
    this.keys[this.size++] = tag === undefined ? key : (key & ~TAG_MASK) | BigInt(tag);
  }

  freeze(): void {
    if (this.frozen) return;
    this.keys = this.keys.slice(0, this.size).sort();
    this.frozen = true;
  }

  get count(): number {
    return this.size;
  }

  has(text: string): boolean {
    this.freeze();
    const key = key64(text);
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.keys[mid];
      if (value === key) return true;
      if (value < key) low = mid + 1;
      else high = mid - 1;
    }
    return false;
  }

  /** The tag stored with `text` (keys added with a tag), or null when absent. */
  tagOf(text: string): number | null {
    this.freeze();
    const wanted = key64(text) >> TAG_BITS;
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const value = this.keys[mid] >> TAG_BITS;
      if (value === wanted) return Number(this.keys[mid] & TAG_MASK);
      if (value < wanted) low = mid + 1;
      else high = mid - 1;
    }
    return null;
  }
}
