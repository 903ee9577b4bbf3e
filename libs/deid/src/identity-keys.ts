// Patient, study and series keys: salted HMACs (design.md "Identifiers are replaced by salted hashes"),
// each in its own key space so that a study key can never equal a patient key.
import { saltedHash, type Salt } from '@qoq/runtime';

export const KEY_PURPOSES = { patient: 'patient-key', study: 'study-key', series: 'series-key' } as const;

/**
 * 32 hex characters (128 bits) of the HMAC of the patient's identity: the dataset layout's subject id
 * when deidentify() was given one as `patientIdentity` (pass the same string here from other stages, e.g.
 * reports, to get the same key and so the same date offset), otherwise derived from Patient ID.
 */
export function patientKey(salt: Salt, identity: string): string {
  return saltedHash(salt, KEY_PURPOSES.patient, identity).slice(0, 32);
}

export function studyKey(salt: Salt, studyInstanceUid: string): string {
  return saltedHash(salt, KEY_PURPOSES.study, studyInstanceUid.trim()).slice(0, 32);
}

export function seriesKey(salt: Salt, seriesInstanceUid: string): string {
  return saltedHash(salt, KEY_PURPOSES.series, seriesInstanceUid.trim()).slice(0, 32);
}
