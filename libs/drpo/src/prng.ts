// Seeded pseudo-random numbers for k-means++ seeding. mulberry32 (Tommy Ettinger's 32-bit generator):
// small state, fast, and fully determined by its seed, so a fit's randomness is derived from
// (run seed, domain key, k) and needs no state in a checkpoint.

import { mulberry32 } from '@qoq/runtime';

export { mulberry32 };

/** FNV-1a 32-bit hash of a string (UTF-16 code units), to derive per-fit seeds. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function derivedRandom(seed: number, ...parts: ReadonlyArray<string | number>): () => number {
  return mulberry32(fnv1a32([seed, ...parts].join('\u0000')));
}
