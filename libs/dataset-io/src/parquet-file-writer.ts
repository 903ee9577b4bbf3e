// Writes one Parquet file as a stream of row groups: rows are encoded into column bytes as they come;
// at `rowsPerGroup` the group's pages are compressed (on the zlib thread pool, while the next group
// fills) and appended to the file, hashing the bytes as they are written. Memory: one row group being
// filled plus at most one being compressed and written. Layout per parquet-format README "File format":
// PAR1, column chunks (one DATA_PAGE v1 each), FileMetaData (Thrift compact), footer length, PAR1.
// Deterministic: no timestamps; created_by is a constant.
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { ColumnSpec, DatasetRow, RowInput } from './column-spec';
import { ColumnChunkEncoder, type EncodedColumnChunk } from './column-chunk-encoder';
import { CODEC_ID, pageCompressor, type ParquetCodec } from './page-compression';
import { leafColumns, schemaElements, type LeafColumn } from './parquet-schema';
import { binary, i16, i32, i64, list, struct, ThriftCompactWriter, type ThriftValue } from './thrift-compact';

export const PARQUET_CREATED_BY = 'qoq-forge dataset-io';
const MAGIC = Buffer.from('PAR1', 'latin1');
const Encoding = { PLAIN: 0, RLE: 3 } as const;

export interface ParquetFileOptions {
  columns: readonly ColumnSpec[];
  rowsPerGroup: number;
  codec: ParquetCodec;
  compressionLevel?: number;
  /** Written into the footer's key_value_metadata (sorted by key, so the bytes do not depend on insertion order). */
  keyValueMetadata?: Record<string, string>;
}

export interface WrittenParquetFile {
  rows: number;
  bytes: number;
  sha256: string;
}

export class ParquetFileWriter {
  private readonly leaves: LeafColumn[];
  private readonly encoders: ColumnChunkEncoder[];
  private readonly compress: (parts: Buffer[]) => Promise<Buffer[]>;
  private readonly hash: Hash = createHash('sha256');
  private readonly rowGroups: ThriftValue[] = [];
  private offset = 0;
  private rowsInGroup = 0;
  private rows = 0;
  private pending: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  private constructor(
    private readonly file: FileHandle,
    private readonly options: ParquetFileOptions,
  ) {
    this.leaves = leafColumns(options.columns);
    this.encoders = this.leaves.map((leaf) => new ColumnChunkEncoder(leaf));
    this.compress = pageCompressor(options.codec, options.compressionLevel);
  }

  static async create(path: string, options: ParquetFileOptions): Promise<ParquetFileWriter> {
    const writer = new ParquetFileWriter(await open(path, 'w'), options);
    await writer.writeBytes(MAGIC);
    return writer;
  }

  get rowCount(): number {
    return this.rows;
  }

  /**
   * Encodes one row. Returns undefined (no promise, no microtask per row) unless a row group is due;
   * then a promise that resolves once the group before it is on disk — await it for back-pressure.
   */
  append(input: RowInput): Promise<void> | undefined {
    const { encoders } = this;
    const row = input as DatasetRow;
    if (this.failure) throw this.failure;
    try {
      for (let i = 0; i < encoders.length; i++) encoders[i].append(row[encoders[i].leaf.spec.name]);
    } catch (error) {
      // The columns before the bad value already hold this row: the file can no longer be finished.
      this.failure = error;
      throw error;
    }
    this.rows++;
    if (++this.rowsInGroup >= this.options.rowsPerGroup) return this.flushRowGroup();
    return undefined;
  }

  private async writeBytes(bytes: Uint8Array): Promise<void> {
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await this.file.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    this.hash.update(bytes);
    this.offset += bytes.length;
  }

  private async flushRowGroup(): Promise<void> {
    if (this.rowsInGroup === 0) return;
    const rowCount = this.rowsInGroup;
    const chunks = this.encoders.map((encoder) => encoder.takePage());
    this.rowsInGroup = 0;
    const compressed = Promise.all(chunks.map((chunk) => this.compress(chunk.parts)));
    compressed.catch(() => undefined); // handled below, through `pending`; not an unhandled rejection meanwhile
    const previous = this.pending;
    // One group may compress while the caller fills the next; we wait here for the one before it.
    this.pending = previous.then(() => compressed).then((pages) => this.writeRowGroup(rowCount, chunks, pages));
    await previous;
  }

