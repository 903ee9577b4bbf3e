// Identifiers in the other ways reports are written (legacy all-caps reports, ECG over-reads,
// notification sentences, contact blocks), marked up as {TYPE|value} so the truth offsets are exact.
import { describe, expect, it } from 'vitest';
import { scrubPhi } from './scrub-phi';
import { evaluateScrubber, type ScrubberCase, type TruthSpan } from './scrubber-evaluation';

function marked(source: string): ScrubberCase {
  const phi: TruthSpan[] = [];
  let text = '';
  let cursor = 0;
  for (const m of source.matchAll(/\{([A-Z]+)\|([^}]*)\}/g)) {
    text += source.slice(cursor, m.index);
    phi.push({ type: m[1], start: text.length, end: text.length + m[2].length });
    text += m[2];
    cursor = m.index + m[0].length;
  }
  return { text: text + source.slice(cursor), phi };
}

const STYLES: readonly string[] = [
  'CHEST PA/LAT {DATE|3/14/2019 9:42 AM}\nCLINICAL HISTORY: {AGE|94} YEAR OLD FEMALE WITH COUGH.\nREFERRING PHYSICIAN: {NAME|JOHNSON, ROBERT A} MD\nCOMPARISON: {DATE|02/11/2019}\nIMPRESSION: NO ACUTE DISEASE.\nDICTATED BY: {NAME|MARY K. WILLIAMS}, M.D.',
  'Critical result communicated to Dr. {NAME|Patel} (ED attending) by Dr. {NAME|Li} on {DATE|4/5/2022 at 3:12 pm}, read back confirmed.',
  'The findings were discussed with {NAME|Sarah Thompson}, PA-C, at 5:30 p.m. on the day of the study.',
  'Pt is a {AGE|91} y/o male, DOB {DATE|03/04/1931}, seen at {INSTITUTION|Brigham and Women\'s Hospital}.',
  'These findings were relayed to the covering physician, Dr {NAME|Kim}, via phone at {PHONE|617 555 0144}.',
  'NOTIFICATION: The findings were discussed by Dr. {REDACTED|___} with Dr. {REDACTED|___} on the telephone on {REDACTED|___} at 4:15 PM.',
  'Contact: {EMAIL|jsmith@mgh.example.edu}; Ph: {PHONE|617-726-2000}; {ADDRESS|55 Fruit St, Boston MA} {ZIP|02114}',
  'Requested by: {NAME|Wong, Wei} MD. Study date: {DATE|12-Mar-2021}. Acc#: {ACCESSION|9923311}. MR#: {MRN|445566}.',
  'Sinus rhythm 72 bpm. PR 160 ms. Confirmed by {NAME|Alvarez, Diego} on {DATE|6/1/2020 8:15:00 AM}',
  'Ms {NAME|Jones} is a pleasant {AGE|90} yr old. Family (son {NAME|Michael}) at bedside. Called son at {PHONE|(781) 555-0101}.',
  'Wet read by {NAME|Hiroshi Tanaka}, MD {DATE|Tue, 11 Jul 2023 14:02}. Pager {PHONE|31245}.',
  'Patient Name: {NAME|Garcia, Maria L}\nMRN: {MRN|000123456}\nAccount No: {ACCOUNT|A7781234}\nSSN: {SSN|078-05-1120}\nHome: {ADDRESS|4500 North Lake Shore Drive, Apt 1204, Chicago, IL} {ZIP|60640-4307}',
  'Report faxed to {FAX|(617) 555-0166} and posted at {URL|https://results.example.org/cxr/88123}.',
  'Comparison: outside films from {INSTITUTION|Mercy Regional Medical Center} dated {DATE|Sept 3, 2021}.',
  'INDICATION:  67-year-old woman with cough. Patient {NAME|Van der Berg, Kwame}, MRN {MRN|4417789}, seen in clinic on {DATE|02-Mar-2016}.',
  'Findings were discussed with {NAME|Dr. Siobhan Delacroix} by telephone at {PHONE|603.555.0187} on {DATE|3/9/16} at 10:45, by {NAME|Lindqvist, Tomasz}.',
  'Findings were discussed with {NAME|Grace Van der Berg} by telephone, by {NAME|Ms. Okafor, Emeka}.',
  'Accession number: {ACCESSION|55120934}. Reports faxed to {FAX|(860) 555-0144}, {ADDRESS|4411 Mill Pond Drive, Riverton, NH 03301}.',
];

describe('scrubPhi on other report styles', () => {
  const cases = STYLES.map(marked);
  const evaluation = evaluateScrubber(cases);

  it('scrubs every marked identifier as its kind', () => {
    const misses = evaluation.misses.map((m) => `${m.type} in style ${m.caseIndex}: ${cases[m.caseIndex].text.slice(m.start, m.end)}`);
    expect(misses).toEqual([]);
  });

  it('scrubs nothing that was not marked', () => {
    for (const [i, c] of cases.entries()) {
      const extra = scrubPhi(c.text).spans.filter((s) => !c.phi.some((t) => s.start < t.end && t.start < s.end));
      expect(extra.map((s) => `${s.type} in style ${i}: ${c.text.slice(s.start, s.end)}`)).toEqual([]);
    }
  });
});
