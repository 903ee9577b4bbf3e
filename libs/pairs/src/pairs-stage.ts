// ingest:pairs — downloaded datasets (through @qoq/adapters) + the ingest stages' normalized media →
// the corpus folder (design.md "The corpus"), complete or absent, checked for leakage (exit 4), and
// optionally exported. With --shard=I/N it writes one patient-disjoint partition for ingest:merge.
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadCatalog, type Catalog } from '@qoq/catalog';
import type { JsonValue } from '@qoq/dataset-io';
import {
  ExitCode,
  LeakageError,
  Progress,
  UsageError,
  codeVersion,
  findWorkspaceRoot,
  finishedExitCode,
  formatRunSummary,
  loadSalt,
  openStageWorkspace,
  parseCommandLine,
  peakRssOfSelf,
  reportUpToDate,
  resolveSources,
  sha256Files,
  type SourceEntry,
} from '@qoq/runtime';
import { exportCorpus } from './corpus-export';
import { CorpusWriter } from './corpus-writer';
import { checkLeakage, type LeakageReport } from './leakage-check';
import { buildPairs, namespaceOf, type SplitDescription } from './pairs-build';
import { PAIRS_STAGE_OPTIONS, PAIRS_STAGE_USAGE, pairsStageOptionsFrom, type PairsStageOptions } from './pairs-options';
import type { IngestStageFolders } from './stage-media-index';

export interface PairsStageIo {
  readonly stdout: (text: string) => void;
  readonly stderr: NodeJS.WriteStream | { isTTY?: boolean; write: (text: string) => unknown };
}

/** The file a shard build writes beside its corpus, for ingest:merge. */
export const SHARD_FILE = 'shard.json';

export interface ShardDescription {
  readonly format: 'qoq-pairs-shard';
  readonly index: number;
  readonly count: number;
  /** The manifest options of the build (identical across the shards of one corpus). */
  readonly buildOptions: { [key: string]: JsonValue };
  readonly codeVersion: string;
  readonly splits: readonly SplitDescription[];
  readonly samples: number;
}

/** Files an adapter reads for labels and splits (hashed), as opposed to media (listed by name only). */
const LABEL_FILE = /\.(csv|csv\.gz|tsv|json|hea|xlsx)$/i;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The files under `root` (relative, '/'-separated) in the code-unit order of their paths, as
 * listFilesSorted gives them, one folder at a time: a folder's entries are sorted by their name, a
 * sub-folder's name followed by '/', since every path below it starts so.
 */
