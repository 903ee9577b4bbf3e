// Errors as values (style.md): a machine code, a sentence, and the path the caller gave. Stages write
// them as one line of rejects.jsonl; nothing here ever logs the path itself.

export type DicomErrorCode =
  | 'DICOM_NOT_DICOM'
  | 'DICOM_TRUNCATED'
  | 'DICOM_NO_PIXEL_DATA'
  | 'DICOM_UNSUPPORTED_SYNTAX'
  | 'DICOM_CORRUPT_CODESTREAM'
  | 'DICOM_PIXEL_DATA_SHORT'
  | 'DICOM_TOO_LARGE';

/** Thrown at the library boundary (parseDicom, decodeFrames); a plain value to serialize. */
export class DicomError extends Error {
  override readonly name = 'DicomError';
  constructor(
    readonly code: DicomErrorCode,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }

  /** The rejects.jsonl shape: `{ code, message, path }`. */
  toJSON(): { code: DicomErrorCode; message: string; path?: string } {
    return this.path === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, path: this.path };
  }
}

export function isDicomError(value: unknown): value is DicomError {
  return value instanceof DicomError;
}
