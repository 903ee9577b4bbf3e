// One shard of the corpus, scanned: its SHA-256 checked against the manifest (when asked), then only the
// columns stats needs read batch by batch (one row group at a time), every row checked against the row
// contract and counted into per-dataset tallies. Runs in the main thread or in a worker (shard-scan-worker);
// problems come back as values naming the file and row, never as thrown errors across threads.
import { loadCatalog, type Catalog, type DatasetSpec } from '@qoq/catalog';
import { readParquetColumnBatches, sha256OfFile, type CellValue } from '@qoq/dataset-io';
import { DatasetTally, SPLIT_INDEX, type TallySnapshot } from './corpus-tally';

/**
 * `columns` (default): the columns stats reads are checked against the row contract (known dataset,
 * split, labels from label_set in catalog order, bbox of 4 ordered numbers, mask path under the
 * dataset) — the shards' SHA-256 against the manifest vouch for the rest, which ingest:pairs validated.
 * `full`: every column of every row through the catalog's validateInstructionPair (far slower: the
 * ~700-character prompts must be decoded).
 */
export type RowValidation = 'columns' | 'full';

/**
 * The columns read by default. `domain` and `modality` are not among them: the catalog fixes both for a
 * dataset_key (the row contract), and decoding two more strings per row nearly doubles the scan time.
 * `--validate=full` reads and checks them.
 */
export const STATS_COLUMNS = ['dataset_key', 'split', 'labels', 'bbox', 'segmentation_path'] as const;

export interface ShardScanTask {
  /** Absolute path of the shard. */
  readonly path: string;
  /** The manifest's SHA-256 of the shard, or null to skip the hash (already verified). */
  readonly sha256: string | null;
  readonly validation: RowValidation;
}

export type ShardScanOutcome =
  | { readonly kind: 'scanned'; readonly rows: number; readonly tallies: TallySnapshot[] }
  | { readonly kind: 'refused'; readonly code: string; readonly message: string };

/** A row that breaks the row contract, with its code; scanCorpus adds the shard and row number. */
class RowFault {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

/**
 * Checks the columns stats reads (RowValidation `columns`) and writes the row's label indices into
 * `indices`; returns how many there are. Throws a RowFault.
 */
function checkRow(tally: DatasetTally, spec: DatasetSpec, cells: Record<string, CellValue>, indices: Int32Array): number {
  if ('domain' in cells && cells.domain !== spec.domain) throw new RowFault('DOMAIN_MISMATCH', `${spec.dataset_key} is in domain "${spec.domain}", the row says ${JSON.stringify(cells.domain)}`);
  if ('modality' in cells && cells.modality !== spec.modality) throw new RowFault('ROW_SCHEMA_INVALID', `modality ${JSON.stringify(cells.modality)} is not "${spec.modality}"`);
  const labels = cells.labels;
  if (!Array.isArray(labels) || labels.length === 0) throw new RowFault('ROW_SCHEMA_INVALID', 'labels must be a non-empty list of strings');
  let previous = -1;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    const index = typeof label === 'string' ? tally.labelIndex.get(label) : undefined;
    if (index === undefined) throw new RowFault('LABEL_OUTSIDE_LABEL_SET', `${JSON.stringify(label)} is not a label of ${spec.dataset_key}`);
    if (index <= previous) throw new RowFault('LABELS_OUT_OF_ORDER', `"${label}" is repeated or out of catalog order`);
    previous = index;
    indices[i] = index;
  }
  const bbox = cells.bbox;
  if (bbox !== null) {
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new RowFault('ROW_SCHEMA_INVALID', 'bbox must be null or 4 finite numbers');
    }
    const [xMin, yMin, xMax, yMax] = bbox as number[];
    if (xMin > xMax || yMin > yMax) throw new RowFault('BBOX_REVERSED', 'bbox has x_min > x_max or y_min > y_max');
  }
  const mask = cells.segmentation_path;
  if (mask !== null && (typeof mask !== 'string' || !mask.startsWith(`${spec.dataset_key}/`))) {
    throw new RowFault('MEDIA_PATH_OUTSIDE_DATASET', `segmentation_path does not start with ${spec.dataset_key}/`);
  }
  return labels.length;
}

export async function scanShard(task: ShardScanTask, catalog: Catalog = loadCatalog()): Promise<ShardScanOutcome> {
  if (task.sha256 !== null) {
    const sha256 = await sha256OfFile(task.path);
    if (sha256 !== task.sha256) {
      return { kind: 'refused', code: 'SHARD_HASH_MISMATCH', message: `${task.path}: SHARD_HASH_MISMATCH: SHA-256 ${sha256}, the manifest says ${task.sha256}` };
    }
  }
  const tallies = new Map<string, DatasetTally>();
  const indices = new Int32Array(32);
  let rows = 0;
  let rowNumber = -1;
  try {
    let spec: DatasetSpec | undefined;
    let tally: DatasetTally | undefined;
    const selection = task.validation === 'full' ? {} : { columns: STATS_COLUMNS };
    for await (const batch of readParquetColumnBatches(task.path, selection)) {
      const names = task.validation === 'full' ? batch.columnNames : STATS_COLUMNS;
      const columns = names.map((name) => batch.columns[name]);
      const cells: Record<string, CellValue> = {};
      for (let r = 0; r < batch.rowCount; r++) {
        rowNumber = batch.rowStart + r;
        for (let c = 0; c < names.length; c++) cells[names[c]] = columns[c][r] ?? null;
        const key = cells.dataset_key;
        if (typeof key !== 'string') throw new RowFault('ROW_SCHEMA_INVALID', 'dataset_key must be a string');
        if (tally === undefined || tally.datasetKey !== key) {
          tally = tallies.get(key);
          if (!catalog.hasDataset(key)) throw new RowFault('UNKNOWN_DATASET', `no dataset ${JSON.stringify(key)} in the catalog`);
          spec = catalog.dataset(key);
          if (tally === undefined) tallies.set(key, (tally = new DatasetTally(spec)));
        }
        if (task.validation === 'full') {
          const problems = catalog.validateInstructionPair(cells);
          if (problems.length > 0) throw new RowFault(problems[0].code, `${problems[0].pointer}: ${problems[0].message}`);
        }
        const split = SPLIT_INDEX[cells.split as string];
        if (split === undefined) throw new RowFault('ROW_SCHEMA_INVALID', `split ${JSON.stringify(cells.split)} is not train, validation or test`);
        const count = checkRow(tally, spec as DatasetSpec, cells, indices);
        tally.add(split, indices, count, cells.bbox !== null, cells.segmentation_path !== null);
        rows++;
      }
    }
  } catch (error) {
    if (error instanceof RowFault) return { kind: 'refused', code: error.code, message: `${task.path}: row ${rowNumber}: ${error.code}: ${error.message}` };
    // Anything the Parquet reader throws is a shard it cannot read.
    const message = error instanceof Error ? error.message : String(error);
    return { kind: 'refused', code: 'CORPUS_UNREADABLE', message: `${task.path}: CORPUS_UNREADABLE: ${message}` };
  }
  return { kind: 'scanned', rows, tallies: [...tallies.values()].map((t) => t.snapshot()) };
}
