// Rows in → row groups → shards rolled every `rowsPerShard` rows (part-00000.parquet, …). Each shard is
// written under a temporary name and renamed once its footer is on disk, so a shard name always
// denotes a complete file; its SHA-256 is computed from the bytes as they are written.
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnSpec, RowInput } from './column-spec';
import type { ParquetCodec } from './page-compression';
import { ParquetFileWriter } from './parquet-file-writer';

export interface ShardWriterOptions {
  /** The folder that receives the shards (it must exist). */
  directory: string;
  columns: readonly ColumnSpec[];
  /** Rows per row group (default 10,000): the unit of memory and of reading. */
  rowsPerGroup?: number;
  /** Rows per shard file (default 500,000). */
  rowsPerShard?: number;
  /** Page codec (default GZIP; see page-compression.ts for why not Snappy or Zstandard). */
  codec?: ParquetCodec;
  compressionLevel?: number;
  /** File-name stem (default `part`): `<stem>-00000.parquet`. */
  shardStem?: string;
  /** Footer key/value metadata of every shard (no timestamps: outputs must be byte-identical on re-runs). */
  keyValueMetadata?: Record<string, string>;
}

export interface ShardInfo {
  /** File name inside the writer's directory. */
  name: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export const DEFAULT_ROWS_PER_GROUP = 10_000;
export const DEFAULT_ROWS_PER_SHARD = 500_000;

export function shardFileName(stem: string, index: number): string {
  return `${stem}-${String(index).padStart(5, '0')}.parquet`;
}

export class ParquetShardWriter {
  private current: ParquetFileWriter | null = null;
  private currentName = '';
  private readonly shards: ShardInfo[] = [];
  private readonly rowsPerShard: number;

  constructor(private readonly options: ShardWriterOptions) {
    this.rowsPerShard = options.rowsPerShard ?? DEFAULT_ROWS_PER_SHARD;
    if (!(this.rowsPerShard > 0) || !((options.rowsPerGroup ?? DEFAULT_ROWS_PER_GROUP) > 0)) {
      throw new RangeError('rowsPerShard and rowsPerGroup must be positive');
    }
  }

  private temporaryPath(name: string): string {
    return join(this.options.directory, `.${name}.partial`);
  }

  private async openShard(): Promise<ParquetFileWriter> {
    this.currentName = shardFileName(this.options.shardStem ?? 'part', this.shards.length);
    this.current = await ParquetFileWriter.create(this.temporaryPath(this.currentName), {
      columns: this.options.columns,
      rowsPerGroup: this.options.rowsPerGroup ?? DEFAULT_ROWS_PER_GROUP,
      codec: this.options.codec ?? 'GZIP',
      compressionLevel: this.options.compressionLevel,
      keyValueMetadata: this.options.keyValueMetadata,
    });
    return this.current;
  }

  private async closeShard(): Promise<void> {
    const writer = this.current;
    if (!writer) return;
    this.current = null;
    const written = await writer.close();
    await rename(this.temporaryPath(this.currentName), join(this.options.directory, this.currentName));
    this.shards.push({ name: this.currentName, ...written });
  }

  /** Appends one row; await the result (back-pressure: it resolves when earlier row groups are on disk). */
  async append(row: RowInput): Promise<void> {
    const writer = this.current ?? (await this.openShard());
    const flushed = writer.append(row);
    if (flushed) await flushed;
    if (writer.rowCount >= this.rowsPerShard) await this.closeShard();
  }

  /** Appends every row of a (possibly async) iterable. */
  async appendAll(rows: Iterable<RowInput> | AsyncIterable<RowInput>): Promise<void> {
    for await (const row of rows) {
      // Inline fast path: no promise per row unless a group or a shard is due.
      const writer = this.current;
      if (writer && writer.rowCount + 1 < this.rowsPerShard) {
        const flushed = writer.append(row);
        if (flushed) await flushed;
      } else await this.append(row);
    }
  }

  /** Finishes the last shard; an empty dataset still gets one (empty) shard, so that readers find a file. */
  async close(): Promise<ShardInfo[]> {
    if (!this.current && this.shards.length === 0) await this.openShard();
    await this.closeShard();
    return [...this.shards];
  }

  /** Stops without finishing: removes the partial shard (finished shards stay; the caller's folder is temporary). */
  async abort(): Promise<void> {
    const writer = this.current;
    this.current = null;
    if (writer) {
      await writer.abort();
      await rm(this.temporaryPath(this.currentName), { force: true });
    }
  }
}

/** Writes every row into shards in `options.directory` and returns them in order. */
export async function writeParquetShards(
  rows: Iterable<RowInput> | AsyncIterable<RowInput>,
  options: ShardWriterOptions,
): Promise<ShardInfo[]> {
  const writer = new ParquetShardWriter(options);
  try {
    await writer.appendAll(rows);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return writer.close();
}
