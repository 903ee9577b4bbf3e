// ingest:ecg — every ECG record of the inputs into media/ecg/<dataset>/<name>.npy, ecg.parquet,
// provenance.parquet and rejects.jsonl (../shared/design.md "Media", "Provenance is kept apart",
// "Complete or absent"). Records are processed on worker threads in sorted order; the output folder
// appears only when complete, a killed run resumes from its journal, and an unchanged re-run is
// skipped by its input manifest.
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeParquetFile, type ColumnSpec } from '@qoq/dataset-io';
import {
  ExitCode,
  Progress,
  RejectLog,
  UsageError,
  WorkerPool,
  codeVersion,
  findWorkspaceRoot,
  finishedExitCode,
  reportUpToDate,
  formatRunSummary,
  listFilesSorted,
  loadSalt,
  openStageWorkspace,
  parseCommandLine,
  peakRssOfSelf,
  resolveSources,
  saltedName,
  type SourceEntry,
} from '@qoq/runtime';
import { candidateHeaders, ecgRecordsAmong } from './ecg-record-discovery';
import { ECG_STAGE_OPTIONS, ECG_STAGE_USAGE, ecgNormalizeOptionsFrom } from './ecg-stage-options';
import type { EcgRecordTask, EcgScanResult, EcgScanTask, EcgStageTask, EcgStageTaskResult, EcgStageWorkerData, EcgTableRow } from './ecg-stage-types';
import { scanInputFiles, type InputScan } from './input-scan';

export const ECG_TABLE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'media_path', type: 'string', nullable: false },
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'window_index', type: 'int32', nullable: false },
  { name: 'window_start_seconds', type: 'double', nullable: false },
  { name: 'padded_samples', type: 'int32', nullable: false },
  { name: 'leads', type: 'list<string>', nullable: false },
  { name: 'sampling_frequency', type: 'double', nullable: false },
  { name: 'samples', type: 'int32', nullable: false },
  { name: 'amplitude', type: 'string', nullable: false },
  { name: 'source_format', type: 'string', nullable: false },
  { name: 'original_sampling_frequency', type: 'double', nullable: false },
  { name: 'original_samples', type: 'int32', nullable: false },
  { name: 'leads_present', type: 'list<string>', nullable: false },
  { name: 'leads_derived', type: 'list<string>', nullable: false },
  { name: 'units', type: 'list<string>', nullable: false },
  { name: 'checksum_status', type: 'string', nullable: false },
  { name: 'initial_value_status', type: 'string', nullable: false },
  { name: 'flat_line_leads', type: 'list<string>', nullable: false },
  { name: 'lead_off_leads', type: 'list<string>', nullable: false },
  { name: 'saturated_leads', type: 'list<string>', nullable: false },
  { name: 'interpolated_samples', type: 'int32', nullable: false },
  { name: 'resampling', type: 'string', nullable: false },
  { name: 'age', type: 'string', nullable: true },
  { name: 'sex', type: 'string', nullable: true },
  { name: 'diagnosis_codes', type: 'list<string>', nullable: false },
  { name: 'source_sha256', type: 'string', nullable: false },
];

export const ECG_PROVENANCE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'source_path', type: 'string', nullable: false },
  { name: 'source_files', type: 'list<string>', nullable: false },
  { name: 'source_sha256', type: 'string', nullable: false },
  { name: 'media_paths', type: 'list<string>', nullable: false },
];

/** Datasets this stage reads: the ECG modality folder, and ad-hoc `local/…` folders (scanned). */
function isEcgSource(entry: SourceEntry): boolean {
  return entry.datasetKey.startsWith('ecg/') || entry.datasetKey.startsWith('local/');
}

function mediaFolderOf(datasetKey: string): string {
  return `ecg/${datasetKey.slice(datasetKey.indexOf('/') + 1)}`;
}

/**
 * A record's SHA-256: over the sorted lines `<path>\t<sha256 of the file>` of the files it was read
 * from (header and signal files), so that a change to any of them changes it.
 */
