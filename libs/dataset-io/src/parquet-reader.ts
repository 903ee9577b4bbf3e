// Streaming reader of selected columns, one row group at a time (hyparquet reads only the byte ranges
// of the requested column chunks). Yields column batches or rows; INT64 comes back as bigint.
import { parquetMetadataAsync, parquetRead, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { open } from 'node:fs/promises';
import type { Compressors } from 'hyparquet/src/types.js';
import * as zlib from 'node:zlib';
import type { CellValue, DatasetRow } from './column-spec';

interface ZstdZlib {
  zstdDecompressSync?: (buffer: Uint8Array) => Buffer;
}

/** hyparquet decodes Snappy itself; GZIP and (where Node has it) ZSTD through native zlib. */
const DECOMPRESSORS: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  ...((zlib as unknown as ZstdZlib).zstdDecompressSync
    ? { ZSTD: (input: Uint8Array) => (zlib as unknown as Required<ZstdZlib>).zstdDecompressSync(input) }
    : {}),
};

export interface ColumnBatch {
  /** Index of the batch's first row in the file. */
  rowStart: number;
  rowCount: number;
  /** The selected columns, in the order asked for (or the file's order). */
  columnNames: readonly string[];
  columns: Record<string, ArrayLike<CellValue>>;
}

export interface ParquetReadSelection {
  /** Top-level column names to read (default: all). */
  columns?: readonly string[];
}

/**
 * Byte ranges read straight into their own ArrayBuffer through one file handle (hyparquet's
 * asyncBufferFromFile opens a stream per range and copies twice: measurable on 8 MB pages).
 */
async function openAsyncBuffer(path: string): Promise<AsyncBuffer & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const bytes = new Uint8Array(Math.max(0, end - start));
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesRead } = await handle.read(bytes, offset, bytes.length - offset, start + offset);
        if (bytesRead === 0) throw new RangeError(`${path}: unexpected end of file at byte ${start + offset}`);
        offset += bytesRead;
      }
      return bytes.buffer;
    },
    close: () => handle.close(),
  };
}

export async function readParquetMetadata(path: string): Promise<FileMetaData> {
  const file = await openAsyncBuffer(path);
  try {
    return await parquetMetadataAsync(file);
  } finally {
    await file.close();
  }
}

/** One batch per row group, holding only the selected columns. */
export async function* readParquetColumnBatches(path: string, selection: ParquetReadSelection = {}): AsyncGenerator<ColumnBatch> {
  const file = await openAsyncBuffer(path);
  try {
    yield* readBatches(path, file, selection);
  } finally {
    await file.close();
  }
}

async function* readBatches(path: string, file: AsyncBuffer, selection: ParquetReadSelection): AsyncGenerator<ColumnBatch> {
  const metadata = await parquetMetadataAsync(file);
  const available = topLevelNames(metadata);
  const names = selection.columns ? [...selection.columns] : available;
  const unknown = names.find((name) => !available.includes(name));
  if (unknown !== undefined) throw new RangeError(`${path} has no column "${unknown}" (it has ${available.join(', ')})`);
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowCount = Number(group.num_rows);
    const columns: Record<string, ArrayLike<CellValue>> = {};
    await parquetRead({
      file,
      metadata,
      columns: names,
      rowStart,
      rowEnd: rowStart + rowCount,
      compressors: DECOMPRESSORS,
      onChunk: (chunk) => {
        // A chunk may extend beyond the requested range (parquetRead's contract): cut it to this group.
        const offset = rowStart - chunk.rowStart;
        const data = chunk.columnData as ArrayLike<CellValue> & { slice(a: number, b: number): ArrayLike<CellValue> };
        columns[chunk.columnName] = offset === 0 && chunk.rowEnd - chunk.rowStart === rowCount ? data : data.slice(offset, offset + rowCount);
      },
    });
    yield { rowStart, rowCount, columnNames: names, columns };
    rowStart += rowCount;
  }
}

function topLevelNames(metadata: FileMetaData): string[] {
  // The flattened schema: children of the root, skipping each one's descendants.
  const names: string[] = [];
  let index = 1;
  const skip = (position: number): number => {
    const children = metadata.schema[position].num_children ?? 0;
    let next = position + 1;
    for (let i = 0; i < children; i++) next = skip(next);
    return next;
  };
  while (index < metadata.schema.length) {
    names.push(metadata.schema[index].name);
    index = skip(index);
  }
  return names;
}

/** Rows as objects with the selected columns, in file order. */
export async function* readParquetRows(path: string, selection: ParquetReadSelection = {}): AsyncGenerator<DatasetRow> {
  for await (const batch of readParquetColumnBatches(path, selection)) {
    const names = batch.columnNames;
    const columns = names.map((name) => batch.columns[name]);
    for (let row = 0; row < batch.rowCount; row++) {
      const record: DatasetRow = {};
      for (let c = 0; c < names.length; c++) record[names[c]] = columns[c][row] ?? null;
      yield record;
    }
  }
}