  private async writeRowGroup(rowCount: number, chunks: EncodedColumnChunk[], pages: Buffer[][]): Promise<void> {
    const columns: ThriftValue[] = [];
    const groupStart = this.offset;
    let groupUncompressed = 0;
    for (let c = 0; c < chunks.length; c++) {
      const leaf = this.leaves[c];
      const { byteLength, levelCount } = chunks[c];
      const body = pages[c];
      const bodyLength = body.reduce((sum, part) => sum + part.length, 0);
      // PageHeader: 1 type DATA_PAGE, 2 uncompressed_page_size, 3 compressed_page_size, 5 data_page_header
      const header = new ThriftCompactWriter()
        .struct({
          1: i32(0),
          2: i32(byteLength),
          3: i32(bodyLength),
          5: struct({ 1: i32(levelCount), 2: i32(Encoding.PLAIN), 3: i32(Encoding.RLE), 4: i32(Encoding.RLE) }),
        })
        .finish();
      const chunkStart = this.offset;
      await this.writeBytes(header);
      for (const part of body) await this.writeBytes(part);
      const uncompressed = header.length + byteLength;
      const compressedSize = header.length + bodyLength;
      groupUncompressed += uncompressed;
      // ColumnChunk: 2 file_offset, 3 ColumnMetaData {1 type, 2 encodings, 3 path, 4 codec, 5 num_values,
      // 6 total_uncompressed_size, 7 total_compressed_size, 9 data_page_offset}
      columns.push(
        struct({
          2: i64(chunkStart),
          3: struct({
            1: i32(leaf.physicalType),
            2: list('i32', [i32(Encoding.PLAIN), i32(Encoding.RLE)]),
            3: list('binary', leaf.path.map(binary)),
            4: i32(CODEC_ID[this.options.codec]),
            5: i64(levelCount),
            6: i64(uncompressed),
            7: i64(compressedSize),
            9: i64(chunkStart),
          }),
        }),
      );
    }
    // RowGroup: 1 columns, 2 total_byte_size, 3 num_rows, 5 file_offset, 6 total_compressed_size, 7 ordinal
    this.rowGroups.push(
      struct({
        1: list('struct', columns),
        2: i64(groupUncompressed),
        3: i64(rowCount),
        5: i64(groupStart),
        6: i64(this.offset - groupStart),
        7: i16(this.rowGroups.length),
      }),
    );
  }

  /** Writes the last row group and the footer, closes the file. */
  async close(): Promise<WrittenParquetFile> {
    try {
      if (this.failure) throw this.failure;
      await this.flushRowGroup();
      await this.pending;
      const keyValues = Object.entries(this.options.keyValueMetadata ?? {})
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, value]) => struct({ 1: binary(key), 2: binary(value) }));
      // FileMetaData: 1 version, 2 schema, 3 num_rows, 4 row_groups, 5 key_value_metadata, 6 created_by
      const footer = new ThriftCompactWriter()
        .struct({
          1: i32(1),
          2: schemaElements(this.options.columns),
          3: i64(this.rows),
          4: list('struct', this.rowGroups),
          5: keyValues.length > 0 ? list('struct', keyValues) : undefined,
          6: binary(PARQUET_CREATED_BY),
        })
        .finish();
      const length = Buffer.alloc(4);
      length.writeUInt32LE(footer.length);
      await this.writeBytes(Buffer.concat([footer, length, MAGIC]));
      await this.file.sync();
      return { rows: this.rows, bytes: this.offset, sha256: this.hash.digest('hex') };
    } finally {
      await this.file.close();
    }
  }

  /** Closes the file without a footer (the caller deletes it). */
  async abort(): Promise<void> {
    await this.pending.catch(() => undefined);
    await this.file.close();
  }
}
