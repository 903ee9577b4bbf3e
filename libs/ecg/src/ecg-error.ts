// Typed errors as values (shared/style.md): a machine code and a sentence, thrown only at the boundaries
// of the readers (readWfdbRecord, readDicomWaveform, normalizeEcg) so that a caller can turn any failure
// into one rejects.jsonl line without parsing messages.

export type EcgErrorCode =
  /** A file the record needs is not in its source. */
  | 'ECG_MISSING_FILE'
  /** A signal file ends before the samples its header promises. */
  | 'ECG_TRUNCATED'
  /** A header line that WFDB header(5) cannot read. */
  | 'WFDB_BAD_HEADER'
  /** A storage format this reader does not decode (e.g. FLAC formats 508/516/524). */
  | 'WFDB_UNSUPPORTED_FORMAT'
  /** A MATLAB v4 file whose matrix does not match the header's byte offset, type or shape. */
  | 'WFDB_BAD_MAT'
  /** Not a DICOM Part-10 file, or unparseable. */
  | 'DICOM_BAD_FILE'
  /** A DICOM object without a usable Waveform Sequence (PS3.3 C.10.9). */
  | 'DICOM_NOT_WAVEFORM'
  /** A waveform attribute combination this reader does not decode. */
  | 'DICOM_UNSUPPORTED'
  /** Normalization: shorter than the stated minimum duration. */
  | 'ECG_TOO_SHORT'
  /** Normalization: a NaN gap longer than the interpolation limit. */
  | 'ECG_GAP_TOO_LONG'
  /** Normalization: a requested lead that is absent and cannot be derived. */
  | 'ECG_MISSING_LEADS'
  /** Normalization: a lead whose units are not a voltage. */
  | 'ECG_BAD_UNITS'
  /** Normalization with rejectBadChecksum: a stored checksum was not reproduced. */
  | 'ECG_BAD_CHECKSUM'
  /** Bad options given by the caller. */
  | 'ECG_BAD_OPTIONS';

export class EcgError extends Error {
  override readonly name = 'EcgError';
  constructor(
    readonly code: EcgErrorCode,
    message: string,
    /** The file (relative to its source) the error is about, when there is one. */
    readonly path?: string,
  ) {
    super(message);
  }

  /** The value to write to rejects.jsonl. */
  toJSON(): { code: EcgErrorCode; message: string; path?: string } {
    return this.path === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, path: this.path };
  }
}

export function isEcgError(value: unknown): value is EcgError {
  return value instanceof EcgError;
}
