// Streams a corpus folder (design.md "The corpus") once and fills one DatasetTally per dataset_key. The
// manifest is checked first (every listed shard present, sizes and row counts match, nothing unlisted);
// each shard is then hashed against the manifest and scanned, shards in parallel on worker threads.
// Any integrity problem — no folder, a manifest that does not match, an unreadable shard, a row that
// breaks the row contract — is a UsageError naming the file (exit 2), raised before anything is written.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCatalog, type Catalog } from '@qoq/catalog';
import { DatasetIoFailure, sha256OfFile, verifyDataset, type DatasetManifest } from '@qoq/dataset-io';
import { UsageError, WorkerPool } from '@qoq/runtime';
import { countRejects, type RejectCounts } from './corpus-rejects';
import { DatasetTally } from './corpus-tally';
import { scanShard, type RowValidation, type ShardScanOutcome, type ShardScanTask } from './shard-scan';

export interface CorpusScan {
  readonly manifest: DatasetManifest;
  readonly manifestSha256: string;
  /** Tallies in catalog order of the datasets present. */
  readonly tallies: readonly DatasetTally[];
  readonly rows: number;
  /** The corpus's rejects.jsonl counted, or null when there is none. */
  readonly rejects: RejectCounts | null;
}

export interface ScanOptions {
  readonly validation?: RowValidation;
  readonly catalog?: Catalog;
  /** Worker threads (default 1 = the main thread); never more than the shards. */
  readonly workers?: number;
}

async function assertCorpusFolder(folder: string): Promise<void> {
  let isFolder = false;
  try {
    isFolder = (await stat(folder)).isDirectory();
  } catch {
    isFolder = false;
  }
  if (!isFolder) throw new UsageError(`no corpus at ${folder}: run \`npx nx run ingest:pairs\` first, or pass --input=CORPUS_DIR`, 'CORPUS_MISSING');
}

async function* scanShards(tasks: readonly ShardScanTask[], workers: number, catalog: Catalog): AsyncGenerator<ShardScanOutcome> {
  if (workers <= 1 || tasks.length <= 1) {
    for (const task of tasks) yield await scanShard(task, catalog);
    return;
  }
  const pool = new WorkerPool<ShardScanTask, ShardScanOutcome>({ script: new URL('./shard-scan-worker.ts', import.meta.url), size: Math.min(workers, tasks.length), window: Math.min(workers, tasks.length) });
  try {
    let index = 0;
    for await (const outcome of pool.mapOrdered(tasks)) {
      const task = tasks[index++];
      if (outcome.ok) yield outcome.value;
      else {
        const message = String((outcome.error as { message?: unknown }).message ?? outcome.error);
        yield { kind: 'refused', code: 'CORPUS_UNREADABLE', message: `${task.path}: CORPUS_UNREADABLE: ${message}` };
      }
    }
  } finally {
    await pool.close();
  }
}

/** Reads the corpus at `folder` once and returns its tallies; throws UsageError (exit 2) on bad input. */
export async function scanCorpus(folder: string, options: ScanOptions = {}): Promise<CorpusScan> {
  await assertCorpusFolder(folder);
  const catalog = options.catalog ?? loadCatalog();
  let manifest: DatasetManifest;
  try {
    // Hashes are checked per shard by the scan itself (in parallel), not here.
    manifest = await verifyDataset(folder, { hashes: false });
  } catch (error) {
    if (error instanceof DatasetIoFailure) throw new UsageError(`${error.path}: ${error.code}: ${error.error.message}`, error.code);
    throw error;
  }
  const tasks: ShardScanTask[] = manifest.shards.map((shard) => ({ path: join(folder, shard.path), sha256: shard.sha256, validation: options.validation ?? 'columns' }));
  const tallies = new Map<string, DatasetTally>();
  let rows = 0;
  for await (const outcome of scanShards(tasks, options.workers ?? 1, catalog)) {
    if (outcome.kind === 'refused') throw new UsageError(outcome.message, outcome.code);
    rows += outcome.rows;
    for (const snapshot of outcome.tallies) {
      let tally = tallies.get(snapshot.datasetKey);
      if (!tally) tallies.set(snapshot.datasetKey, (tally = new DatasetTally(catalog.dataset(snapshot.datasetKey))));
      tally.merge(snapshot);
    }
  }
  const order = catalog.datasets().map((spec) => spec.dataset_key);
  const sorted = [...tallies.values()].sort((a, b) => order.indexOf(a.datasetKey) - order.indexOf(b.datasetKey));
  const manifestSha256 = await sha256OfFile(join(folder, 'manifest.json'));
  const rejects = await countRejects(join(folder, 'rejects.jsonl'));
  return { manifest, manifestSha256, tallies: sorted, rows, rejects };
}
