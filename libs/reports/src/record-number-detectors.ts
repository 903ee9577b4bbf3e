// Record, accession, account and other identifying numbers (Safe Harbor §164.514(b)(2)(i)(G)–(R)),
// ages over 89 (§164.514(b)(2)(i)(C)), and MIMIC's own `___` where its de-identification already
// removed a value (MIMIC-CXR v2.0.0 reports).
import { valueSpans } from './match-spans';
import type { PhiCandidate } from './phi-types';

const REDACTED_PRIORITY = 0;
const LABELLED_ID_PRIORITY = 3;
const AGE_PRIORITY = 5;
const BARE_NUMBER_PRIORITY = 9;

// Spelled-out labels match in any case; acronyms only in capitals ("fin" and "acc" are words).
const SPELLED_LABELS = String.raw`medical\s+record(?:\s+(?:number|no\.?|#))?|record\s+(?:number|no\.?|#)|unit\s+(?:number|no\.?|#)|accession(?:\s+(?:number|no\.?|#))?|account(?:\s+(?:number|no\.?|#))?|patient\s+id(?:entifier)?|subject\s+id|study\s+id|encounter(?:\s+(?:number|no\.?|id|#))?|visit\s+(?:number|no\.?|id|#)|order\s+(?:number|no\.?|#)|requisition(?:\s+(?:number|no\.?|#))?|specimen\s+(?:number|no\.?|id|#)|case\s+(?:number|no\.?|#)|social\s+security(?:\s+(?:number|no\.?|#))?|health\s+plan(?:\s+(?:number|no\.?|id|#))?|member\s+id|policy\s+(?:number|no\.?|#)|license\s+(?:number|no\.?|#)|certificate\s+(?:number|no\.?|#)|serial\s+(?:number|no\.?|#)|device\s+id`;
const ACRONYM_LABELS = String.raw`MRN|MR\s?#|MR\s+No\.?|Acc(?:ession)?\.?|ACC\.?|Acct\.?|ACCT\.?|Pt\.?\s+ID|PT\s+ID|CSN|FIN|HAR|SSN|SS#|ID|EMPI|UID|NPI|DEA`;
const VALUE = String.raw`(?=[A-Za-z0-9-]*\d{3})[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?`;
const SEPARATOR = String.raw`\s*(?:#|no\.?|number)?\s*[:#=]?\s*(?:is\s+)?`;

const ID_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`\b(?:${SPELLED_LABELS})${SEPARATOR}(?<value>${VALUE})(?![\w])`, 'dgi'),
  new RegExp(String.raw`\b(?:${ACRONYM_LABELS})${SEPARATOR}(?<value>${VALUE})(?![\w])`, 'dg'),
  // SSN-shaped: 123-45-6789
  /(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])/dg,
];
// Seven or more digits with no label are still an identifier in a report (no measurement is written so).
const BARE_NUMBER = /(?<![\w.,-])\d{7,}(?![\w]|[.,]\d|\s*(?:units?|iu|u\b|mg|mcg|ml|copies|cells|%|\/))/gi;

const AGE_PATTERNS: readonly RegExp[] = [
  // 92-year-old, 92 year old, 92 yr old, 92-y-o
  /(?<![\w.])(?<age>\d{2,3})(?=(?:\s*|-)(?:years?|yrs?|y)(?:\s*|-)old\b)/dgi,
  // 95 yo, 95yo, 95 y/o, 95 y.o., 95 yrs, 95 years of age, 95yoF
  /(?<![\w.])(?<age>\d{2,3})(?=\s*(?:yo(?:[MF])?\b|y\/o\b|y\.o\.|yrs?\b|years?\s+of\s+age\b))/dg,
  // age 95, aged 91, Age: 93, age of 97
  /\b(?:age|aged|age\s+of)\s*[:=]?\s*(?<value>(?<age>\d{2,3}))(?![\w]|[.,]\d)/dgi,
];
const MIN_AGGREGATED_AGE = 90;
const MAX_PLAUSIBLE_AGE = 125;

export function findRecordNumbers(text: string): PhiCandidate[] {
  const found: PhiCandidate[] = [];
  for (const m of text.matchAll(/_{3,}/g)) {
    found.push({ type: 'REDACTED', start: m.index, end: m.index + m[0].length, priority: REDACTED_PRIORITY });
  }
  for (const pattern of ID_PATTERNS) {
    for (const { start, end } of valueSpans(pattern, text)) found.push({ type: 'ID', start, end, priority: LABELLED_ID_PRIORITY });
  }
  for (const m of text.matchAll(BARE_NUMBER)) {
    found.push({ type: 'ID', start: m.index, end: m.index + m[0].length, priority: BARE_NUMBER_PRIORITY });
  }
  for (const pattern of AGE_PATTERNS) {
    for (const { start, end, groups } of valueSpans(pattern, text)) {
      const age = Number(groups.age);
      if (age < MIN_AGGREGATED_AGE || age > MAX_PLAUSIBLE_AGE) continue;
      found.push({ type: 'AGE', start, end, priority: AGE_PRIORITY });
    }
  }
  return found;
}
