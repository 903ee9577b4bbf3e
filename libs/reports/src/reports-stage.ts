// ingest:reports — every report of the inputs (MIMIC-CXR .txt files, PTB-XL's report column, .txt
// files of local/ folders) scrubbed of PHI into reports.parquet, with provenance.parquet and
// rejects.jsonl beside it (../shared/design.md "Provenance is kept apart", "Complete or absent";
// issue 5 "Reports"). Keys are salted: report_key from the report's source identity, patient_key from
// the patient's identity with the same function the DICOM stage uses, so that a patient's report and
// images share the key and therefore the date offset. Reports are scrubbed on worker threads in sorted
// order; the output folder appears only when complete, a killed run resumes from its journal, and an
// unchanged re-run is skipped by its input manifest.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
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
  saltedHash,
  sha256Files,
  type Salt,
  type SourceEntry,
} from '@qoq/runtime';
import { dateShiftDays } from './date-shift-offset';
import { decodeReportText } from './mimic-report';
import { discoverReportFiles, isReportError, ptbXlReports, REPORT_LAYOUTS } from './reports-stage-discovery';
import { REPORTS_STAGE_OPTIONS, REPORTS_STAGE_USAGE, reportsDateModeFrom, scrubModeOf } from './reports-stage-options';
import { SCRUBBED_REPORT_COLUMNS } from './reports-stage-row';
import type { ReportsStageBatch, ReportsStageJournalRecord, ReportsStageTask, ReportsStageTaskResult, ScrubbedReportRow } from './reports-stage-types';

export const REPORTS_TABLE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'report_key', type: 'string', nullable: false },
  { name: 'patient_key', type: 'string', nullable: false },
  { name: 'date_mode', type: 'string', nullable: false },
  ...SCRUBBED_REPORT_COLUMNS,
  { name: 'source_sha256', type: 'string', nullable: false },
];

export const REPORTS_PROVENANCE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'source_path', type: 'string', nullable: false },
  /** 1-based data row of a CSV table; null for a report file. */
  { name: 'source_row', type: 'int32', nullable: true },
  { name: 'source_sha256', type: 'string', nullable: false },
  { name: 'report_key', type: 'string', nullable: false },
  /** The reject code when the report did not reach reports.parquet. */
  { name: 'reject_code', type: 'string', nullable: true },
];

/** Reports per thread message and journal line (~50 ms of scrubbing). */
const REPORTS_PER_BATCH = 64;

/** Key space of report keys (separate from patient, study and media names). */
export const REPORT_KEY_PURPOSE = 'report-key';

/**
 * The patient key of an identity. Injected by the caller because @qoq/deid, which owns it, depends on
 * this library (dateShiftDays, scrubPhi): pass `patientKey` from @qoq/deid so that reports and DICOM of
 * one patient get one key.
 */
export type PatientKeyOf = (salt: Salt, identity: string) => string;

export interface ReportsStageIo {
  readonly stdout: (text: string) => void;
  readonly stderr: NodeJS.WriteStream | { isTTY?: boolean; write: (text: string) => unknown };
}

/** Datasets this stage looks through: report layouts, datasets of unknown layout, local/ folders. */
function mayHoldReports(entry: SourceEntry): boolean {
  return entry.layout === undefined || entry.datasetKey.startsWith('local/') || (REPORT_LAYOUTS as readonly string[]).includes(entry.layout);
}

/** One report to scrub, with what the tables need besides the scrubbed text. */
interface PlannedReport {
  readonly journalKey: string;
  readonly datasetKey: string;
  readonly sourcePath: string;
  readonly sourceRow: number | null;
  readonly sourceSha256: string;
  readonly reportKey: string;
  readonly patientKey: string;
  readonly task: ReportsStageTask;
}

