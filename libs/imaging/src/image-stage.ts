// ingest:images — every JPEG, PNG and TIFF of the inputs into media/<modality>/<dataset>/<name>.png,
// images.parquet, provenance.parquet and rejects.jsonl (../shared/design.md "Media", "Provenance is kept
// apart", "Complete or absent"). The twin of ingest:dicom (dicom-stage.ts) for the datasets that ship
// ordinary image files (dermoscopy, fundus, pathology, ultrasound, MRI slices, CheXpert): the same
// sources, the same salted names, the same resize and PNG, the same resumable work folder.
// Which files: those with a .jpg .jpeg .png .tif .tiff extension (any case); the others (DICOM,
// CSV, reports) are skipped and counted, not rejected. Masks shipped beside images (BUSI's
// `<name>_mask.png`) are images to this stage too; `renderMaskPng` renders them for the pairs stage.
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
  formatRunSummary,
  listFilesSorted,
  loadSalt,
  openStageWorkspace,
  parseCommandLine,
  peakRssOfSelf,
  reportUpToDate,
  resolveSources,
  saltedName,
  sha256Files,
  type SourceEntry,
} from '@qoq/runtime';
import { isImageFileCandidate } from './image-file-decoding';
import { IMAGE_STAGE_OPTIONS, IMAGE_STAGE_USAGE, imageStageOptionsFrom } from './image-stage-options';
import type { ImageStageTask, ImageStageTaskResult, ImageStageWorkerData, ImageTableRow } from './image-stage-types';

export const IMAGE_TABLE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'media_path', type: 'string', nullable: false },
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'source_format', type: 'string', nullable: false },
  { name: 'source_width', type: 'int32', nullable: false },
  { name: 'source_height', type: 'int32', nullable: false },
  { name: 'exif_orientation', type: 'int32', nullable: true },
  { name: 'source_colour_space', type: 'string', nullable: false },
  { name: 'channels', type: 'int32', nullable: false },
  { name: 'has_alpha', type: 'bool', nullable: false },
  { name: 'bit_depth', type: 'int32', nullable: false },
  { name: 'palette', type: 'bool', nullable: false },
  { name: 'icc_profile', type: 'string', nullable: true },
  { name: 'has_icc_profile', type: 'bool', nullable: false },
  { name: 'source_pages', type: 'int32', nullable: false },
  { name: 'output_width', type: 'int32', nullable: false },
  { name: 'output_height', type: 'int32', nullable: false },
  { name: 'output_channels', type: 'int32', nullable: false },
  { name: 'source_sha256', type: 'string', nullable: false },
];

/** The same columns as ingest:dicom's provenance.parquet. */
export const IMAGE_PROVENANCE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'source_path', type: 'string', nullable: false },
  { name: 'source_sha256', type: 'string', nullable: false },
  { name: 'media_paths', type: 'list<string>', nullable: false },
];

const STAGE = 'ingest:images';

/** Datasets this stage reads: every image modality folder (not `ecg/…`), and ad-hoc `local/…` folders. */
function isImageSource(entry: SourceEntry): boolean {
  return !entry.datasetKey.startsWith('ecg/');
}

export interface ImageStageIo {
  readonly stdout: (text: string) => void;
  readonly stderr: NodeJS.WriteStream | { isTTY?: boolean; write: (text: string) => unknown };
}

