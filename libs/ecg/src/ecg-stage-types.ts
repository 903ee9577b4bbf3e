import type { EcgNormalizeOptions } from './normalize-ecg';

export interface EcgStageWorkerData {
  readonly options: EcgNormalizeOptions;
  readonly workDir: string;
}

export interface EcgStageTask {
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

/** One row of ecg.parquet (see ECG_TABLE_COLUMNS). */
export type EcgTableRow = Record<string, string | number | null | readonly string[]>;

export type EcgStageTaskResult =
  | { readonly kind: 'accepted'; readonly rows: readonly EcgTableRow[]; readonly filesRead: readonly string[] }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string; readonly path: string; readonly filesRead: readonly string[] }
  | { readonly kind: 'skipped'; readonly filesRead: readonly string[] };