export async function runReportsStage(
  argv: readonly string[],
  keys: { readonly patientKey: PatientKeyOf },
  io: ReportsStageIo = { stdout: (text) => process.stdout.write(text), stderr: process.stderr },
): Promise<ExitCode> {
  const startedAt = performance.now();
  const { common, options: parsed } = parseCommandLine(argv, REPORTS_STAGE_OPTIONS);
  if (common.help) {
    io.stdout(`${REPORTS_STAGE_USAGE}\n`);
    return ExitCode.Finished;
  }
  const dateMode = reportsDateModeFrom(parsed);
  const mode = scrubModeOf(dateMode);
  const workspaceRoot = findWorkspaceRoot();
  const sources = await resolveSources(common, workspaceRoot);
  const salt = await loadSalt(common.saltFile, sources.isBundledSample);
  if (common.output === undefined && !sources.isBundledSample) throw new UsageError('--output is required with --input or --sources');
  const output = resolve(common.output ?? join(workspaceRoot, 'data/sample/reports'));

  // Plan: the report files and CSV rows, their SHA-256 (which decide whether finished work can be
  // reused) and keys. Only the files read are hashed, never the images beside the reports.
  const inputs: { path: string; sha256: string }[] = [];
  const planned: PlannedReport[] = [];
  const planRejects = new RejectLog();
  const reportKeyOf = (identity: string) => saltedHash(salt, REPORT_KEY_PURPOSE, identity).slice(0, 32);
  const patientKeys = new Map<string, { key: string; shift: number }>();
  const patientOf = (identity: string) => {
    let known = patientKeys.get(identity);
    if (!known) {
      const key = keys.patientKey(salt, identity);
      known = { key, shift: dateShiftDays(salt, key) };
      patientKeys.set(identity, known);
    }
    return known;
  };
  for (const entry of sources.entries.filter(mayHoldReports)) {
    let files: string[];
    try {
      files = await listFilesSorted(entry.folder);
    } catch {
      throw new UsageError(`input folder ${entry.folder} of ${entry.datasetKey} cannot be read`);
    }
    const found = discoverReportFiles(entry.datasetKey, basename(entry.folder), files);
    const textSha = await sha256Files(found.textFiles.map((file) => join(entry.folder, file.path)));
    found.textFiles.forEach((file, index) => {
      inputs.push({ path: `${entry.datasetKey}/${file.path}`, sha256: textSha[index] });
      const patient = patientOf(file.patientIdentity);
      planned.push({
        journalKey: `${entry.datasetKey}\0${file.path}`,
        datasetKey: entry.datasetKey,
        sourcePath: file.path,
        sourceRow: null,
        sourceSha256: textSha[index],
        reportKey: reportKeyOf(`${entry.datasetKey}/${file.path}`),
        patientKey: patient.key,
        task: { kind: 'text-file', folder: entry.folder, path: file.path, mode, dateShiftDays: patient.shift },
      });
    });
    for (const csvPath of found.csvFiles) {
      const bytes = await readFile(join(entry.folder, csvPath));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      inputs.push({ path: `${entry.datasetKey}/${csvPath}`, sha256 });
      let table: ReturnType<typeof ptbXlReports>;
      try {
        table = ptbXlReports(decodeReportText(bytes), csvPath);
      } catch (error) {
        if (!isReportError(error)) throw error;
        planRejects.add({ dataset_key: entry.datasetKey, path: csvPath, code: error.code === 'REPORT_EMPTY' ? 'CSV_MALFORMED' : error.code, message: error.message });
        continue;
      }
      for (const reject of table.rejects) planRejects.add({ dataset_key: entry.datasetKey, path: `${csvPath}#row=${reject.row}`, code: reject.code, message: reject.message });
      for (const report of table.reports) {
        const patient = patientOf(report.patientIdentity);
        planned.push({
          journalKey: `${entry.datasetKey}\0${csvPath}\0${report.row}`,
          datasetKey: entry.datasetKey,
          sourcePath: csvPath,
          sourceRow: report.row,
          sourceSha256: sha256,
          reportKey: reportKeyOf(`${entry.datasetKey}/${csvPath}#ecg_id=${report.ecgId}`),
          patientKey: patient.key,
          task: { kind: 'csv-cell', text: report.text, mode, dateShiftDays: patient.shift },
        });
      }
    }
  }

  const workspace = await openStageWorkspace<ReportsStageJournalRecord>(output, {
    stage: 'ingest:reports',
    codeVersion: codeVersion(),
    // The salt changes every key and offset, so its digest (never the salt) is part of the options.
    options: { dateMode, salt: createHash('sha256').update(salt.bytes).digest('hex') },
    inputs,
  });
  if (workspace.upToDate) return reportUpToDate('ingest:reports', output, startedAt, common.failOnReject, io.stdout);

  const results = new Map<string, ReportsStageTaskResult>();
  for (const record of workspace.resumed.values()) for (const [key, result] of record.results) results.set(key, result);
  const pending = planned.filter((report) => !results.has(report.journalKey));
  const progress = new Progress({ label: 'ingest:reports', total: planned.length, stream: io.stderr });
  progress.tick(planned.length - pending.length);
  const batches: PlannedReport[][] = [];
  for (let start = 0; start < pending.length; start += REPORTS_PER_BATCH) batches.push(pending.slice(start, start + REPORTS_PER_BATCH));
  if (batches.length > 0) {
    const pool = new WorkerPool<ReportsStageBatch, ReportsStageTaskResult[]>({
      script: new URL('./reports-stage-worker.ts', import.meta.url),
      size: Math.min(common.workers, batches.length),
    });
    try {
      let index = 0;
      for await (const outcome of pool.mapOrdered(batches.map((batch) => ({ reports: batch.map((report) => report.task) })))) {
        const batch = batches[index++];
        // A crashed thread's message is kept out: it could quote a report.
        const internal: ReportsStageTaskResult = { kind: 'rejected', code: 'INTERNAL', message: 'scrubbing failed with an internal error' };
        const batchResults = batch.map((report, i) => [report.journalKey, outcome.ok ? (outcome.value[i] ?? internal) : internal] as const);
        for (const [key, result] of batchResults) results.set(key, result);
        await workspace.markDone(batch[0].journalKey, { results: batchResults });
        progress.tick(batch.length);
      }
    } finally {
      await pool.close();
    }
  }
  progress.finish();

  // Tables in plan order (datasets in sources order, then path, then CSV row), whatever order the
  // work finished in. A rejected report file is named by its report_key: its path holds the subject.
  const rejects = planRejects;
  const tableRows: ScrubbedReportRow[] = [];
  const provenanceRows: ScrubbedReportRow[] = [];
  for (const report of planned) {
    const result = results.get(report.journalKey) ?? { kind: 'rejected', code: 'INTERNAL', message: 'the report was not processed' };
    provenanceRows.push({
      dataset_key: report.datasetKey,
      source_path: report.sourcePath,
      source_row: report.sourceRow,
      source_sha256: report.sourceSha256,
      report_key: report.reportKey,
      reject_code: result.kind === 'rejected' ? result.code : null,
    });
    if (result.kind === 'rejected') {
      const path = report.sourceRow === null ? `report_key=${report.reportKey}` : `${report.sourcePath}#row=${report.sourceRow}`;
      rejects.add({ dataset_key: report.datasetKey, path, code: result.code, message: `${result.message} (source in provenance.parquet)` });
      continue;
    }
    tableRows.push({
      dataset_key: report.datasetKey,
      report_key: report.reportKey,
      patient_key: report.patientKey,
      date_mode: dateMode,
      ...result.row,
      source_sha256: report.sourceSha256,
    });
  }
  await writeParquetFile(join(workspace.workDir, 'reports.parquet'), tableRows, { columns: REPORTS_TABLE_COLUMNS });
  await writeParquetFile(join(workspace.workDir, 'provenance.parquet'), provenanceRows, { columns: REPORTS_PROVENANCE_COLUMNS });
  await rejects.write(join(workspace.workDir, 'rejects.jsonl'));
  await workspace.commit();

  io.stdout(
    `${formatRunSummary({
      stage: 'ingest:reports',
      processed: planned.length,
      written: tableRows.length,
      rejected: rejects.count,
      rejectsByCode: rejects.countsByCode(),
      elapsedMs: performance.now() - startedAt,
      peakRssBytes: peakRssOfSelf(),
      output,
    })}\n`,
  );
  return finishedExitCode(rejects.count, common.failOnReject);
}
