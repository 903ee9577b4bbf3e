// Accumulates one leaf column of one row group and encodes it as a Parquet v1 data page body:
// [repetition levels][definition levels][PLAIN values] (parquet-format Encodings.md: levels are the
// RLE/bit-packing hybrid, each prefixed by its 4-byte little-endian length in DATA_PAGE v1).
// Values go straight into bytes as rows arrive, so a row group costs its encoded size, not JS objects.
import type { CellValue } from './column-spec';
import { datasetIoFailure } from './dataset-io-error';
import type { LeafColumn } from './parquet-schema';

/** Buffer#utf8Write: the same native call as Buffer#write without its argument juggling (measured: ~4× cheaper per call). */
type Utf8Writable = Buffer & { utf8Write(text: string, offset: number): number };

class ByteBuffer {
  bytes: Buffer;
  /** Bytes [0, start) are kept free for the page's levels, which are known only at the end of the group. */
  start = 0;
  length = 0;
  constructor(capacity: number) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }
  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.length + extra));
    this.bytes.copy(grown, 0, 0, this.length);
    this.bytes = grown;
  }
  reset(start = 0): void {
    this.ensureCapacity(start);
    this.start = start;
    this.length = start;
  }
  private ensureCapacity(size: number): void {
    if (size > this.bytes.length) this.bytes = Buffer.allocUnsafe(size * 2);
  }
}

/** RLE runs only (header = count << 1, then the value in one byte: level bit widths here are ≤ 2). */
function encodeLevels(levels: ByteBuffer, out: ByteBuffer): void {
  const start = out.length;
  out.ensure(4);
  out.length += 4;
  const source = levels.bytes;
  let i = 0;
  while (i < levels.length) {
    const value = source[i];
    let run = 1;
    while (i + run < levels.length && source[i + run] === value) run++;
    out.ensure(6);
    let header = run << 1;
    while (header >= 0x80) {
      out.bytes[out.length++] = (header & 0x7f) | 0x80;
      header >>>= 7;
    }
    out.bytes[out.length++] = header;
    out.bytes[out.length++] = value;
    i += run;
  }
  out.bytes.writeUInt32LE(out.length - start - 4, start);
}

export interface EncodedColumnChunk {
  /** Uncompressed page body in parts (levels, values), to be compressed or written in order. */
  parts: Buffer[];
  byteLength: number;
  /** Level entries (DataPageHeader.num_values counts nulls and empty lists too). */
  levelCount: number;
  nullCount: number;
}

export class ColumnChunkEncoder {
  // Two value buffers used in turn: a group's page is compressed and written while the next group
  // fills the other one, and the file writer waits for group k before group k + 2 starts.
  private readonly valueBuffers = [new ByteBuffer(1 << 16), new ByteBuffer(1 << 16)];
  private values = this.valueBuffers[0];
  private levelReserve = 64;
  private readonly definitionLevels = new ByteBuffer(1 << 12);
  private readonly repetitionLevels = new ByteBuffer(1 << 12);
  private booleanCount = 0;
  private levelCount = 0;
  private nullCount = 0;

  constructor(readonly leaf: LeafColumn) {
    this.values.reset(this.levelReserve);
  }

  private level(buffer: ByteBuffer, value: number): void {
    buffer.ensure(1);
    buffer.bytes[buffer.length++] = value;
  }

  private invalid(value: unknown, expected: string): never {
    const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
    throw datasetIoFailure('DATASET_ROW_INVALID', `column "${this.leaf.spec.name}" expects ${expected}, got ${shown}`, this.leaf.spec.name);
  }

