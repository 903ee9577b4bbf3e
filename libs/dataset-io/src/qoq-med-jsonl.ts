// The official QoQ-Med training file (shared/qoq-med.md §1): one JSON object a line with exactly the
// fields problem, answer, images, time-series, dataset, bbox, segmentation_path — in that order, the
// optional ones (time-series, bbox, segmentation_path) omitted when null — one file per split under
// export/qoq-med/. Copying media or converting ECG .npy → .pt is the pairs stage's job: it passes a
// `mediaPath` hook that receives each media path and returns the path to write (and may do the copy).
import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import type { DatasetRow, RowInput } from './column-spec';
import { fsyncFile } from './atomic-write';
import { datasetIoFailure } from './dataset-io-error';

export const QOQ_MED_FIELDS = ['problem', 'answer', 'images', 'time-series', 'dataset', 'bbox', 'segmentation_path'] as const;
export const QOQ_MED_SPLITS = ['train', 'validation', 'test'] as const;
export type QoqMedSplit = (typeof QOQ_MED_SPLITS)[number];

export interface QoqMedRecord {
  problem: string;
  answer: string;
  images: string[];
  'time-series'?: string[];
  dataset: string;
  bbox?: number[];
  segmentation_path?: string;
}

export type MediaRole = 'image' | 'time-series' | 'segmentation';
/** Maps a corpus media path (relative to media/) to the path written in the export; may copy or convert. */
export type MediaPathHook = (path: string, role: MediaRole) => string | Promise<string>;

function invalid(message: string, id: unknown): never {
  throw datasetIoFailure('EXPORT_RECORD_INVALID', message, typeof id === 'string' ? id : 'row');
}

function stringList(value: unknown, field: string, id: unknown): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) invalid(`${field} must be a list of strings`, id);
  return value as string[];
}

async function mapPaths(paths: string[], role: MediaRole, hook: MediaPathHook | undefined): Promise<string[]> {
  if (!hook) return paths;
  const mapped: string[] = [];
  for (const path of paths) mapped.push(await hook(path, role));
  return mapped;
}

/** The official record of one corpus row; keys in the official order, null optionals left out. */
export async function toQoqMedRecord(input: RowInput, mediaPath?: MediaPathHook): Promise<QoqMedRecord> {
  const row = input as DatasetRow;
  const { problem, answer, dataset, bbox, segmentation_path: segmentation, id } = row;
  if (typeof problem !== 'string' || typeof answer !== 'string' || typeof dataset !== 'string') {
    invalid('problem, answer and dataset must be strings', id);
  }
  // Built in the official field order; optional fields are added only when present.
  const record: Record<string, unknown> = { problem, answer, images: await mapPaths(stringList(row.images, 'images', id), 'image', mediaPath) };
  const timeSeries = row['time-series'];
  if (timeSeries !== null && timeSeries !== undefined) {
    record['time-series'] = await mapPaths(stringList(timeSeries, 'time-series', id), 'time-series', mediaPath);
  }
  record.dataset = dataset;
  if (bbox !== null && bbox !== undefined) {
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      invalid('bbox must be [x_min, y_min, x_max, y_max]', id);
    }
    record.bbox = [...(bbox as number[])];
  }
  if (segmentation !== null && segmentation !== undefined) {
    if (typeof segmentation !== 'string') invalid('segmentation_path must be a string', id);
    record.segmentation_path = mediaPath ? await mediaPath(segmentation, 'segmentation') : segmentation;
  }
  return record as unknown as QoqMedRecord;
}

/**
 * One JSONL line. U+2028/U+2029 are escaped: JSON allows them raw, but JavaScript before ES2019 and
 * line-splitting tools (Python's str.splitlines) treat them as line ends and would cut the record.
 */
export function qoqMedJsonLine(record: QoqMedRecord): string {
  return `${JSON.stringify(record).replace(/[\u2028\u2029]/g, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'))}\n`;
}

export interface QoqMedExportFile {
  split: QoqMedSplit;
  /** Relative to the export folder: `train.jsonl`. */
  name: string;
  rows: number;
  sha256: string;
}

/**
 * Writes `<exportDir>/{train,validation,test}.jsonl` (all three, empty if a split has no rows) from rows
 * carrying `split`; each file appears under its final name only when complete.
 */
export async function writeQoqMedJsonl(
  rows: Iterable<RowInput> | AsyncIterable<RowInput>,
  exportDir: string,
  options: { mediaPath?: MediaPathHook } = {},
): Promise<QoqMedExportFile[]> {
  await mkdir(exportDir, { recursive: true });
  const files = QOQ_MED_SPLITS.map((split) => {
    const name = `${split}.jsonl`;
    const temporary = join(exportDir, `.${name}.partial`);
    return { split, name, temporary, stream: createWriteStream(temporary) as WriteStream, hash: createHash('sha256'), rows: 0 };
  });
  const bySplit = new Map(files.map((file) => [file.split as string, file]));
  try {
    for await (const input of rows) {
      const row = input as DatasetRow;
      const file = bySplit.get(row.split as string);
      if (!file) invalid(`split must be one of ${QOQ_MED_SPLITS.join(', ')}, got ${String(row.split)}`, row.id);
      const line = qoqMedJsonLine(await toQoqMedRecord(row, options.mediaPath));
      file.hash.update(line);
      file.rows++;
      if (!file.stream.write(line)) await once(file.stream, 'drain');
    }
    for (const file of files) {
      file.stream.end();
      await once(file.stream, 'close');
      await fsyncFile(file.temporary);
      await rename(file.temporary, join(exportDir, file.name));
    }
  } catch (error) {
    for (const file of files) {
      file.stream.destroy();
      await rm(file.temporary, { force: true });
    }
    throw error;
  }
  return files.map(({ split, name, rows: count, hash }) => ({ split, name, rows: count, sha256: hash.digest('hex') }));
}
