// Typed errors of the de-identification library, thrown only at its boundary (../../shared/style.md).
export type DeidErrorCode =
  /** The image may carry identifying text in its pixels (PS3.15 §E.1.1 "Clean Pixel Data" is not done). */
  | 'DEID_BURNED_IN'
  /** data-specs/deid is missing or fails its schema. */
  | 'DEID_PROFILE_INVALID'
  | 'DEID_BAD_OPTION';

export interface DeidError {
  readonly code: DeidErrorCode;
  readonly message: string;
  readonly path?: string;
}

export function deidError(code: DeidErrorCode, message: string, path?: string): DeidError {
  return path === undefined ? { code, message } : { code, message, path };
}

export function isDeidError(value: unknown): value is DeidError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('DEID_')
  );
}
