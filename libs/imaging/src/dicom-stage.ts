// ingest:dicom — every DICOM image of the inputs into media/<modality>/<dataset>/<name>.png,
// dicom.parquet, provenance.parquet and rejects.jsonl (../shared/design.md "Media", "Provenance is kept
// apart", "Complete or absent"). Files are processed on worker threads in sorted order; the output
// folder appears only when complete, a killed run resumes from its journal, and an unchanged re-run is
// skipped by its input manifest. The orchestration mirrors @qoq/ecg's ingest:ecg.
// NOTE: it lives in libs/imaging for now; libs/imaging is otherwise the format-independent pipeline.
// De-identification (issue 5, dicom-stage-deid.ts): every header goes through @qoq/deid before its
// pixels are decoded; the header columns of dicom.parquet are read from the de-identified data set, and
// the audit of what was done is in provenance.parquet only. Images that may carry burned-in text are
// refused as DICOM_BURNED_IN per --burned-in (pixels are not cleaned: PS3.15 "Clean Pixel Data" is not done).
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadCatalog, type Catalog } from '@qoq/catalog';
import { AUDIT_ACTIONS, readProfileTableFiles } from '@qoq/deid';
import type { FrameSelection } from '@qoq/dicom';
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
  sha256Files,
  type SourceEntry,
} from '@qoq/runtime';
import { DICOM_STAGE_OPTIONS, DICOM_STAGE_USAGE, dicomStageOptionsFrom } from './dicom-stage-options';
import type { DicomStageTask, DicomStageTaskResult, DicomStageWorkerData, DicomTableRow } from './dicom-stage-types';
import { windowChoiceFromCatalog, type WindowChoice } from './window-presets';

export const DICOM_TABLE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'media_path', type: 'string', nullable: false },
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'frame_index', type: 'int32', nullable: false },
  { name: 'sop_class_uid', type: 'string', nullable: true },
  { name: 'dicom_modality', type: 'string', nullable: true },
  { name: 'transfer_syntax_uid', type: 'string', nullable: false },
  { name: 'rows', type: 'int32', nullable: false },
  { name: 'columns', type: 'int32', nullable: false },
  { name: 'frames', type: 'int32', nullable: false },
  { name: 'photometric_interpretation', type: 'string', nullable: false },
  { name: 'samples_per_pixel', type: 'int32', nullable: false },
  { name: 'bits_allocated', type: 'int32', nullable: false },
  { name: 'bits_stored', type: 'int32', nullable: false },
  { name: 'pixel_representation', type: 'int32', nullable: false },
  { name: 'lossy', type: 'bool', nullable: false },
  { name: 'modality_lut', type: 'string', nullable: false },
  { name: 'rescale_slope', type: 'double', nullable: true },
  { name: 'rescale_intercept', type: 'double', nullable: true },
  { name: 'window_source', type: 'string', nullable: false },
  { name: 'window_center', type: 'double', nullable: true },
  { name: 'window_width', type: 'double', nullable: true },
  { name: 'voi_lut_function', type: 'string', nullable: true },
  { name: 'inverted', type: 'bool', nullable: false },
  { name: 'pixel_spacing', type: 'list<double>', nullable: true },
  { name: 'view_position', type: 'string', nullable: true },
  { name: 'laterality', type: 'string', nullable: true },
  { name: 'body_part_examined', type: 'string', nullable: true },
  { name: 'decoded_resolution_level', type: 'int32', nullable: false },
  { name: 'output_width', type: 'int32', nullable: false },
  { name: 'output_height', type: 'int32', nullable: false },
  { name: 'output_channels', type: 'int32', nullable: false },
  // De-identified identity and context (@qoq/deid metadataRow): salted keys, the shifted study date
  // (null when dates are dropped), age ("90+" above 89), sex, and what was done (PS3.15 §E.1.1).
  { name: 'patient_key', type: 'string', nullable: false },
  { name: 'study_key', type: 'string', nullable: true },
  { name: 'series_key', type: 'string', nullable: true },
  { name: 'study_date', type: 'string', nullable: true },
  { name: 'patient_age', type: 'string', nullable: true },
  { name: 'patient_sex', type: 'string', nullable: true },
  { name: 'date_mode', type: 'string', nullable: false },
  { name: 'patient_identity_removed', type: 'string', nullable: false },
  { name: 'deidentification_method', type: 'string', nullable: false },
  { name: 'deidentification_method_codes', type: 'list<string>', nullable: false },
  { name: 'source_sha256', type: 'string', nullable: false },
];