export async function runImageStage(
  argv: readonly string[],
  io: ImageStageIo = { stdout: (text) => process.stdout.write(text), stderr: process.stderr },
): Promise<ExitCode> {
  const startedAt = performance.now();
  const { common, options: parsed } = parseCommandLine(argv, IMAGE_STAGE_OPTIONS);
  if (common.help) {
    io.stdout(`${IMAGE_STAGE_USAGE}\n`);
    return ExitCode.Finished;
  }
  const stageOptions = imageStageOptionsFrom(parsed);
  const workspaceRoot = findWorkspaceRoot();
  const sources = await resolveSources(common, workspaceRoot);
  const salt = await loadSalt(common.saltFile, sources.isBundledSample);
  if (common.output === undefined && !sources.isBundledSample) throw new UsageError('--output is required with --input or --sources');
  const output = resolve(common.output ?? join(workspaceRoot, 'data/sample/images'));

  const fileSha = new Map<string, string>();
  const tasks: ImageStageTask[] = [];
  let skipped = 0;
  for (const entry of sources.entries.filter(isImageSource)) {
    let files: string[];
    try {
      files = await listFilesSorted(entry.folder);
    } catch {
      throw new UsageError(`input folder ${entry.folder} of ${entry.datasetKey} cannot be read`);
    }
    const images = files.filter(isImageFileCandidate);
    skipped += files.length - images.length;
    // Only the files this stage reads are inputs: a changed CSV beside them changes no output.
    const digests = await sha256Files(images.map((path) => join(entry.folder, path)));
    images.forEach((path, index) => fileSha.set(`${entry.datasetKey}/${path}`, digests[index]));
    for (const path of images) {
      tasks.push({
        datasetKey: entry.datasetKey,
        folder: entry.folder,
        path,
        mediaFolder: entry.datasetKey,
        // The pairs stage finds a source's PNG by recomputing this name: keep it ingest:dicom's.
        mediaName: saltedName(salt, `${entry.datasetKey}/${path}`),
      });
    }
  }
  const workspace = await openStageWorkspace<ImageStageTaskResult>(output, {
    stage: STAGE,
    codeVersion: codeVersion(),
    // The salt changes every output name, so its digest (never the salt) is part of the options.
    options: { maxPixels: stageOptions.maxPixels, salt: createHash('sha256').update(salt.bytes).digest('hex') },
    inputs: [...fileSha].map(([path, sha256]) => ({ path, sha256 })),
  });
  if (workspace.upToDate) return reportUpToDate(STAGE, output, startedAt, common.failOnReject, io.stdout);

  for (const folder of new Set(tasks.map((task) => task.mediaFolder))) await mkdir(join(workspace.workDir, 'media', folder), { recursive: true });
  const keyOf = (task: ImageStageTask): string => `${task.datasetKey}\0${task.path}`;
  const results = new Map<string, ImageStageTaskResult>(workspace.resumed);
  const pending = tasks.filter((task) => !results.has(keyOf(task)));
  const progress = new Progress({ label: STAGE, total: tasks.length, stream: io.stderr });
  progress.tick(tasks.length - pending.length);

  const workerData: ImageStageWorkerData = { maxPixels: stageOptions.maxPixels, workDir: workspace.workDir };
  if (pending.length > 0) {
    const pool = new WorkerPool<ImageStageTask, ImageStageTaskResult>({
      script: new URL('./image-stage-worker.ts', import.meta.url),
      size: Math.min(common.workers, pending.length),
      workerData,
    });
    try {
      let index = 0;
      for await (const outcome of pool.mapOrdered(pending)) {
        const task = pending[index++];
        const result: ImageStageTaskResult = outcome.ok
          ? outcome.value
          : { kind: 'rejected', code: 'INTERNAL', message: String((outcome.error as { message?: unknown }).message ?? outcome.error), path: task.path };
        results.set(keyOf(task), result);
        await workspace.markDone(keyOf(task), result);
        progress.tick();
      }
    } finally {
      await pool.close();
    }
  }
  progress.finish();

  // Tables in task order (sorted by dataset, then path), whatever order the work finished in.
  const rejects = new RejectLog();
  const tableRows: ImageTableRow[] = [];
  const provenanceRows: Array<Record<string, string | readonly string[]>> = [];
  for (const task of tasks) {
    const result = results.get(keyOf(task));
    if (result === undefined) throw new Error(`internal: no result for ${task.datasetKey}/${task.path}`);
    if (result.kind === 'rejected') {
      rejects.add({ dataset_key: task.datasetKey, path: result.path, code: result.code, message: result.message });
      continue;
    }
    const sourceSha256 = fileSha.get(`${task.datasetKey}/${task.path}`) ?? '';
    tableRows.push({ ...result.row, source_sha256: sourceSha256 });
    provenanceRows.push({ dataset_key: task.datasetKey, source_path: task.path, source_sha256: sourceSha256, media_paths: [result.row['media_path'] as string] });
  }
  await writeParquetFile(join(workspace.workDir, 'images.parquet'), tableRows, { columns: IMAGE_TABLE_COLUMNS });
  await writeParquetFile(join(workspace.workDir, 'provenance.parquet'), provenanceRows, { columns: IMAGE_PROVENANCE_COLUMNS });
  await rejects.write(join(workspace.workDir, 'rejects.jsonl'));
  await workspace.commit();

  io.stdout(
    `${formatRunSummary({
      stage: STAGE,
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
