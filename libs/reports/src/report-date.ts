// Dates as radiology and ECG reports write them, found, parsed and rewritten in the same format.
// Under HIPAA Safe Harbor (45 CFR §164.514(b)(2)(i)(C)) every element of a date except the year is
// an identifier, so month-day, day-month and month-year forms count; a year alone does not. Shifting
// moves a date by the patient's day offset (the same offset as the DICOM dates, PS3.15 Annex E
// "Retain Longitudinal Temporal Information with Modified Dates Option") and writes it back with the
// original separators, padding, month-name style and year width, so intervals between dates survive.

/** A date found in text: the calendar fields it states and where each field sits inside the match. */
export interface ParsedDate {
  /** Absent for month-day forms ("on 3/14", "Jan 2"). */
  readonly year?: number;
  readonly month: number;
  /** Absent for month-year forms ("January 2023", "01/2023"). */
  readonly day?: number;
  /** False for dates that do not exist (Feb 30): they are replaced, never shifted. */
  readonly valid: boolean;
  /** Offsets of each written field relative to the start of the match, for rewriting in place. */
  readonly fields: readonly DateField[];
}

export interface DateField {
  readonly role: 'year' | 'month' | 'day' | 'ordinal' | 'weekday';
  readonly start: number;
  readonly end: number;
}

export interface DateMatch {
  readonly start: number;
  readonly end: number;
  readonly date: ParsedDate;
}

const MONTH_NAMES = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];
const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const MONTH = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)`;
const WEEKDAY = String.raw`(?:(?<weekday>monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\.?,?\s+)?`;
// A time written after the date belongs to the same identifier ("01/02/2023 10:15 AM", ISO "T10:15:00Z").
const TIME = String.raw`(?:(?:T|,?\s+(?:at\s+|@\s*)?)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?(?:[ap]\.m\.|[ap]m)(?![a-z]))?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const NUMERIC_BEFORE = String.raw`(?<![\w./:-])`;
const NUMERIC_AFTER = String.raw`(?![\w/:-]|[.,]\d)`;

// Each pattern names its fields; the interpretation of numeric day/month order is settled in code.
const DATE_PATTERNS: readonly RegExp[] = [
  // 2023-01-02, 2023/01/02, 2023.01.02 (year first: ISO 8601 and its relatives)
  new RegExp(String.raw`${NUMERIC_BEFORE}(?<year>(?:19|20|21)\d{2})(?<sep>[-/.])(?<month>\d{1,2})\k<sep>(?<day>\d{1,2})${TIME}${NUMERIC_AFTER}`, 'dgi'),
  // 01/02/2023, 1/2/23, 01-02-2023, 02.01.2023 (month or day first, settled below)
  new RegExp(String.raw`${NUMERIC_BEFORE}(?<first>\d{1,2})(?<sep>[-/.])(?<second>\d{1,2})\k<sep>(?<year>\d{4}|\d{2})${TIME}${NUMERIC_AFTER}`, 'dgi'),
  // 20230102 (DICOM DA written into text)
  new RegExp(String.raw`(?<![\w.])(?<year>(?:19|20|21)\d{2})(?<month>0[1-9]|1[0-2])(?<day>0[1-9]|[12]\d|3[01])(?![\w]|[.,]\d)`, 'dg'),
  // Monday, January 2nd, 2023 / Jan. 2 2023 / Jan-02-2023 / Jan 2
  new RegExp(String.raw`\b${WEEKDAY}(?<monthName>${MONTH})\.?(?:\s+|-|/)(?<day>\d{1,2})(?<ordinal>st|nd|rd|th)?\b(?:(?:,\s*|\s+|-|/)(?<year>(?:19|20|21)\d{2})\b)?${TIME}(?![-/]\d)`, 'dgi'),
  // 2 January 2023 / 2nd of January, 2023 / 05-Feb-2020 / 02JAN2023 / 2 Jan
  new RegExp(String.raw`${WEEKDAY}(?<![\w.])(?<day>\d{1,2})(?<ordinal>st|nd|rd|th)?(?:\s+of\s+|\s+|-|/)?(?<monthName>${MONTH})\.?(?![a-z])(?:(?:,?\s+|-|/)?(?<year>(?:19|20|21)\d{2}|(?<=-)\d{2})\b)?${TIME}`, 'dgi'),
  // January 2023 / Jan. 2023 / Jan-2023
  new RegExp(String.raw`\b(?<monthName>${MONTH})\.?(?:,?\s+|-|/)(?<year>(?:19|20|21)\d{2})\b`, 'dgi'),
  // 01/2023 (month/year)
  new RegExp(String.raw`${NUMERIC_BEFORE}(?<month>0?[1-9]|1[0-2])/(?<year>(?:19|20|21)\d{2})${NUMERIC_AFTER}`, 'dg'),
  // "on 3/14", "dated 3/14": a month/day without a year only after a word that makes it a date, since
  // "2/6 murmur" and "5/5 strength" are findings.
  new RegExp(String.raw`\b(?:on|dated|since|until|through|thru|from|before|after)\s+(?<month>\d{1,2})/(?<day>\d{1,2})${TIME}${NUMERIC_AFTER}`, 'dgi'),
];

/** Finds every date in `text`; overlapping finds are left for the caller to settle. */
export function findDates(text: string): DateMatch[] {
  const matches: DateMatch[] = [];
  for (const pattern of DATE_PATTERNS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
      const parsed = interpretDate(m);
      if (parsed === undefined) continue;
      // The month/day-with-context pattern starts at the context word: the date starts at the month.
      const start = m.indices?.groups?.month && !m.groups?.year && !m.groups?.monthName ? m.indices.groups.month[0] : m.index;
      matches.push({ start, end: m.index + m[0].length, date: rebase(parsed, m.index, start) });
    }
  }
  return matches;
}

