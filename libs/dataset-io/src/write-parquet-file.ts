// One Parquet file (a stage's metadata table: dicom.parquet, ecg.parquet, provenance.parquet) written
// the same way as a corpus shard — row groups, annotated LISTs, no timestamps — under a temporary name,
// renamed into place only once complete.
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ColumnSpec, RowInput } from './column-spec';
import type { ParquetCodec } from './page-compression';
import { ParquetFileWriter, type WrittenParquetFile } from './parquet-file-writer';
import { DEFAULT_ROWS_PER_GROUP } from './parquet-shard-writer';

export interface ParquetFileWriteOptions {
  columns: readonly ColumnSpec[];
  rowsPerGroup?: number;
  codec?: ParquetCodec;
  keyValueMetadata?: Record<string, string>;
}

export async function writeParquetFile(
  path: string,
  rows: Iterable<RowInput> | AsyncIterable<RowInput>,
  options: ParquetFileWriteOptions,
): Promise<WrittenParquetFile> {
  const temporary = join(dirname(path), `.${basename(path)}.partial`);
  const writer = await ParquetFileWriter.create(temporary, {
    columns: options.columns,
    rowsPerGroup: options.rowsPerGroup ?? DEFAULT_ROWS_PER_GROUP,
    codec: options.codec ?? 'GZIP',
    keyValueMetadata: options.keyValueMetadata,
  });
  let written: WrittenParquetFile;
  try {
    for await (const row of rows) {
      const flushed = writer.append(row);
      if (flushed) await flushed;
    }
    written = await writer.close();
  } catch (error) {
    await writer.abort().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
  await rename(temporary, path);
  return written;
}
