// The seeded sampler over the training rows, and the per-step random streams of a run. Every random
// draw of a run comes from mulberry32 seeded by a hash of (run seed, purpose, step or epoch), so a step's
// randomness does not depend on how the run got there: a resumed run draws exactly what an
// uninterrupted one would, and the sampler's whole state is two integers.
import { mulberry32 } from '@qoq/runtime';

/** FNV-1a 32-bit over the parts joined by NUL: a stable seed for one purpose of one step. */
export function streamSeed(seed: number, ...parts: ReadonlyArray<string | number>): number {
  const text = [seed, ...parts].join('\u0000');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** A uniform [0, 1) stream for one purpose (`rollout`, `minibatch`, `bootstrap`, …) of a run. */
export function randomStream(seed: number, ...parts: ReadonlyArray<string | number>): () => number {
  return mulberry32(streamSeed(seed, ...parts));
}

/** Fisher–Yates with the given stream. */
export function shuffleInPlace<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

export interface SamplerState {
  /** The epoch being drawn from (0-based). */
  readonly epoch: number;
  /** How many items of the epoch's permutation are used. */
  readonly position: number;
  /** Swaps [i, j] made in this epoch's permutation to keep a batch free of repeats (few, at its start). */
  readonly swaps: ReadonlyArray<readonly [number, number]>;
}

/**
 * Epochs over `count` items, each a seeded permutation; a batch never holds the same item twice (at an
 * epoch boundary an item already in the batch is swapped with a later one of the new epoch, and the
 * swap is part of the state).
 */
export class QuestionSampler {
  private permutation: number[];
  private epoch: number;
  private position: number;
  private swaps: Array<[number, number]>;

  constructor(
    private readonly count: number,
    private readonly seed: number,
    state: SamplerState = { epoch: 0, position: 0, swaps: [] },
  ) {
    if (!(Number.isInteger(count) && count > 0)) throw new RangeError('the sampler needs at least one item');
    this.epoch = state.epoch;
    this.position = state.position;
    this.permutation = this.permutationOf(state.epoch);
    this.swaps = state.swaps.map(([i, j]) => [i, j]);
    for (const [i, j] of this.swaps) [this.permutation[i], this.permutation[j]] = [this.permutation[j], this.permutation[i]];
  }

  private permutationOf(epoch: number): number[] {
    return shuffleInPlace(Array.from({ length: this.count }, (_, i) => i), randomStream(this.seed, 'sampler', epoch));
  }

  get state(): SamplerState {
    return { epoch: this.epoch, position: this.position, swaps: this.swaps.map(([i, j]) => [i, j] as const) };
  }

  /** The next `size` distinct item indices. */
  nextBatch(size: number): number[] {
    if (size > this.count) throw new RangeError(`a batch of ${size} needs at least ${size} training rows, there are ${this.count}`);
    const batch: number[] = [];
    const inBatch = new Set<number>();
    while (batch.length < size) {
      if (this.position >= this.count) {
        this.epoch++;
        this.permutation = this.permutationOf(this.epoch);
        this.position = 0;
        this.swaps = [];
      }
      let at = this.position;
      while (inBatch.has(this.permutation[at])) at++;
      // `at` < count: fewer than `size` ≤ count items are in the batch.
      if (at !== this.position) {
        [this.permutation[this.position], this.permutation[at]] = [this.permutation[at], this.permutation[this.position]];
        this.swaps.push([this.position, at]);
      }
      const item = this.permutation[this.position++];
      batch.push(item);
      inBatch.add(item);
    }
    return batch;
  }
}
