// What crosses the thread boundary of ingest:reports: a task names one report (a text file to read, or
// the text of one CSV cell already read by the main thread) and how to scrub it; the result is the
// scrubbed row, or a reject whose message never quotes the report.
import type { ScrubMode } from './scrub-phi';

export type ReportsStageTask =
  | {
      readonly kind: 'text-file';
      /** Absolute dataset folder. */
      readonly folder: string;
      /** The `.txt` file, relative to the folder. */
      readonly path: string;
      readonly mode: ScrubMode;
      readonly dateShiftDays: number;
    }
  | {
      readonly kind: 'csv-cell';
      readonly text: string;
      readonly mode: ScrubMode;
      readonly dateShiftDays: number;
    };

/** The scrubbed part of one reports.parquet row (see REPORTS_TABLE_COLUMNS). */
export type ScrubbedReportRow = Record<string, string | number | null | readonly string[]>;

/**
 * Reports go to the threads in batches: one report is ~1 ms of scrubbing, less than the cost of a
 * message round trip and a journal append, so single-report tasks would leave the threads idle.
 */
export interface ReportsStageBatch {
  readonly reports: readonly ReportsStageTask[];
}

export type ReportsStageTaskResult =
  | { readonly kind: 'accepted'; readonly row: ScrubbedReportRow }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string };

/** One journal line: the results of a batch, by the reports' journal keys (batches differ on resume). */
export interface ReportsStageJournalRecord {
  readonly results: ReadonlyArray<readonly [string, ReportsStageTaskResult]>;
}
