// Reads a dataset folder only after checking it against its manifest (verifyDataset), then streams the
// selected columns of its shards in manifest order.
import { join } from 'node:path';
import type { DatasetRow } from './column-spec';
import { verifyDataset, type DatasetManifest, type VerifyOptions } from './dataset-manifest';
import { readParquetColumnBatches, readParquetRows, type ColumnBatch, type ParquetReadSelection } from './parquet-reader';

export interface DatasetReadOptions extends ParquetReadSelection, VerifyOptions {
  /** Read only the shards of this split, where shards carry one (manifest `split`). */
  split?: string;
}

export interface OpenedDataset {
  manifest: DatasetManifest;
  rows(): AsyncGenerator<DatasetRow>;
  columnBatches(): AsyncGenerator<ColumnBatch & { shard: string }>;
}

export async function openDataset(folder: string, options: DatasetReadOptions = {}): Promise<OpenedDataset> {
  const manifest = await verifyDataset(folder, options);
  const shards = manifest.shards.filter((shard) => options.split === undefined || shard.split === options.split);
  const selection: ParquetReadSelection = { columns: options.columns };
  return {
    manifest,
    async *rows() {
      for (const shard of shards) yield* readParquetRows(join(folder, shard.path), selection);
    },
    async *columnBatches() {
      for (const shard of shards) {
        for await (const batch of readParquetColumnBatches(join(folder, shard.path), selection)) yield { ...batch, shard: shard.path };
      }
    },
  };
}
