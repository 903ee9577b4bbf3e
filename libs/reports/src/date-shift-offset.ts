// The per-patient date offset: a salted HMAC of the patient key, so that every date of one patient
// moves by the same number of days (intervals kept, PS3.15 Annex E "Retain Longitudinal Temporal
// Information with Modified Dates Option") and another salt gives unrelated offsets.
import { saltedHash, type Salt } from '@qoq/runtime';

/** Key space of the offset HMAC; the DICOM de-identification must use the same one to agree. */
export const DATE_SHIFT_PURPOSE = 'date-shift-days';

/** A non-zero whole number of days in [-maxDays, -1] ∪ [1, maxDays]. */
export function dateShiftDays(salt: Salt, patientKey: string, maxDays = 365): number {
  if (!Number.isInteger(maxDays) || maxDays < 1) throw new RangeError('maxDays must be a positive integer');
  const draw = Number.parseInt(saltedHash(salt, DATE_SHIFT_PURPOSE, patientKey).slice(0, 12), 16);
  const magnitude = 1 + (draw % maxDays);
  return Math.floor(draw / maxDays) % 2 === 0 ? -magnitude : magnitude;
}
