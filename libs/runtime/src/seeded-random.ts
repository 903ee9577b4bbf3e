// One seeded PRNG for the whole workspace (k-means++ seeding, synthetic data, benchmarks), so every
// seeded result is reproducible from its seed alone.

/** mulberry32 (Tommy Ettinger's 32-bit generator): floats in [0, 1), fully determined by the seed. */
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