  private element(value: unknown): void {
    const out = this.values;
    switch (this.leaf.elementKind) {
      case 'string': {
        if (typeof value !== 'string') this.invalid(value, 'a string');
        // UTF-16 code unit → at most 3 UTF-8 bytes (an astral pair: 2 units → 4 bytes).
        out.ensure(4 + value.length * 3);
        const written = (out.bytes as Utf8Writable).utf8Write(value, out.length + 4);
        out.bytes.writeUInt32LE(written, out.length);
        out.length += 4 + written;
        return;
      }
      case 'double':
        if (typeof value !== 'number') this.invalid(value, 'a number');
        out.ensure(8);
        out.bytes.writeDoubleLE(value, out.length);
        out.length += 8;
        return;
      case 'int32':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < -2147483648 || value > 2147483647) this.invalid(value, 'a 32-bit integer');
        out.ensure(4);
        out.bytes.writeInt32LE(value, out.length);
        out.length += 4;
        return;
      case 'int64': {
        if (typeof value === 'number' && !Number.isSafeInteger(value)) this.invalid(value, 'a safe integer or a bigint');
        if (typeof value !== 'number' && typeof value !== 'bigint') this.invalid(value, 'an integer');
        out.ensure(8);
        out.bytes.writeBigInt64LE(BigInt(value), out.length);
        out.length += 8;
        return;
      }
      case 'bool':
        if (typeof value !== 'boolean') this.invalid(value, 'a boolean');
        // PLAIN booleans are bit-packed, least significant bit first.
        out.ensure(1);
        if ((this.booleanCount & 7) === 0) out.bytes[out.length++] = 0;
        if (value) out.bytes[out.length - 1] |= 1 << (this.booleanCount & 7);
        this.booleanCount++;
    }
  }

  append(value: CellValue | undefined): void {
    const { leaf } = this;
    const nullable = leaf.spec.nullable;
    if (value === null || value === undefined) {
      if (!nullable) this.invalid(value, 'a value (the column is not nullable)');
      this.nullCount++;
      this.levelCount++;
      this.level(this.definitionLevels, 0);
      if (leaf.isList) this.level(this.repetitionLevels, 0);
      return;
    }
    if (!leaf.isList) {
      this.levelCount++;
      if (nullable) this.level(this.definitionLevels, 1);
      this.element(value);
      return;
    }
    if (!Array.isArray(value)) this.invalid(value, 'a list');
    const list = value as readonly unknown[];
    // Nested encoding: def = nullable(0/1) + 1 for each element present; rep 0 starts a row, 1 continues.
    const base = nullable ? 1 : 0;
    if (list.length === 0) {
      this.levelCount++;
      this.level(this.definitionLevels, base);
      this.level(this.repetitionLevels, 0);
      return;
    }
    for (let i = 0; i < list.length; i++) {
      const item = list[i];
      if (item === null || item === undefined) this.invalid(item, 'list elements that are not null');
      this.levelCount++;
      this.level(this.definitionLevels, base + 1);
      this.level(this.repetitionLevels, i === 0 ? 0 : 1);
      this.element(item);
    }
  }

  /**
   * The page body of everything appended since the last call — [repetition levels][definition levels]
   * [values] in one contiguous buffer when the levels fit the space reserved in front of the values
   * (the reserve adapts to the previous group), else as two parts. The encoder then fills its other buffer.
   */
  takePage(): EncodedColumnChunk {
    const { leaf } = this;
    const levels = new ByteBuffer(this.definitionLevels.length * 2 + this.repetitionLevels.length * 2 + 16);
    if (leaf.maxRepetitionLevel > 0) encodeLevels(this.repetitionLevels, levels);
    if (leaf.maxDefinitionLevel > 0) encodeLevels(this.definitionLevels, levels);
    const values = this.values;
    let parts: Buffer[];
    if (levels.length <= values.start) {
      const pageStart = values.start - levels.length;
      levels.bytes.copy(values.bytes, pageStart, 0, levels.length);
      parts = [values.bytes.subarray(pageStart, values.length)];
    } else {
      parts = [levels.bytes.subarray(0, levels.length), values.bytes.subarray(values.start, values.length)];
    }
    const chunk = { parts, byteLength: levels.length + values.length - values.start, levelCount: this.levelCount, nullCount: this.nullCount };
    this.levelReserve = Math.max(64, Math.ceil(levels.length * 1.25));
    this.values = values === this.valueBuffers[0] ? this.valueBuffers[1] : this.valueBuffers[0];
    this.values.reset(this.levelReserve);
    this.definitionLevels.reset();
    this.repetitionLevels.reset();
    this.booleanCount = this.levelCount = this.nullCount = 0;
    return chunk;
  }
}