function recordSha256(filesRead: readonly string[], fileSha: ReadonlyMap<string, string>, datasetKey: string): string {
  const lines = [...new Set(filesRead)].sort().map((path) => `${path}\t${fileSha.get(`${datasetKey}/${path}`) ?? ''}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}

type EcgPool = WorkerPool<EcgStageTask, EcgStageTaskResult | EcgScanResult>;

/** Input files per scan task: enough to make a task's messages negligible, few enough to share out. */
const SCAN_BATCH_FILES = 256;

/**
 * Every input file's SHA-256 and the segment headers of multi-segment records, per dataset: in
 * batches on the pool's threads when there is a pool, else here. A batch that fails on a thread is
 * scanned again here, so that its error (an unreadable file) is the one thrown.
 */
async function scanInputs(listed: ReadonlyArray<{ readonly entry: SourceEntry; readonly files: readonly string[] }>, pool: EcgPool | undefined): Promise<InputScan[]> {
  const batches: EcgScanTask[] = [];
  const owners: number[] = [];
  listed.forEach(({ entry, files }, index) => {
    const headers = new Set(candidateHeaders(files, entry.layout));
    for (let start = 0; start < files.length; start += SCAN_BATCH_FILES) {
      const batch = files.slice(start, start + SCAN_BATCH_FILES);
      batches.push({ kind: 'scan', folder: entry.folder, files: batch, parseHeader: batch.map((path) => headers.has(path)) });
      owners.push(index);
    }
  });
  const scans = listed.map((): { digests: string[]; segmentHeaders: string[] } => ({ digests: [], segmentHeaders: [] }));
  const add = (index: number, scan: { readonly digests: readonly string[]; readonly segmentHeaders: readonly string[] }): void => {
    scans[owners[index]].digests.push(...scan.digests);
    scans[owners[index]].segmentHeaders.push(...scan.segmentHeaders);
  };
  if (pool === undefined) {
    batches.forEach((batch, index) => add(index, scanInputFiles(batch.folder, batch.files, batch.parseHeader)));
    return scans;
  }
  let index = 0;
  for await (const outcome of pool.mapOrdered(batches)) {
    const batch = batches[index];
    add(index++, outcome.ok && outcome.value.kind === 'scanned' ? outcome.value : scanInputFiles(batch.folder, batch.files, batch.parseHeader));
  }
  return scans;
}

export interface EcgStageIo {
  readonly stdout: (text: string) => void;
  readonly stderr: NodeJS.WriteStream | { isTTY?: boolean; write: (text: string) => unknown };
}

export async function runEcgStage(
  argv: readonly string[],
  io: EcgStageIo = { stdout: (text) => process.stdout.write(text), stderr: process.stderr },
): Promise<ExitCode> {
  const startedAt = performance.now();
  const { common, options: parsed } = parseCommandLine(argv, ECG_STAGE_OPTIONS);
  if (common.help) {
    io.stdout(`${ECG_STAGE_USAGE}\n`);
    return ExitCode.Finished;
  }
  const normalizeOptions = ecgNormalizeOptionsFrom(parsed);
  const workspaceRoot = findWorkspaceRoot();
  const sources = await resolveSources(common, workspaceRoot);
  const salt = await loadSalt(common.saltFile, sources.isBundledSample);
  if (common.output === undefined && !sources.isBundledSample) throw new UsageError('--output is required with --input or --sources');
  const output = resolve(common.output ?? join(workspaceRoot, 'data/sample/ecg'));

  // Inputs and their SHA-256, which decide whether finished work can be reused.
  const datasets = sources.entries.filter(isEcgSource);
  const listed: Array<{ readonly entry: SourceEntry; readonly files: string[] }> = [];
  for (const entry of datasets) {
    try {
      listed.push({ entry, files: await listFilesSorted(entry.folder) });
    } catch {
      throw new UsageError(`input folder ${entry.folder} of ${entry.datasetKey} cannot be read`);
    }
  }
  const startPool = (size: number, workDir: string): EcgPool => {
    const workerData: EcgStageWorkerData = { options: normalizeOptions, workDir };
    return new WorkerPool<EcgStageTask, EcgStageTaskResult | EcgScanResult>({ script: new URL('./ecg-stage-worker.ts', import.meta.url), size, workerData });
  };
  let pool: EcgPool | undefined;
  try {
    // Many inputs are scanned on the worker threads (which start meanwhile); a few, here.
    const fileCount = listed.reduce((sum, { files }) => sum + files.length, 0);
    // The work folder is where openStageWorkspace will put it; should it differ, the pool restarts.
    if (fileCount >= 2 * SCAN_BATCH_FILES) pool = startPool(common.workers, `${output}.partial`);
    const scans = await scanInputs(listed, pool);
    const fileSha = new Map<string, string>();
    const tasks: EcgRecordTask[] = [];
    listed.forEach(({ entry, files }, index) => {
      const scan = scans[index];
      files.forEach((path, fileIndex) => fileSha.set(`${entry.datasetKey}/${path}`, scan.digests[fileIndex]));
      for (const record of ecgRecordsAmong(files, entry.layout, new Set(scan.segmentHeaders))) {
        tasks.push({
          kind: record.kind,
          datasetKey: entry.datasetKey,
          folder: entry.folder,
          path: record.path,
          mediaFolder: mediaFolderOf(entry.datasetKey),
          mediaName: saltedName(salt, `${entry.datasetKey}/${record.path}`),
        });
      }
    });
    const workspace = await openStageWorkspace<EcgStageTaskResult>(output, {
      stage: 'ingest:ecg',
      codeVersion: codeVersion(),
      // The salt changes every output name, so its digest (never the salt) is part of the options.
      options: { ...normalizeOptions, salt: createHash('sha256').update(salt.bytes).digest('hex') },
      inputs: [...fileSha].map(([path, sha256]) => ({ path, sha256 })),
    });
    if (workspace.upToDate) return reportUpToDate('ingest:ecg', output, startedAt, common.failOnReject, io.stdout);

    for (const folder of new Set(tasks.map((task) => task.mediaFolder))) await mkdir(join(workspace.workDir, 'media', folder), { recursive: true });
    const keyOf = (task: EcgRecordTask): string => `${task.datasetKey}\0${task.path}`;
    const results = new Map<string, EcgStageTaskResult>(workspace.resumed);
    const pending = tasks.filter((task) => !results.has(keyOf(task)));
    const progress = new Progress({ label: 'ingest:ecg', total: tasks.length, stream: io.stderr });
    progress.tick(tasks.length - pending.length);

    if (pool === undefined || workspace.workDir !== `${output}.partial`) {
      await pool?.close();
      pool = startPool(Math.min(common.workers, Math.max(1, pending.length)), workspace.workDir);
    }
    let index = 0;
    for await (const outcome of pool.mapOrdered(pending)) {
      const task = pending[index++];
      const result: EcgStageTaskResult = outcome.ok
        ? (outcome.value as EcgStageTaskResult)
        : { kind: 'rejected', code: 'INTERNAL', message: String((outcome.error as { message?: unknown }).message ?? outcome.error), path: task.path, filesRead: [] };
      results.set(keyOf(task), result);
      await workspace.markDone(keyOf(task), result);
      progress.tick();
    }
    await pool.close();
    pool = undefined;
    progress.finish();

    // Tables in task order (sorted by dataset, then path), whatever order the work finished in.
    const rejects = new RejectLog();
    const tableRows: EcgTableRow[] = [];
    const provenanceRows: EcgTableRow[] = [];
    let skipped = 0;
    for (const task of tasks) {
      const result = results.get(keyOf(task));
      if (!result || result.kind === 'skipped') {
        skipped += 1;
        continue;
      }
      if (result.kind === 'rejected') {
        rejects.add({ dataset_key: task.datasetKey, path: result.path, code: result.code, message: result.message });
        continue;
      }
      const sourceSha256 = recordSha256(result.filesRead, fileSha, task.datasetKey);
      for (const row of result.rows) tableRows.push({ ...row, source_sha256: sourceSha256 });
      provenanceRows.push({
        dataset_key: task.datasetKey,
        source_path: task.path,
        source_files: [...new Set(result.filesRead)].sort(),
        source_sha256: sourceSha256,
        media_paths: result.rows.map((row) => row.media_path as string),
      });
    }
    await writeParquetFile(join(workspace.workDir, 'ecg.parquet'), tableRows, { columns: ECG_TABLE_COLUMNS });
    await writeParquetFile(join(workspace.workDir, 'provenance.parquet'), provenanceRows, { columns: ECG_PROVENANCE_COLUMNS });
    await rejects.write(join(workspace.workDir, 'rejects.jsonl'));
    await workspace.commit();

    io.stdout(
      `${formatRunSummary({
        stage: 'ingest:ecg',
        processed: tasks.length,
        written: tableRows.length,
        rejected: rejects.count,
        skipped,
        rejectsByCode: rejects.countsByCode(),
        elapsedMs: performance.now() - startedAt,
        peakRssBytes: peakRssOfSelf(),
        output,
      })}\n`,
    );
    return finishedExitCode(rejects.count, common.failOnReject);
  } finally {
    await pool?.close();
  }
}
