import { describe, expect, it } from 'vitest';
import { ScratchArena } from './scratch-arena';

describe('ScratchArena', () => {
  it('hands out zeroed, aligned, non-overlapping views, and earlier views survive a growth', () => {
    const arena = new ScratchArena();
    const bytes = arena.take(Uint8Array, 3, false);
    bytes.set([1, 2, 3]);
    const words = arena.take(Float64Array, 4);
    expect(words.byteOffset % 8).toBe(0);
    expect([...words]).toEqual([0, 0, 0, 0]);
    words.fill(7);
    const big = arena.take(Uint16Array, 1000); // past the capacity: a new buffer
    expect([...bytes]).toEqual([1, 2, 3]);
    expect([...words]).toEqual([7, 7, 7, 7]);
    expect(big.every((value) => value === 0)).toBe(true);
  });

  it('settles at its peak size: the next unit of work reuses the same memory, zeroed again', () => {
    const arena = new ScratchArena();
    const unit = () => [arena.take(Uint8Array, 10_000, false), arena.take(Int16Array, 5_000), arena.take(Uint8Array, 2_500)] as const;
    unit()[1].fill(-1);
    arena.reset();
    const capacity = arena.capacity;
    const [, second] = unit();
    expect(arena.capacity).toBe(capacity);
    expect(second.every((value) => value === 0)).toBe(true);
    arena.reset();
    const [file] = unit();
    expect(file.buffer).toBe(second.buffer);
  });

  it('gives very large memory back on resetAndTrim', () => {
    const arena = new ScratchArena();
    arena.take(Uint8Array, 1 << 20);
    arena.resetAndTrim(1 << 22);
    expect(arena.capacity).toBeGreaterThan(0);
    arena.resetAndTrim(1 << 10);
    expect(arena.capacity).toBe(0);
  });
});
