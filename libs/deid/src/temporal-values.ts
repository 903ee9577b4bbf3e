// Dates under the "Retain Longitudinal Temporal Information with Modified Dates Option" (PS3.15 Annex
// E.3.6): every date of a patient moves by the same whole number of days, so intervals are kept; the
// offset is @qoq/reports' dateShiftDays, so DICOM and report dates of one patient agree. Whole-day
// shifts leave times of day (TM) unchanged.

const DAY_MS = 86_400_000;

/** Shifts a DA value (YYYYMMDD, or the ACR-NEMA YYYY.MM.DD form); undefined when it is not a full date. */
export function shiftDa(value: string, days: number): string | undefined {
  const match = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value.trim());
  if (match === null) return undefined;
  const shifted = shiftYmd(Number(match[1]), Number(match[2]), Number(match[3]), days);
  return shifted === undefined ? undefined : compact(shifted);
}

/**
 * Shifts the date part of a DT value (YYYYMMDD[HH[MM[SS[.F]]]][&ZZXX], PS3.5 §6.2). A DT without a full
 * date (only YYYY or YYYYMM) cannot be shifted by days and yields undefined; the UTC offset suffix is
 * dropped, since it tells where the patient was.
 */
export function shiftDt(value: string, days: number): string | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{0,6}(?:\.\d{1,6})?)([+-]\d{4})?$/.exec(value.trim());
  if (match === null) return undefined;
  const shifted = shiftYmd(Number(match[1]), Number(match[2]), Number(match[3]), days);
  return shifted === undefined ? undefined : compact(shifted) + (match[4] ?? '');
}

/** A TM value (HH[MM[SS[.F]]], or the ACR-NEMA HH:MM:SS form) when valid; undefined otherwise. */
export function validTm(value: string): string | undefined {
  const trimmed = value.trim();
  return /^([01]\d|2[0-3])(:?[0-5]\d(:?[0-5]\d(\.\d{1,6})?)?)?$/.test(trimmed) ? trimmed : undefined;
}

/** An ISO 8601 calendar date (YYYY-MM-DD) from a DA value; undefined when not a full valid date. */
export function isoDate(value: string): string | undefined {
  const match = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(value.trim());
  if (match === null || shiftYmd(Number(match[1]), Number(match[2]), Number(match[3]), 0) === undefined) return undefined;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

function shiftYmd(year: number, month: number, day: number, days: number): Date | undefined {
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  // Date.UTC rolls 20230230 over to March; such a value is not a date and must not be "shifted".
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return new Date(time + days * DAY_MS);
}

function compact(date: Date): string {
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  const day = String(date.getUTCDate()).padStart(2, '0');
  return `${year}${month}${day}`;
}
