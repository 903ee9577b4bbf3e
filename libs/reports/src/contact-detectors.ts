// Telephone and fax numbers, pagers, extensions, e-mail and web addresses (Safe Harbor
// §164.514(b)(2)(i)(D)–(F)). A number is a fax when the word "fax" labels it on the same line.
import { valueSpans } from './match-spans';
import type { PhiCandidate } from './phi-types';

const CONTACT_PRIORITY = 4;
const ADDRESS_PRIORITY = 1;

const EXTENSION = String.raw`(?:\s*,?\s*(?:x|ext\.?|extension)\s*\d{1,6})?`;
const PHONE_PATTERNS: readonly RegExp[] = [
  // (617) 555-0123, 617-555-0123, 617.555.0123, +1 617 555 0123, 1-800-555-0123, each with x1234
  new RegExp(String.raw`(?<![\w+.-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-]|[.,]\d)${EXTENSION}`, 'dgi'),
  // international: +44 20 7946 0958, +49 30 1234567
  /(?<![\w+])\+(?:[2-9]\d{0,2})[\s.-]?\d{1,4}(?:[\s.-]?\d{2,5}){1,4}(?![\w-])/dg,
  // a bare number after a telephone word: "call 6175550123", "tel: 555-0123", "pager 12345", "x1234"
  /\b(?:phone|tel|telephone|cell|mobile|call(?:ed)?(?:\s+at)?|contact(?:ed)?\s+at|reached\s+at|fax|pager|pgr|beeper|bpr|page)\s*(?:#|no\.?|number)?\s*[:#.]?\s*(?<value>\d(?:[\d\s.-]{2,12}\d))(?![\w])/dgi,
  /(?<![\w/])(?:x|ext\.?\s?|extension\s)\d{3,6}(?![\w])/dgi,
];
// The label must sit right before the number ("fax: 617 …", "Fax # (617) …"), not earlier on the line.
const FAX_LABEL = /\b(?:fax(?:ed)?(?:\s+(?:to|at))?|facsimile|telefax)(?:\s*(?:#|no\.?|number))?\s*[:#.]?\s*$/i;

const EMAIL = /(?<![\w.%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w])/g;
const TLDS = 'com|org|net|edu|gov|mil|int|io|info|biz|us|uk|ca|de|fr|nl|au|ch|it|es|jp|cn|in|health|med';
const URL_PATTERNS: readonly RegExp[] = [
  /\b(?:https?|ftp):\/\/[^\s<>"'()[\]{}]+/gi,
  /\bwww\.[^\s<>"'()[\]{}]+/gi,
  new RegExp(String.raw`(?<![\w@.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:${TLDS})\b(?:/[^\s<>"'()[\]{}]*)?`, 'gi'),
];

/** Trailing sentence punctuation is not part of a URL ("see www.example.org."). */
function trimUrl(text: string, start: number, end: number): number {
  let stop = end;
  while (stop > start && /[.,;:!?]/.test(text[stop - 1])) stop -= 1;
  return stop;
}

export function findContacts(text: string): PhiCandidate[] {
  const found: PhiCandidate[] = [];
  for (const pattern of PHONE_PATTERNS) {
    for (const { start, end } of valueSpans(pattern, text)) {
      const digits = text.slice(start, end).replace(/\D/g, '').length;
      if (digits < 3) continue;
      const isFax = FAX_LABEL.test(text.slice(Math.max(0, start - 40), start));
      found.push({ type: isFax ? 'FAX' : 'PHONE', start, end, priority: CONTACT_PRIORITY });
    }
  }
  for (const m of text.matchAll(EMAIL)) {
    found.push({ type: 'EMAIL', start: m.index, end: m.index + m[0].length, priority: ADDRESS_PRIORITY });
  }
  for (const pattern of URL_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const end = trimUrl(text, m.index, m.index + m[0].length);
      // Abbreviations such as "e.g." or "i.e." never reach here (no TLD); a dotted drug or device name
      // without a known TLD is left alone.
      if (end > m.index) found.push({ type: 'URL', start: m.index, end, priority: ADDRESS_PRIORITY + 1 });
    }
  }
  return found;
}
