// Typed errors of the reports library, thrown only at its boundary (../../shared/style.md).
export type ReportErrorCode = 'REPORT_NOT_TEXT' | 'REPORT_EMPTY' | 'REPORT_BAD_OPTION' | 'CSV_MALFORMED' | 'CSV_NO_COLUMN';

export interface ReportError {
  readonly code: ReportErrorCode;
  readonly message: string;
  readonly path?: string;
}

export function reportError(code: ReportErrorCode, message: string, path?: string): ReportError {
  return path === undefined ? { code, message } : { code, message, path };
}
