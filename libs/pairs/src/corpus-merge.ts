// ingest:merge — joins the N shard builds of one corpus (ingest:pairs --shard=I/N) into the corpus a
// single build writes, byte for byte: rows interleaved back into (dataset, source order), exact
// duplicates across shards dropped by the same rule (first in that order wins), reports recomputed,
// then the leakage check over the whole.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { InstructionPair } from '@qoq/catalog';
import { openDataset, readParquetRows, type DatasetRow } from '@qoq/dataset-io';
import {
  ExitCode,
  LeakageError,
  Progress,
  UsageError,
  codeVersion,
  formatRunSummary,
  openStageWorkspace,
  parseChoice,
  parseCommandLine,
  peakRssOfSelf,
  reportUpToDate,
  finishedExitCode,
  RejectLog,
  type OptionSpecs,
  type Reject,
} from '@qoq/runtime';
import { CORPUS_EXPORT_FORMATS, exportCorpus } from './corpus-export';
import { CorpusWriter, placeMediaFile, type DuplicateRecord, type ProvenanceRow } from './corpus-writer';
import { DuplicateLog, readLines } from './duplicate-log';
import { checkLeakage } from './leakage-check';
import { corpusDescription, leakageMessage, readShardDescription, type PairsStageIo, type ShardDescription } from './pairs-stage';

export const MERGE_OPTIONS = {
  shards: { type: 'string' },
  format: { type: 'string' },
} as const satisfies OptionSpecs;

export const MERGE_USAGE = `usage: nx run ingest:merge --output=DIR (--shards=DIR,DIR,… | --input=DIR)
  --shards=A,B,…   the shard builds (ingest:pairs --shard=I/N --output=…), all N of them
  --input=DIR      a folder whose sub-folders are the shard builds
  --output=DIR     the merged corpus
  --format=qoq-jsonl,verl   also export (export/qoq-med/, export/verl/)
  --fail-on-reject exit 3 when the shards listed rejects`;

interface OpenShard {
  readonly folder: string;
  readonly description: ShardDescription;
  readonly pairs: AsyncGenerator<DatasetRow>;
  readonly provenance: AsyncGenerator<DatasetRow>;
  head: { pair: DatasetRow; provenance: DatasetRow } | null;
}

function listOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function numberOf(value: unknown): number {
  return typeof value === 'bigint' ? Number(value) : Number(value);
}

/** A row read back, in the writer's shape (lists as arrays, ints as numbers). */
function pairOf(row: DatasetRow): InstructionPair {
  const bbox = Array.isArray(row.bbox) ? (row.bbox as number[]) : null;
  return {
    problem: String(row.problem),
    answer: String(row.answer),
    images: listOf(row.images),
    'time-series': row['time-series'] === null || row['time-series'] === undefined ? null : listOf(row['time-series']),
    dataset: String(row.dataset),
    bbox: bbox === null ? null : [bbox[0], bbox[1], bbox[2], bbox[3]],
    segmentation_path: row.segmentation_path === null || row.segmentation_path === undefined ? null : String(row.segmentation_path),
    id: String(row.id),
    dataset_key: String(row.dataset_key),
    domain: String(row.domain) as InstructionPair['domain'],
    modality: String(row.modality),
    split: String(row.split) as InstructionPair['split'],
    patient_key: String(row.patient_key),
    labels: listOf(row.labels),
    label_set: listOf(row.label_set),
    source_sha256: String(row.source_sha256),
    schema_version: numberOf(row.schema_version) as InstructionPair["schema_version"],
  };
}

function provenanceOf(row: DatasetRow): ProvenanceRow {
  return {
    id: String(row.id),
    dataset_key: String(row.dataset_key),
    source_index: numberOf(row.source_index),
    source_paths: listOf(row.source_paths),
    source_sha256: String(row.source_sha256),
    media_paths: listOf(row.media_paths),
    content_sha256: String(row.content_sha256),
    dhash: row.dhash === null || row.dhash === undefined ? null : String(row.dhash),
  };
}

async function advance(shard: OpenShard): Promise<void> {
  const pair = await shard.pairs.next();
  const provenance = await shard.provenance.next();
  if (pair.done !== provenance.done) throw new UsageError(`${shard.folder}: pairs and provenance.parquet hold different row counts`);
  if (pair.done) {
    shard.head = null;
    return;
  }
  if (pair.value.id !== provenance.value.id) throw new UsageError(`${shard.folder}: provenance.parquet is not in the order of the pairs (row ${String(pair.value.id)})`);
  shard.head = { pair: pair.value, provenance: provenance.value };
}

