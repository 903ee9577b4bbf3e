// Seeded pseudo-random numbers for k-means++ seeding. mulberry32 (Tommy Ettinger's 32-bit generator):
// small state, fast, and fully determined by its seed, so a fit's randomness is derived from
// (run seed, domain key, k) and needs no state in a checkpoint.

/** mulberry32: returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

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
