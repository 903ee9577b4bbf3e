// Seeded randomness. Every item draws from its own stream, derived from (seed, dataset, item index),
// so the output never depends on which worker rendered an item or in what order.

/** FNV-1a 32-bit of a string: mixes a text key into a seed. */
export function hashKey(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A small fast PRNG (sfc32, PractRand-clean) with the draws the generator needs. */
export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spareNormal: number | undefined;

  constructor(seed: number, key = '') {
    this.#a = 0x9e3779b9;
    this.#b = seed >>> 0;
    this.#c = hashKey(key);
    this.#d = 1;
    for (let round = 0; round < 15; round += 1) this.nextUint32();
  }

  /** A child stream for a sub-key: independent of how many draws this stream has made. */
  static derive(seed: number, ...keys: Array<string | number>): Prng {
    return new Prng(seed, keys.join('/'));
  }

  nextUint32(): number {
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [low, high] inclusive. */
  intBetween(low: number, high: number): number {
    return low + this.int(high - low + 1);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** Standard normal (Marsaglia polar). */
  normal(): number {
    if (this.#spareNormal !== undefined) {
      const spare = this.#spareNormal;
      this.#spareNormal = undefined;
      return spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = this.next() * 2 - 1;
      v = this.next() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spareNormal = v * factor;
    return u * factor;
  }

  /**
   * A standard normal from a fixed table of 65,536 draws: much cheaper than normal() for per-pixel
   * noise, where the table's granularity does not matter.
   */
  tableNormal(): number {
    return NORMAL_TABLE[this.nextUint32() >>> 16];
  }

  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)];
  }

  /** Index drawn with the given (unnormalized) weights. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let draw = this.next() * total;
    for (let index = 0; index < weights.length; index += 1) {
      draw -= weights[index];
      if (draw < 0) return index;
    }
    return weights.length - 1;
  }

  shuffle<T>(values: T[]): T[] {
    for (let index = values.length - 1; index > 0; index -= 1) {
      const other = this.int(index + 1);
      [values[index], values[other]] = [values[other], values[index]];
    }
    return values;
  }

  /** A string of decimal digits (first digit non-zero). */
  digits(count: number): string {
    let text = String(1 + this.int(9));
    for (let index = 1; index < count; index += 1) text += String(this.int(10));
    return text;
  }

  /** A synthetic DICOM UID under the UUID-derived root 2.25 (PS3.5 §B.2), ≤ 64 characters. */
  uid(): string {
    return `2.25.${this.digits(38)}`;
  }
}

const NORMAL_TABLE: Float32Array = (() => {
  const source = new Prng(0x5eed, 'normal-table');
  const table = new Float32Array(65536);
  for (let index = 0; index < table.length; index += 1) table[index] = source.normal();
  return table;
})();
