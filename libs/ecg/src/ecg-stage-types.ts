import type { EcgNormalizeOptions } from './normalize-ecg';

export interface EcgStageWorkerData {
  readonly options: EcgNormalizeOptions;
  readonly workDir: string;
}

/** One record to read, normalize and write. */
export interface EcgRecordTask {
  readonly kind: 'wfdb' | 'dicom-waveform';
  readonly datasetKey: string;
  /** Absolute dataset folder. */
  readonly folder: string;
  /** The header (`.hea`) or DICOM file, relative to the folder. */
  readonly path: string;
  /** `ecg/<dataset>`, relative to media/. */
  readonly mediaFolder: string;
  /** Salted name of the record (no extension). */
  readonly mediaName: string;
}

/** A batch of input files to hash (and, where `parseHeader`, to parse as WFDB headers): see input-scan.ts. */
export interface EcgScanTask {
  readonly kind: 'scan';
  /** Absolute dataset folder. */
  readonly folder: string;
  /** Files relative to the folder. */
  readonly files: readonly string[];
  readonly parseHeader: readonly boolean[];
}

export type EcgStageTask = EcgRecordTask | EcgScanTask;

export interface EcgScanResult {
  readonly kind: 'scanned';
  readonly digests: readonly string[];
  readonly segmentHeaders: readonly string[];
}

/** One row of ecg.parquet (see ECG_TABLE_COLUMNS). */
export type EcgTableRow = Record<string, string | number | null | readonly string[]>;

export type EcgStageTaskResult =
  | { readonly kind: 'accepted'; readonly rows: readonly EcgTableRow[]; readonly filesRead: readonly string[] }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string; readonly path: string; readonly filesRead: readonly string[] }
  | { readonly kind: 'skipped'; readonly filesRead: readonly string[] };
