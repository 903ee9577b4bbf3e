// The corpus's own records of what it dropped and what it holds (design.md "The corpus";
// @qoq/pairs corpus-writer): provenance.parquet (row id → dataset_key, media paths: the join key to the
// ingest stages' tables), duplicates.jsonl (exact duplicates dropped) and near-duplicates.jsonl (pairs
// listed, not dropped). An absent file is null (reported as absent); one that cannot be read is a
// UsageError naming it (exit 2), raised before anything is written.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readParquetColumnBatches } from '@qoq/dataset-io';
import { UsageError } from '@qoq/runtime';
import { HashedKeySet } from './hashed-keys';

export interface CorpusProvenance {
  /** Every media path a corpus row uses (`images` and `time-series`, relative to media/). */
  readonly media: HashedKeySet;
  /** Row id → ordinal of its dataset_key in `datasets`. */
  readonly ids: HashedKeySet;
  readonly datasets: readonly string[];
  /** Media paths per dataset_key (a row with two images counts two). */
  readonly mediaPerDataset: ReadonlyMap<string, number>;
  readonly rows: number;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export function unreadable(path: string, code: string, error: unknown): UsageError {
  const message = error instanceof Error ? error.message : String(error);
  return new UsageError(`${path}: ${code}: ${message}`, code);
}

/** The corpus's provenance.parquet as lookups, or null when the corpus has none. */
export async function readCorpusProvenance(corpus: string): Promise<CorpusProvenance | null> {
  const path = join(corpus, 'provenance.parquet');
  if (!(await exists(path))) return null;
  const media = new HashedKeySet();
  const ids = new HashedKeySet();
  const datasets: string[] = [];
  const ordinal = new Map<string, number>();
  const mediaPerDataset = new Map<string, number>();
  let rows = 0;
  try {
    for await (const batch of readParquetColumnBatches(path, { columns: ['id', 'dataset_key', 'media_paths'] })) {
      const { id, dataset_key: datasetKey, media_paths: mediaPaths } = batch.columns;
      for (let row = 0; row < batch.rowCount; row++) {
        const key = datasetKey[row];
        const rowId = id[row];
        const paths = mediaPaths[row];
        if (typeof key !== 'string' || typeof rowId !== 'string' || !Array.isArray(paths)) throw new Error(`row ${batch.rowStart + row}: id, dataset_key and media_paths must be present`);
        let tag = ordinal.get(key);
        if (tag === undefined) {
          tag = datasets.length;
          if (tag > 0xffff) throw new Error('more than 65,536 dataset keys');
          ordinal.set(key, tag);
          datasets.push(key);
        }
        ids.add(rowId, tag);
        for (const media_path of paths) {
          if (typeof media_path !== 'string') throw new Error(`row ${batch.rowStart + row}: a media path is not a string`);
          media.add(media_path);
        }
        mediaPerDataset.set(key, (mediaPerDataset.get(key) ?? 0) + paths.length);
        rows++;
      }
    }
  } catch (error) {
    throw unreadable(path, 'CORPUS_PROVENANCE_UNREADABLE', error);
  }
  media.freeze();
  ids.freeze();
  return { media, ids, datasets, mediaPerDataset, rows };
}

/** Each JSON object of a .jsonl file (blank lines skipped); a line that is not one is a UsageError naming it. */
export async function* jsonObjects(path: string, code: string): AsyncGenerator<Record<string, unknown>> {
  let line = 0;
  const input = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    for await (const text of input) {
      line++;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new UsageError(`${path}: line ${line}: ${code}: not JSON`, code);
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${path}: line ${line}: ${code}: not a JSON object`, code);
      yield value as Record<string, unknown>;
    }
  } finally {
    input.close();
  }
}

export interface DuplicateCounts {
  dropped: number;
  /** Dropped rows per dataset_key (of the dropped row). */
  by_dataset: Record<string, number>;
  /** Dropped rows whose kept copy is in another dataset. */
  across_datasets: number;
}

const sortedRecord = (map: Map<string, number>): Record<string, number> => Object.fromEntries([...map].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));

/** duplicates.jsonl counted; null when the corpus has none. */
export async function countDuplicates(corpus: string): Promise<DuplicateCounts | null> {
  const path = join(corpus, 'duplicates.jsonl');
  if (!(await exists(path))) return null;
  const byDataset = new Map<string, number>();
  let dropped = 0;
  let across = 0;
  for await (const record of jsonObjects(path, 'DUPLICATES_INVALID')) {
    if (typeof record.dataset_key !== 'string' || typeof record.dropped_id !== 'string') throw new UsageError(`${path}: line ${dropped + 1}: DUPLICATES_INVALID: a duplicate needs string "dataset_key" and "dropped_id"`, 'DUPLICATES_INVALID');
    dropped++;
    byDataset.set(record.dataset_key, (byDataset.get(record.dataset_key) ?? 0) + 1);
    if (typeof record.kept_dataset_key === 'string' && record.kept_dataset_key !== record.dataset_key) across++;
  }
  return { dropped, by_dataset: sortedRecord(byDataset), across_datasets: across };
}

export interface NearDuplicateCounts {
  pairs: number;
  cross_split: number;
  /** Pairs per split pair, `a_split/b_split` with the two in train, validation, test order. */
  by_splits: Record<string, number>;
  /** Pairs per Hamming distance in bits. */
  by_distance: Record<string, number>;
  /** Per dataset_key of either side (a pair across two datasets counts for both): pairs and cross-split pairs; null without the corpus provenance. */
  by_dataset: Record<string, { pairs: number; cross_split: number }> | null;
  /** Pairs whose two rows are in different datasets (null without the corpus provenance). */
  across_datasets: number | null;
}

const SPLIT_ORDER = ['train', 'validation', 'test'];

/** near-duplicates.jsonl counted; null when the corpus has none. Dataset attribution needs the corpus provenance. */
export async function countNearDuplicates(corpus: string, provenance: CorpusProvenance | null): Promise<NearDuplicateCounts | null> {
  const path = join(corpus, 'near-duplicates.jsonl');
  if (!(await exists(path))) return null;
  const bySplits = new Map<string, number>();
  const byDistance = new Map<number, number>();
  const byDataset = new Map<string, { pairs: number; cross_split: number }>();
  let pairs = 0;
  let cross = 0;
  let acrossDatasets = 0;
  for await (const record of jsonObjects(path, 'NEAR_DUPLICATES_INVALID')) {
    const { a_id: a, b_id: b, a_split: aSplit, b_split: bSplit, distance } = record;
    if (typeof a !== 'string' || typeof b !== 'string' || typeof aSplit !== 'string' || typeof bSplit !== 'string' || typeof distance !== 'number') {
      throw new UsageError(`${path}: line ${pairs + 1}: NEAR_DUPLICATES_INVALID: a pair needs string a_id, b_id, a_split, b_split and a numeric distance`, 'NEAR_DUPLICATES_INVALID');
    }
    pairs++;
    const crossSplit = aSplit !== bSplit;
    if (crossSplit) cross++;
    const splits = [aSplit, bSplit].sort((x, y) => SPLIT_ORDER.indexOf(x) - SPLIT_ORDER.indexOf(y)).join('/');
    bySplits.set(splits, (bySplits.get(splits) ?? 0) + 1);
    byDistance.set(distance, (byDistance.get(distance) ?? 0) + 1);
    if (provenance) {
      const tags = [provenance.ids.tagOf(a), provenance.ids.tagOf(b)];
      const keys = [...new Set(tags.map((tag) => (tag === null ? '(not in provenance)' : provenance.datasets[tag])))];
      if (keys.length > 1) acrossDatasets++;
      for (const key of keys) {
        const entry = byDataset.get(key) ?? { pairs: 0, cross_split: 0 };
        entry.pairs++;
        if (crossSplit) entry.cross_split++;
        byDataset.set(key, entry);
      }
    }
  }
  return {
    pairs,
    cross_split: cross,
    by_splits: Object.fromEntries([...bySplits].sort((x, y) => (x[0] < y[0] ? -1 : 1))),
    by_distance: Object.fromEntries([...byDistance].sort((x, y) => x[0] - y[0]).map(([d, n]) => [String(d), n])),
    by_dataset: provenance ? Object.fromEntries([...byDataset].sort((x, y) => (x[0] < y[0] ? -1 : 1))) : null,
    across_datasets: provenance ? acrossDatasets : null,
  };
}
