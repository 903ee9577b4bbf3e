// Errors as values with a machine code, a sentence and the file concerned (style.md "Small typed cores").

export type DatasetIoErrorCode =
  | 'DATASET_ROW_INVALID'
  | 'DATASET_CODEC_UNAVAILABLE'
  | 'MANIFEST_MISSING'
  | 'MANIFEST_INVALID'
  | 'SHARD_MISSING'
  | 'SHARD_UNLISTED'
  | 'SHARD_HASH_MISMATCH'
  | 'SHARD_ROW_COUNT_MISMATCH'
  | 'EXPORT_RECORD_INVALID';

export interface DatasetIoError {
  code: DatasetIoErrorCode;
  message: string;
  /** The file (or folder) the error is about. */
  path: string;
}

/** The thrown form, so that `catch` sites can test `error instanceof DatasetIoFailure` and read `.error`. */
export class DatasetIoFailure extends Error {
  readonly error: DatasetIoError;
  constructor(error: DatasetIoError) {
    super(`${error.code}: ${error.message} (${error.path})`);
    this.name = 'DatasetIoFailure';
    this.error = error;
  }
  get code(): DatasetIoErrorCode {
    return this.error.code;
  }
  get path(): string {
    return this.error.path;
  }
}

export function datasetIoFailure(code: DatasetIoErrorCode, message: string, path: string): DatasetIoFailure {
  return new DatasetIoFailure({ code, message, path });
}