export const DICOM_PROVENANCE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'source_path', type: 'string', nullable: false },
  { name: 'source_sha256', type: 'string', nullable: false },
  { name: 'media_paths', type: 'list<string>', nullable: false },
  { name: 'patient_key', type: 'string', nullable: false },
  // The de-identification audit: attributes per action (deid_<action>), private and not-known-safe
  // attributes removed, the keyword paths kept unchanged, the method codes, the burned-in risk let through.
  ...AUDIT_ACTIONS.map((action): ColumnSpec => ({ name: `deid_${action}`, type: 'int32', nullable: false })),
  { name: 'deid_private_removed', type: 'int32', nullable: false },
  { name: 'deid_unknown_removed', type: 'int32', nullable: false },
  { name: 'deid_retained', type: 'list<string>', nullable: false },
  { name: 'deid_method_codes', type: 'list<string>', nullable: false },
  { name: 'burned_in_risk', type: 'string', nullable: true },
];

/** Datasets this stage reads: every image modality folder (not `ecg/…`), and ad-hoc `local/…` folders. */
function isImageSource(entry: SourceEntry): boolean {
  return !entry.datasetKey.startsWith('ecg/');
}

/**
 * The catalog's defaults for a dataset: its window (`header` for datasets it does not know, local/…)
 * and its frame sampling (qoq-med.md §1: volumes and videos as N uniform frames; per-slice datasets
 * keep every frame; else the middle frame).
 */
function catalogDefaultsOf(catalog: Catalog, datasetKey: string): { window: WindowChoice; frames: FrameSelection } {
  if (!catalog.hasDataset(datasetKey)) return { window: { kind: 'header' }, frames: 'middle' };
  const sampling = catalog.dataset(datasetKey).frames;
  const frames: FrameSelection = sampling?.kind === 'uniform' ? sampling.count : sampling?.kind === 'per-slice' ? 'all' : 'middle';
  return { window: windowChoiceFromCatalog(catalog.windowPreset(datasetKey)), frames };
}

export interface DicomStageIo {
  readonly stdout: (text: string) => void;
  readonly stderr: NodeJS.WriteStream | { isTTY?: boolean; write: (text: string) => unknown };
}

