// The typed placeholders a scrubbed report carries, one per kind of identifier (HIPAA Safe Harbor,
// 45 CFR §164.514(b)(2), grouped the way radiology reports show them). A span names only the kind and
// the offsets in the original text: never the identifier itself, so that the default outputs of the
// scrubber cannot leak what they removed.
import type { ParsedDate } from './report-date';

/** Every placeholder kind, in the order the README documents them. */
export const PHI_TYPES = [
  'NAME',
  'DATE',
  'AGE',
  'PHONE',
  'FAX',
  'EMAIL',
  'URL',
  'ADDRESS',
  'ZIP',
  'ID',
  'INSTITUTION',
  'REDACTED',
] as const;

export type PhiType = (typeof PHI_TYPES)[number];

/**
 * What each kind becomes in placeholder mode. AGE keeps the Safe Harbor bucket ("ages over 89 are
 * aggregated into a single category of 90 or older"); REDACTED is what MIMIC's `___` becomes.
 */
export const PLACEHOLDERS: Readonly<Record<PhiType, string>> = {
  NAME: '[NAME]',
  DATE: '[DATE]',
  AGE: '[AGE 90+]',
  PHONE: '[PHONE]',
  FAX: '[FAX]',
  EMAIL: '[EMAIL]',
  URL: '[URL]',
  ADDRESS: '[ADDRESS]',
  ZIP: '[ZIP]',
  ID: '[ID]',
  INSTITUTION: '[INSTITUTION]',
  REDACTED: '[REDACTED]',
};

/** One scrubbed identifier: its kind and [start, end) in UTF-16 code units of the original text. */
export interface PhiSpan {
  readonly type: PhiType;
  readonly start: number;
  readonly end: number;
}

/**
 * A candidate found by one detector. `priority` settles overlaps (lower wins, then the longer);
 * `date` carries the parsed date when the span is a date that date shifting can rewrite.
 */
export interface PhiCandidate extends PhiSpan {
  readonly priority: number;
  readonly date?: ParsedDate;
}
