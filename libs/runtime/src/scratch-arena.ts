// Memory reused from one unit of work to the next (one file in a worker thread). Fresh large
// allocations are expensive where memory pages are handed out lazily and given back to the host (VMs
// with free-page reporting, as CI and the development machine are): the first touch of a new 10 MB
// typed array costs ~45 ms there, ten times the copy itself, whereas memory already touched costs ~1 ms.
// An arena hands out views of one buffer that stays mapped; `reset()` starts the next unit of work and
// makes every earlier view's contents undefined, so only code that is done with them may call it.

export interface TypedArrayConstructor<T> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Views are aligned to this many bytes, enough for every typed array (Float64Array, BigInt64Array). */
const ALIGNMENT = 8;

export class ScratchArena {
  private buffer = new ArrayBuffer(0);
  private used = 0;

  /** Starts the next unit of work: earlier views may be overwritten from now on. */
  reset(): void {
    this.used = 0;
  }

  /**
   * Starts the next unit of work and gives the memory back when it exceeds `maxBytes`: one very
   * large input (a multi-gigabyte file) should not pin its memory for the rest of the run.
   */
  resetAndTrim(maxBytes: number): void {
    this.used = 0;
    if (this.buffer.byteLength > maxBytes) this.buffer = new ArrayBuffer(0);
  }

  /** Bytes currently held (the largest unit of work so far, at most twice over). */
  get capacity(): number {
    return this.buffer.byteLength;
  }

  /**
   * A typed array of `length` elements. Zero-filled unless `zeroed` is false (for memory the caller
   * overwrites whole, such as a file read into it).
   */
  take<T>(type: TypedArrayConstructor<T>, length: number, zeroed = true): T {
    const byteLength = length * type.BYTES_PER_ELEMENT;
    const start = Math.ceil(this.used / ALIGNMENT) * ALIGNMENT;
    if (start + byteLength > this.buffer.byteLength) {
      // A new buffer; views already handed out keep the old one alive until they are dropped. It is
      // sized for everything this unit of work has taken so far and twice over, so the next unit,
      // after reset(), most likely fits in it whole: the arena settles at its peak size in one step.
      this.buffer = new ArrayBuffer(2 * Math.max(this.used + byteLength, this.buffer.byteLength));
      this.used = 0;
      return this.take(type, length, zeroed);
    }
    this.used = start + byteLength;
    if (zeroed) new Uint8Array(this.buffer, start, byteLength).fill(0);
    return new type(this.buffer, start, length);
  }
}