export async function* filesSorted(root: string, relative = ''): AsyncGenerator<string> {
  const entries = await readdir(relative === '' ? root : join(root, relative), { withFileTypes: true });
  const keyed = entries
    .filter((item) => item.isDirectory() || item.isFile())
    .map((item) => ({ key: item.isDirectory() ? `${item.name}/` : item.name, name: item.name, folder: item.isDirectory() }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const item of keyed) {
    const path = relative === '' ? item.name : `${relative}/${item.name}`;
    if (item.folder) yield* filesSorted(root, path);
    else yield path;
  }
}

/**
 * What decides whether a finished corpus is still up to date: per dataset the SHA-256 of its label files
 * and a digest of its file list, and the ingest stages' provenance, tables and rejects.
 */
async function inputManifestOf(sources: readonly SourceEntry[], stageFolders: IngestStageFolders): Promise<{ path: string; sha256: string }[]> {
  const inputs: { path: string; sha256: string }[] = [];
  for (const entry of sources) {
    // The digest of the sorted file list, streamed: the same bytes as hashing listFilesSorted(…).join('\n'),
    // without holding every path of a 1.79 M-file dataset.
    const digest = createHash('sha256');
    const labelFiles: string[] = [];
    let count = 0;
    try {
      for await (const file of filesSorted(entry.folder)) {
        digest.update(count === 0 ? file : `\n${file}`);
        count += 1;
        if (LABEL_FILE.test(file)) labelFiles.push(file);
      }
    } catch {
      throw new UsageError(`input folder ${entry.folder} of ${entry.datasetKey} cannot be read`);
    }
    inputs.push({ path: `${entry.datasetKey}/(file list)`, sha256: digest.digest('hex') });
    const digests = await sha256Files(labelFiles.map((file) => join(entry.folder, file)));
    labelFiles.forEach((file, at) => inputs.push({ path: `${entry.datasetKey}/${file}`, sha256: digests[at] }));
  }
  for (const [stage, folder] of Object.entries(stageFolders)) {
    for (const file of ['provenance.parquet', `${stage}.parquet`, 'rejects.jsonl']) {
      const path = join(folder, file);
      if (await exists(path)) inputs.push({ path: `(${stage})/${file}`, sha256: (await sha256Files([path]))[0] });
    }
  }
  return inputs;
}

/** The manifest's options: everything that shapes the rows, nothing machine-specific. */
export function buildOptionsJson(options: PairsStageOptions, sources: readonly SourceEntry[]): { [key: string]: JsonValue } {
  return {
    adapter: options.adapterJson,
    splitRatios: { validation: options.ratios.validation, test: options.ratios.test },
    splitMethod: options.splitMethod,
    rowsPerShard: options.rowsPerShard,
    nearDuplicateDistance: options.nearDuplicateDistance,
    datasets: sources.map((entry) => ({ dataset_key: entry.datasetKey, layout: entry.layout ?? null, patient_namespace: namespaceOf(entry) })),
  };
}

export function corpusDescription(splits: readonly SplitDescription[]): string {
  const lines = [
    'Instruction pairs in the QoQ-Med record format, built by QoQ Forge `ingest:pairs` from the datasets below.',
    'Rows carry the official fields (problem, answer, images, time-series, dataset, bbox, segmentation_path) and',
    "QoQ Forge's (id, dataset_key, domain, modality, split, patient_key, labels, label_set, source_sha256, schema_version).",
    'Splits are patient-disjoint; `duplicates.jsonl` lists exact duplicates dropped, `near-duplicates.jsonl` image pairs',
    'whose difference hashes are close.',
    '',
    '| patient namespace | datasets | patients | split |',
    '| --- | --- | --- | --- |',
    ...splits.map((split) => `| ${split.namespace} | ${split.datasets.join(', ')} | ${split.patients} | ${split.source} (${split.method}) |`),
  ];
  return lines.join('\n');
}

export function leakageMessage(report: LeakageReport): string {
  return [
    `leakage check failed: ${report.problems.length} key(s) in more than one split`,
    ...report.problems.map((problem) => `  ${problem.kind} ${problem.key}: ${problem.splits.join(', ')}`),
  ].join('\n');
}

export async function runPairsStage(argv: readonly string[], io: PairsStageIo = { stdout: (text) => process.stdout.write(text), stderr: process.stderr }): Promise<ExitCode> {
  const startedAt = performance.now();
  const { common, options: parsed } = parseCommandLine(argv, PAIRS_STAGE_OPTIONS);
  if (common.help) {
    io.stdout(`${PAIRS_STAGE_USAGE}\n`);
    return ExitCode.Finished;
  }
  const options = pairsStageOptionsFrom(parsed);
  const workspaceRoot = findWorkspaceRoot();
  const resolved = await resolveSources(common, workspaceRoot);
  const salt = await loadSalt(common.saltFile, resolved.isBundledSample);
  if (common.output === undefined && !resolved.isBundledSample) throw new UsageError('--output is required with --input or --sources');
  if (parsed['media-from'] === undefined && !resolved.isBundledSample) throw new UsageError('--media-from is required with --input or --sources (the folder holding dicom/, images/, ecg/)');
  const output = resolve(common.output ?? join(workspaceRoot, 'data/sample/corpus'));
  const mediaFrom = resolve(parsed['media-from'] ?? join(workspaceRoot, 'data/sample'));
  const stageFolders: IngestStageFolders = { dicom: join(mediaFrom, 'dicom'), images: join(mediaFrom, 'images'), ecg: join(mediaFrom, 'ecg') };
  if (!(await exists(join(mediaFrom, 'dicom'))) && !(await exists(join(mediaFrom, 'images'))) && !(await exists(join(mediaFrom, 'ecg')))) {
    throw new UsageError(`--media-from=${mediaFrom} holds none of dicom/, images/, ecg/: run the ingest stages first`);
  }
  const catalog: Catalog = await loadCatalog();
  const sources = [...resolved.entries].sort((a, b) => (a.datasetKey < b.datasetKey ? -1 : a.datasetKey > b.datasetKey ? 1 : 0));
  for (let at = 1; at < sources.length; at += 1) {
    if (sources[at].datasetKey === sources[at - 1].datasetKey) throw new UsageError(`dataset ${sources[at].datasetKey} is listed twice in the sources`);
  }
  const buildOptions = buildOptionsJson(options, sources);

  const workspace = await openStageWorkspace<never>(output, {
    stage: 'ingest:pairs',
    codeVersion: codeVersion(),
    options: { ...buildOptions, shard: options.shard === null ? null : `${options.shard.index}/${options.shard.count}`, formats: [...options.formats], salt: createHash('sha256').update(salt.bytes).digest('hex') },
    inputs: await inputManifestOf(sources, stageFolders),
  });
  if (workspace.upToDate) return reportUpToDate('ingest:pairs', output, startedAt, common.failOnReject, io.stdout);

  const writer = await CorpusWriter.create({ directory: workspace.workDir, rowsPerShard: options.rowsPerShard });
  const progress = new Progress({ label: 'ingest:pairs', stream: io.stderr });
  let result;
  try {
    result = await buildPairs({ catalog, sources, salt, stageFolders, options, writer, directory: workspace.workDir, progress });
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const summary = await writer.finish({
    options: buildOptions,
    codeVersion: codeVersion(),
    rejects: result.rejects.sorted(),
    duplicates: result.duplicates,
    nearDuplicateDistance: options.nearDuplicateDistance,
    description: corpusDescription(result.splits),
  });
  if (options.shard !== null) {
    const description: ShardDescription = {
      format: 'qoq-pairs-shard',
      index: options.shard.index,
      count: options.shard.count,
      buildOptions,
      codeVersion: codeVersion(),
      splits: result.splits,
      samples: result.samples,
    };
    await writeFile(join(workspace.workDir, SHARD_FILE), `${JSON.stringify(description, null, 2)}\n`);
  }
  // The check reads what was written; a failing corpus is never committed (it stays in <output>.partial).
  const leakage = await checkLeakage(workspace.workDir);
  if (leakage.problems.length > 0) throw new LeakageError(`${leakageMessage(leakage)}\n(the build is left in ${workspace.workDir} for inspection)`);
  const exported: string[] = [];
  for (const format of options.formats) {
    const result = await exportCorpus({ corpusDir: workspace.workDir, format });
    exported.push(`  export ${format.padEnd(11)}${result.rows} rows → ${join(output, result.outputDir.slice(workspace.workDir.length + 1))}\n`);
  }
  await workspace.commit();

  const rejected = result.rejects.count;
  io.stdout(
    `${formatRunSummary({
      stage: options.shard === null ? 'ingest:pairs' : `ingest:pairs (shard ${options.shard.index}/${options.shard.count})`,
      processed: result.samples,
      written: summary.rows,
      rejected,
      skipped: result.skippedOtherShards + result.duplicates.count,
      rejectsByCode: result.rejects.countsByCode(),
      elapsedMs: performance.now() - startedAt,
      peakRssBytes: peakRssOfSelf(),
      output,
    })}\n` +
      `  duplicates        ${result.duplicates.count} dropped (duplicates.jsonl)\n` +
      `  near-duplicates   ${summary.nearDuplicates} image pairs, ${summary.crossSplitNearDuplicates} across splits (near-duplicates.jsonl)\n` +
      `  leakage check     passed (${leakage.patients} patients, ${leakage.rows} rows)\n` +
      exported.join(''),
  );
  return finishedExitCode(rejected, common.failOnReject);
}

/** Reads a shard description, or null when the folder is not a shard build. */
export async function readShardDescription(folder: string): Promise<ShardDescription | null> {
  const text = await readFile(join(folder, SHARD_FILE), 'utf8').catch(() => null);
  if (text === null) return null;
  const parsed = JSON.parse(text) as ShardDescription;
  if (parsed.format !== 'qoq-pairs-shard') throw new UsageError(`${join(folder, SHARD_FILE)} is not a shard description`);
  return parsed;
}
