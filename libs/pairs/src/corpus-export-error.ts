// What can stop a corpus export, as typed values (style.md "Small typed cores"): a machine code, a
// sentence, and the file concerned. All are input problems the user can fix, so the failure is a
// UsageError: runCommand maps it to exit 2 (design.md "Exit codes"), and the export folder is not written.
import { UsageError } from '@qoq/runtime';

export type CorpusExportErrorCode =
  /** The corpus folder does not match its manifest (missing, unlisted or altered shard; bad manifest; missing column). */
  | 'CORPUS_INVALID'
  /** A row cannot be written in the export format (wrong types, unknown split). */
  | 'RECORD_INVALID'
  /** A row names a media file that is not in the corpus's media/. */
  | 'MEDIA_MISSING'
  /** A media file cannot be converted (an ECG .npy that is not float32 C-order, a time series that is neither .npy nor .pt). */
  | 'MEDIA_INVALID'
  /** A row's media path is not a relative path inside media/ (absolute, `..`, empty segments). */
  | 'MEDIA_PATH_INVALID'
  /** The output folder would replace the corpus or part of it. */
  | 'OUTPUT_INVALID';

export interface CorpusExportError {
  readonly code: CorpusExportErrorCode;
  readonly message: string;
  /** The file or folder the error is about. */
  readonly path: string;
}

export class CorpusExportFailure extends UsageError {
  readonly error: CorpusExportError;

  constructor(error: CorpusExportError) {
    super(`${error.code}: ${error.message} (${error.path})`, error.code);
    this.error = error;
  }

  get path(): string {
    return this.error.path;
  }
}

export function corpusExportFailure(code: CorpusExportErrorCode, message: string, path: string): CorpusExportFailure {
  return new CorpusExportFailure({ code, message, path });
}