function rebase(date: ParsedDate, matchStart: number, spanStart: number): ParsedDate {
  if (matchStart === spanStart) return date;
  const delta = spanStart - matchStart;
  return { ...date, fields: date.fields.map((f) => ({ ...f, start: f.start - delta, end: f.end - delta })) };
}

function interpretDate(m: RegExpExecArray): ParsedDate | undefined {
  const g = m.groups ?? {};
  const at = m.indices?.groups ?? {};
  const fields: DateField[] = [];
  const field = (role: DateField['role'], name: string) => {
    const range = at[name];
    if (range) fields.push({ role, start: range[0] - m.index, end: range[1] - m.index });
  };
  let month: number;
  let day: number | undefined;
  let year: number | undefined;
  if (g.monthName !== undefined) {
    // "may" and "mar" are English words; only a capitalized "May 2" / "Mar 2" is a date.
    if (/^(may|mar)$/.test(g.monthName)) return undefined;
    // "May 2 views were obtained": a capitalized May with a bare number is a date only with a year, an
    // ordinal, or a word before it that introduces a date.
    if (/^may$/i.test(g.monthName) && g.year === undefined && g.ordinal === undefined) {
      const before = m.input.slice(Math.max(0, m.index - 12), m.index);
      if (!/\b(?:on|of|since|dated|from|until|by|before|after|through|in)\s+$/i.test(before)) return undefined;
    }
    month = monthFromName(g.monthName);
    field('month', 'monthName');
  } else if (g.first !== undefined) {
    const first = Number(g.first);
    const second = Number(g.second);
    // Dotted dates are European day.month.year; slashes and dashes are US month/day/year unless the
    // first number cannot be a month.
    const dayFirst = g.sep === '.' ? second <= 12 || first > 12 : first > 12;
    if (g.sep === '.' && g.year.length === 2 && (g.first.length !== 2 || g.second.length !== 2)) return undefined;
    month = dayFirst ? second : first;
    day = dayFirst ? first : second;
    field(dayFirst ? 'day' : 'month', 'first');
    field(dayFirst ? 'month' : 'day', 'second');
  } else {
    month = Number(g.month);
    field('month', 'month');
  }
  if (g.day !== undefined) {
    day = Number(g.day);
    field('day', 'day');
  }
  field('ordinal', 'ordinal');
  if (g.year !== undefined) {
    year = g.year.length === 2 ? expandTwoDigitYear(Number(g.year)) : Number(g.year);
    field('year', 'year');
  }
  field('weekday', 'weekday');
  if (month < 1 || month > 12 || (day !== undefined && (day < 1 || day > 31))) return undefined;
  if (year === undefined && day === undefined) return undefined;
  const valid = day === undefined || day <= daysInMonth(year ?? 2000, month);
  fields.sort((a, b) => a.start - b.start);
  return { year, month, day, valid, fields };
}