export async function runDicomStage(
  argv: readonly string[],
  io: DicomStageIo = { stdout: (text) => process.stdout.write(text), stderr: process.stderr },
): Promise<ExitCode> {
  const startedAt = performance.now();
  const { common, options: parsed } = parseCommandLine(argv, DICOM_STAGE_OPTIONS);
  if (common.help) {
    io.stdout(`${DICOM_STAGE_USAGE}\n`);
    return ExitCode.Finished;
  }
  const stageOptions = dicomStageOptionsFrom(parsed);
  const workspaceRoot = findWorkspaceRoot();
  const sources = await resolveSources(common, workspaceRoot);
  const salt = await loadSalt(common.saltFile, sources.isBundledSample);
  if (common.output === undefined && !sources.isBundledSample) throw new UsageError('--output is required with --input or --sources');
  const output = resolve(common.output ?? join(workspaceRoot, 'data/sample/dicom'));

  const datasets = sources.entries.filter(isImageSource);
  const catalog = loadCatalog();
  const fileSha = new Map<string, string>();
  const tasks: DicomStageTask[] = [];
  for (const entry of datasets) {
    let files: string[];
    try {
      files = await listFilesSorted(entry.folder);
    } catch {
      throw new UsageError(`input folder ${entry.folder} of ${entry.datasetKey} cannot be read`);
    }
    const digests = await sha256Files(files.map((path) => join(entry.folder, path)));
    files.forEach((path, index) => fileSha.set(`${entry.datasetKey}/${path}`, digests[index]));
    const defaults = catalogDefaultsOf(catalog, entry.datasetKey);
    const window = stageOptions.window ?? defaults.window;
    const frames = stageOptions.frames ?? defaults.frames;
    for (const path of files) {
      tasks.push({
        datasetKey: entry.datasetKey,
        folder: entry.folder,
        path,
        mediaFolder: entry.datasetKey,
        mediaName: saltedName(salt, `${entry.datasetKey}/${path}`),
        window,
        frames,
      });
    }
  }
  const workspace = await openStageWorkspace<DicomStageTaskResult>(output, {
    stage: 'ingest:dicom',
    codeVersion: codeVersion(),
    // The salt changes every output name, so its digest (never the salt) is part of the options.
    options: {
      ...stageOptions.render,
      windows: Object.fromEntries(tasks.map((task) => [task.datasetKey, task.window])),
      frames: Object.fromEntries(tasks.map((task) => [task.datasetKey, task.frames])),
      deid: stageOptions.deid,
      salt: createHash('sha256').update(salt.bytes).digest('hex'),
    },
    inputs: [...fileSha].map(([path, sha256]) => ({ path, sha256 })),
  });
  if (workspace.upToDate) return reportUpToDate('ingest:dicom', output, startedAt, common.failOnReject, io.stdout);

  for (const folder of new Set(tasks.map((task) => task.mediaFolder))) await mkdir(join(workspace.workDir, 'media', folder), { recursive: true });
  const keyOf = (task: DicomStageTask): string => `${task.datasetKey}\0${task.path}`;
  const results = new Map<string, DicomStageTaskResult>(workspace.resumed);
  const pending = tasks.filter((task) => !results.has(keyOf(task)));
  const progress = new Progress({ label: 'ingest:dicom', total: tasks.length, stream: io.stderr });
  progress.tick(tasks.length - pending.length);

  const workerData: DicomStageWorkerData = {
    options: stageOptions.render,
    deid: stageOptions.deid,
    saltHex: salt.bytes.toString('hex'),
    workDir: workspace.workDir,
    profileTables: readProfileTableFiles(),
  };
  const pool = new WorkerPool<DicomStageTask, DicomStageTaskResult>({
    script: new URL('./dicom-stage-worker.ts', import.meta.url),
    size: Math.min(common.workers, Math.max(1, pending.length)),
    workerData,
  });
  try {
    let index = 0;
    for await (const outcome of pool.mapOrdered(pending)) {
      const task = pending[index++];
      const result: DicomStageTaskResult = outcome.ok
        ? outcome.value
        : { kind: 'rejected', code: 'INTERNAL', message: String((outcome.error as { message?: unknown }).message ?? outcome.error), path: task.path };
      results.set(keyOf(task), result);
      await workspace.markDone(keyOf(task), result);
      progress.tick();
    }
  } finally {
    await pool.close();
  }
  progress.finish();

  // Tables in task order (sorted by dataset, then path), whatever order the work finished in.
  const rejects = new RejectLog();
  const tableRows: DicomTableRow[] = [];
  const provenanceRows: Array<Record<string, string | number | null | readonly string[]>> = [];
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
    const sourceSha256 = fileSha.get(`${task.datasetKey}/${task.path}`) ?? '';
    for (const row of result.rows) tableRows.push({ ...row, source_sha256: sourceSha256 });
    const { audit } = result.provenance;
    provenanceRows.push({
      dataset_key: task.datasetKey,
      source_path: task.path,
      source_sha256: sourceSha256,
      media_paths: result.rows.map((row) => row.media_path as string),
      patient_key: result.provenance.patientKey,
      ...Object.fromEntries(AUDIT_ACTIONS.map((action) => [`deid_${action}`, audit.actions[action]])),
      deid_private_removed: audit.privateRemoved,
      deid_unknown_removed: audit.unknownRemoved,
      deid_retained: audit.retained,
      deid_method_codes: result.provenance.methodCodes,
      burned_in_risk: result.provenance.burnedInRisk,
    });
  }
  await writeParquetFile(join(workspace.workDir, 'dicom.parquet'), tableRows, { columns: DICOM_TABLE_COLUMNS });
  await writeParquetFile(join(workspace.workDir, 'provenance.parquet'), provenanceRows, { columns: DICOM_PROVENANCE_COLUMNS });
  await rejects.write(join(workspace.workDir, 'rejects.jsonl'));
  await workspace.commit();

  io.stdout(
    `${formatRunSummary({
      stage: 'ingest:dicom',
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
}
