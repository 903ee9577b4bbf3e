import type { ProfileTableFiles } from '@qoq/deid';
import type { FrameSelection } from '@qoq/dicom';
import type { DicomDeidProvenance, DicomDeidSettings } from './dicom-stage-deid';
import type { WindowChoice } from './window-presets';

/** What the worker needs to render, the same for every file of a dataset. */
export interface DicomRenderOptions {
  /** Frames of multi-frame objects; the stage sets it per dataset. */
  readonly frames: FrameSelection;
  readonly maxPixels: number;
  /** Decode JPEG 2000 / HTJ2K only at the wavelet level the target size needs. */
  readonly reducedResolutionDecode: boolean;
}

export interface DicomStageWorkerData {
  readonly options: DicomRenderOptions;
  readonly deid: DicomDeidSettings;
  /** The run's salt in hex (keys, UID remapping, date offsets); it never leaves the process. */
  readonly saltHex: string;
  readonly workDir: string;
  /** The de-identification tables, validated once by the stage (workers skip the schema compile). */
  readonly profileTables: ProfileTableFiles;
}

export interface DicomStageTask {
  readonly datasetKey: string;
  /** Absolute dataset folder. */
  readonly folder: string;
  /** The file, relative to the folder. */
  readonly path: string;
  /** `<modality>/<dataset>` (or `local/<folder>`), relative to media/. */
  readonly mediaFolder: string;
  /** Salted name of the file (no extension). */
  readonly mediaName: string;
  /** --window, else the catalog's default for the dataset, else header. */
  readonly window: WindowChoice;
  /** --frames, else the catalog's frame sampling for the dataset, else middle. */
  readonly frames: FrameSelection;
}

/** One row of dicom.parquet (see DICOM_TABLE_COLUMNS). */
export type DicomTableRow = Record<string, string | number | boolean | null | readonly number[] | readonly string[]>;

export type DicomStageTaskResult =
  | { readonly kind: 'accepted'; readonly rows: readonly DicomTableRow[]; readonly provenance: DicomDeidProvenance }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string; readonly path: string }
  | { readonly kind: 'skipped' };
