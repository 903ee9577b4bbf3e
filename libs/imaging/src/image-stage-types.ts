// What ingest:images' main thread and its workers exchange.

/** What the worker needs, the same for every file. */
export interface ImageStageWorkerData {
  readonly maxPixels: number;
  readonly workDir: string;
}

export interface ImageStageTask {
  readonly datasetKey: string;
  /** Absolute dataset folder. */
  readonly folder: string;
  /** The file, relative to the folder. */
  readonly path: string;
  /** `<modality>/<dataset>` (or `local/<folder>`), relative to media/. */
  readonly mediaFolder: string;
  /** Salted name of the file (no extension). */
  readonly mediaName: string;
}

/** One row of images.parquet (see IMAGE_TABLE_COLUMNS), without source_sha256 (the main thread adds it). */
export type ImageTableRow = Record<string, string | number | boolean | null>;

export type ImageStageTaskResult =
  | { readonly kind: 'accepted'; readonly row: ImageTableRow }
  | { readonly kind: 'rejected'; readonly code: string; readonly message: string; readonly path: string };