function orderOf(head: { provenance: DatasetRow }): [string, number] {
  return [String(head.provenance.dataset_key), numberOf(head.provenance.source_index)];
}

async function readJsonLines<T>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** The records of a JSON-lines file, streamed (a missing file has none). */
async function* jsonLinesOf<T>(path: string): AsyncGenerator<T> {
  if (!(await stat(path).then(() => true, () => false))) return;
  for await (const line of readLines(path)) {
    if (line.trim() !== '') yield JSON.parse(line) as T;
  }
}

async function shardFolders(common: { input: string | undefined }, shards: string | undefined): Promise<string[]> {
  if (shards !== undefined) return shards.split(',').filter((item) => item !== '').map((item) => resolve(item));
  if (common.input === undefined) throw new UsageError('give the shard builds with --shards=A,B,… or --input=DIR');
  const parent = resolve(common.input);
  const entries = await readdir(parent, { withFileTypes: true }).catch(() => {
    throw new UsageError(`--input=${parent} cannot be read`);
  });
  const folders: string[] = [];
  for (const entry of entries.filter((item) => item.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const folder = join(parent, entry.name);
    if (await stat(join(folder, 'shard.json')).then(() => true, () => false)) folders.push(folder);
  }
  return folders;
}

export async function runMergeStage(argv: readonly string[], io: PairsStageIo = { stdout: (text) => process.stdout.write(text), stderr: process.stderr }): Promise<ExitCode> {
  const startedAt = performance.now();
  const { common, options } = parseCommandLine(argv, MERGE_OPTIONS);
  if (common.help) {
    io.stdout(`${MERGE_USAGE}\n`);
    return ExitCode.Finished;
  }
  if (common.output === undefined) throw new UsageError('--output is required');
  const formats = [...new Set((options.format ?? '').split(',').filter((format) => format !== '').map((format) => parseChoice('format', format, CORPUS_EXPORT_FORMATS)))];
  const output = resolve(common.output);
  const folders = await shardFolders(common, options.shards);
  if (folders.length === 0) throw new UsageError('no shard builds found');

  // Every shard: a verified corpus with its description; together exactly the N partitions of one build.
  const descriptions: ShardDescription[] = [];
  const manifests: { path: string; sha256: string }[] = [];
  for (const folder of folders) {
    const description = await readShardDescription(folder);
    if (description === null) throw new UsageError(`${folder} is not a shard build (no shard.json)`);
    await openDataset(folder).catch((error: unknown) => {
      throw new UsageError(`${folder}: ${error instanceof Error ? error.message : String(error)}`);
    });
    descriptions.push(description);
    manifests.push({ path: `${description.index}/manifest.json`, sha256: createHash('sha256').update(await readFile(join(folder, 'manifest.json'))).digest('hex') });
  }
  const first = descriptions[0];
  const indices = new Set<number>();
  descriptions.forEach((description, at) => {
    if (description.count !== first.count) throw new UsageError(`${folders[at]} is shard ${description.index}/${description.count}, another is of ${first.count}`);
    if (JSON.stringify(description.buildOptions) !== JSON.stringify(first.buildOptions)) throw new UsageError(`${folders[at]} was built with other options than ${folders[0]}`);
    if (description.codeVersion !== first.codeVersion) throw new UsageError(`${folders[at]} was built by ${description.codeVersion}, ${folders[0]} by ${first.codeVersion}`);
    if (indices.has(description.index)) throw new UsageError(`shard ${description.index}/${description.count} is given twice`);
    indices.add(description.index);
  });
  const missing = [...Array(first.count).keys()].filter((index) => !indices.has(index));
  if (missing.length > 0) throw new UsageError(`shards ${missing.map((index) => `${index}/${first.count}`).join(', ')} are missing`);

  const workspace = await openStageWorkspace<never>(output, { stage: 'ingest:merge', codeVersion: codeVersion(), options: { formats }, inputs: manifests.sort((a, b) => (a.path < b.path ? -1 : 1)) });
  if (workspace.upToDate) return reportUpToDate('ingest:merge', output, startedAt, common.failOnReject, io.stdout);

  const rowsPerShard = Number((first.buildOptions as { rowsPerShard?: number }).rowsPerShard ?? 200_000);
  const nearDuplicateDistance = Number((first.buildOptions as { nearDuplicateDistance?: number }).nearDuplicateDistance ?? 8);
  const writer = await CorpusWriter.create({ directory: workspace.workDir, rowsPerShard });
  const opened: OpenShard[] = [];
  for (const folder of folders) {
    const dataset = await openDataset(folder);
    const shard: OpenShard = { folder, description: descriptions[opened.length], pairs: dataset.rows(), provenance: readParquetRows(join(folder, 'provenance.parquet')), head: null };
    await advance(shard);
    opened.push(shard);
  }

  // Duplicates: the shards' own, re-pointed to the row kept across all shards, plus rows a shard kept
  // that another shard kept earlier in the global order.
  const keptByContent = new Map<string, { id: string; datasetKey: string }>();
  const duplicates = new DuplicateLog(join(workspace.workDir, '.duplicates'));
  const progress = new Progress({ label: 'ingest:merge', stream: io.stderr });
  for (;;) {
    let best: OpenShard | null = null;
    for (const shard of opened) {
      if (shard.head === null) continue;
      if (best === null || best.head === null) {
        best = shard;
        continue;
      }
      const [dataset, index] = orderOf(shard.head);
      const [bestDataset, bestIndex] = orderOf(best.head);
      if (dataset < bestDataset || (dataset === bestDataset && index < bestIndex)) best = shard;
    }
    if (best === null || best.head === null) break;
    const pair = pairOf(best.head.pair);
    const provenance = provenanceOf(best.head.provenance);
    const contentKey = provenance.content_sha256.slice(0, 16);
    const kept = keptByContent.get(contentKey);
    if (kept !== undefined) {
      await duplicates.add({ content_sha256: provenance.content_sha256, dataset_key: pair.dataset_key, dropped_id: pair.id, kept_id: kept.id, kept_dataset_key: kept.datasetKey });
    } else {
      keptByContent.set(contentKey, { id: pair.id, datasetKey: pair.dataset_key });
      const media = [...pair.images, ...(pair['time-series'] ?? []), ...(pair.segmentation_path === null ? [] : [pair.segmentation_path])];
      for (const path of media) await placeMediaFile(join(best.folder, 'media', path), join(workspace.workDir, 'media', path));
      await writer.add(pair, provenance);
    }
    progress.tick();
    await advance(best);
  }
  for (const shard of opened) {
    for await (const record of jsonLinesOf<DuplicateRecord>(join(shard.folder, 'duplicates.jsonl'))) {
      const kept = keptByContent.get(record.content_sha256.slice(0, 16)) ?? { id: record.kept_id, datasetKey: record.kept_dataset_key };
      await duplicates.add({ ...record, kept_id: kept.id, kept_dataset_key: kept.datasetKey });
    }
  }
  const rejects = new RejectLog();
  for (const shard of opened) for (const reject of await readJsonLines<Reject>(join(shard.folder, 'rejects.jsonl'))) rejects.add(reject);

  const summary = await writer.finish({
    options: first.buildOptions,
    codeVersion: first.codeVersion,
    rejects: rejects.sorted(),
    duplicates,
    nearDuplicateDistance,
    description: corpusDescription(first.splits),
  });
  const leakage = await checkLeakage(workspace.workDir);
  if (leakage.problems.length > 0) throw new LeakageError(`${leakageMessage(leakage)}\n(the merge is left in ${workspace.workDir} for inspection)`);
  for (const format of formats) await exportCorpus({ corpusDir: workspace.workDir, format });
  await workspace.commit();
  io.stdout(
    `${formatRunSummary({
      stage: `ingest:merge (${first.count} shards)`,
      processed: first.samples,
      written: summary.rows,
      rejected: rejects.count,
      rejectsByCode: rejects.countsByCode(),
      elapsedMs: performance.now() - startedAt,
      peakRssBytes: peakRssOfSelf(),
      output,
    })}\n` +
      `  duplicates        ${duplicates.count} dropped (duplicates.jsonl)\n` +
      `  near-duplicates   ${summary.nearDuplicates} image pairs, ${summary.crossSplitNearDuplicates} across splits\n` +
      `  leakage check     passed (${leakage.patients} patients, ${leakage.rows} rows)\n`,
  );
  return finishedExitCode(rejects.count, common.failOnReject);
}