/** Two-digit years pivot at 50 (1950–2049), fixed so that output never depends on today's date. */
function expandTwoDigitYear(yy: number): number {
  return yy < 50 ? 2000 + yy : 1900 + yy;
}

function monthFromName(name: string): number {
  const lower = name.toLowerCase();
  return MONTH_NAMES.findIndex((full) => full.startsWith(lower.slice(0, 3))) + 1;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * The date `days` later (negative: earlier), written exactly as `original` was. Month-year dates move
 * their mid-month day, so a month-year stays within a day's rounding of the true shift. Returns
 * undefined for a date that does not exist (the caller replaces it instead).
 */
export function shiftDateText(original: string, date: ParsedDate, days: number): string | undefined {
  if (!date.valid) return undefined;
  // Without a year, Feb 29 needs a leap reference year; any other day is shifted in a common year.
  const referenceYear = date.year ?? (date.month === 2 && date.day === 29 ? 2000 : 2001);
  const base = Date.UTC(referenceYear, date.month - 1, date.day ?? 15);
  const shifted = new Date(base + days * 86_400_000);
  const year = shifted.getUTCFullYear();
  const month = shifted.getUTCMonth() + 1;
  const day = shifted.getUTCDate();
  // Zero padding is a property of the whole date: "01/15/2023" pads both, "1/15/2023" neither (its 15 is
  // two digits by value), "12/30" both; a day beside a month name pads only when written with a zero.
  const numeric = date.fields
    .filter((f) => f.role === 'day' || f.role === 'month')
    .map((f) => original.slice(f.start, f.end))
    .filter((w) => /^\d+$/.test(w));
  const monthIsNumber = date.fields.some((f) => f.role === 'month' && /^\d+$/.test(original.slice(f.start, f.end)));
  const padded = numeric.some((w) => w.startsWith('0')) || (monthIsNumber && numeric.every((w) => w.length === 2));
  let out = '';
  let cursor = 0;
  for (const f of date.fields) {
    out += original.slice(cursor, f.start);
    const written = original.slice(f.start, f.end);
    out += rewriteField(f.role, written, { year, month, day, weekday: shifted.getUTCDay() }, padded);
    cursor = f.end;
  }
  return out + original.slice(cursor);
}

function rewriteField(
  role: DateField['role'],
  written: string,
  to: { year: number; month: number; day: number; weekday: number },
  padded: boolean,
): string {
  switch (role) {
    case 'year':
      return written.length === 2 ? String(to.year % 100).padStart(2, '0') : String(to.year);
    case 'day':
      return padded ? String(to.day).padStart(2, '0') : String(to.day);
    case 'ordinal':
      return sameCase(written, ordinalSuffix(to.day));
    case 'month':
      if (/^\d+$/.test(written)) return padded ? String(to.month).padStart(2, '0') : String(to.month);
      return renameLike(written, MONTH_NAMES[to.month - 1]);
    case 'weekday':
      return renameLike(written, WEEKDAY_NAMES[to.weekday]);
  }
}

/** Writes `fullName` in the form of `written`: abbreviated to its length (Sept stays 4), and in its case. */
function renameLike(written: string, fullName: string): string {
  const isFull = MONTH_NAMES.includes(written.toLowerCase()) || WEEKDAY_NAMES.includes(written.toLowerCase());
  const name = isFull ? fullName : fullName.slice(0, written.length === 4 && fullName === 'september' ? 4 : 3);
  return sameCase(written, name);
}

function sameCase(model: string, text: string): string {
  if (model === model.toUpperCase() && model !== model.toLowerCase()) return text.toUpperCase();
  if (model[0] === model[0].toUpperCase() && model[0] !== model[0].toLowerCase()) return text[0].toUpperCase() + text.slice(1);
  return text.toLowerCase();
}

function ordinalSuffix(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return 'th';
  return ['th', 'st', 'nd', 'rd'][day % 10] ?? 'th';
}
