// PHI scrubbing of one report: every detector proposes spans, overlaps are settled (the more specific
// detector wins, then the longer span), and each kept span becomes its typed placeholder — or, for dates
// in shift mode, the same date moved by the patient's offset. The result lists the kinds and offsets of
// what was scrubbed, never the removed text.
import { findContacts } from './contact-detectors';
import { findLocations } from './location-detectors';
import { findNames } from './name-detector';
import { PLACEHOLDERS, type PhiCandidate, type PhiSpan } from './phi-types';
import { findRecordNumbers } from './record-number-detectors';
import { findDates, shiftDateText } from './report-date';
import { reportError } from './report-error';

const DATE_PRIORITY = 5;

/**
 * `placeholders`: every identifier becomes its placeholder (`[DATE]` for dates).
 * `shift-dates`: dates move by `dateShiftDays` and keep their written format (PS3.15 Annex E's
 * modified-dates option, with the patient's offset shared with the DICOM stage); dates that do not
 * exist (Feb 30) still become `[DATE]`.
 */
export type ScrubMode = 'placeholders' | 'shift-dates';

export interface ScrubOptions {
  readonly mode?: ScrubMode;
  /** Whole days to add to every date (negative moves back); required by `shift-dates`. */
  readonly dateShiftDays?: number;
}

export interface ScrubbedReport {
  readonly text: string;
  /** What was scrubbed, sorted by start, as offsets into the ORIGINAL text. */
  readonly spans: readonly PhiSpan[];
}

export function scrubPhi(text: string, options: ScrubOptions = {}): ScrubbedReport {
  const mode = options.mode ?? (options.dateShiftDays === undefined ? 'placeholders' : 'shift-dates');
  const shift = options.dateShiftDays;
  if (mode === 'shift-dates' && (shift === undefined || !Number.isInteger(shift))) {
    throw reportError('REPORT_BAD_OPTION', "mode 'shift-dates' needs an integer dateShiftDays");
  }
  const kept = settleOverlaps(findPhiCandidates(text));
  let out = '';
  let cursor = 0;
  for (const span of kept) {
    out += text.slice(cursor, span.start);
    const shifted =
      mode === 'shift-dates' && span.date !== undefined && shift !== undefined
        ? shiftDateText(text.slice(span.start, span.end), span.date, shift)
        : undefined;
    out += shifted ?? PLACEHOLDERS[span.type];
    cursor = span.end;
  }
  out += text.slice(cursor);
  return { text: out, spans: kept.map(({ type, start, end }) => ({ type, start, end })) };
}

/** Every detector's proposals, unsettled (exported inside the lib for tests of single detectors). */
export function findPhiCandidates(text: string): PhiCandidate[] {
  const dates: PhiCandidate[] = findDates(text).map((d) => ({ type: 'DATE', start: d.start, end: d.end, priority: DATE_PRIORITY, date: d.date }));
  return [...findRecordNumbers(text), ...findContacts(text), ...dates, ...findLocations(text), ...findNames(text)];
}

/** Keeps the highest-priority (lowest number), then longest, candidates that do not overlap. */
function settleOverlaps(candidates: readonly PhiCandidate[]): PhiCandidate[] {
  const ordered = [...candidates].sort(
    (a, b) => a.priority - b.priority || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: PhiCandidate[] = [];
  for (const candidate of ordered) {
    if (candidate.end <= candidate.start) continue;
    if (kept.some((k) => candidate.start < k.end && k.start < candidate.end)) continue;
    kept.push(candidate);
  }
  return kept.sort((a, b) => a.start - b.start);
}
