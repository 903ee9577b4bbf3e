import { describe, expect, it } from 'vitest';
import { PHI_FREE_FINDINGS, inventedReports } from './invented-reports.fixture';
import { PHI_TYPES, type PhiType } from './phi-types';
import { scrubPhi } from './scrub-phi';
import { evaluateScrubber, truthType, type Scrubber } from './scrubber-evaluation';

const corpus = inventedReports(48);

/** What one identifier, written alone in a sentence, becomes. */
function scrubbedAs(before: string, identifier: string, after = '.'): { types: PhiType[]; text: string } {
  const text = `${before}${identifier}${after}`;
  const result = scrubPhi(text);
  const start = before.length;
  const end = start + identifier.length;
  const covering = result.spans.filter((s) => s.start < end && start < s.end);
  const covered = [...identifier].every((ch, i) => /\s/.test(ch) || covering.some((s) => s.start <= start + i && start + i < s.end));
  return { types: covered ? [...new Set(covering.map((s) => s.type))] : [], text: result.text };
}

describe('scrubPhi on invented reports with every kind of identifier', () => {
  const evaluation = evaluateScrubber(corpus);

  it.each(PHI_TYPES.map((t) => [t]))('replaces every inserted %s by its own placeholder', (type) => {
    const score = evaluation.byType[type];
    expect(score.support).toBeGreaterThan(0);
    expect(evaluation.misses.filter((m) => m.type === type)).toEqual([]);
    expect(score.recall).toBe(1);
    expect(score.precision).toBe(1);
  });

  it('keeps at least 95 % of the tokens of the PHI-free findings sentences', () => {
    expect(evaluation.survival.tokens).toBeGreaterThan(1000);
    expect(evaluation.survival.rate).toBeGreaterThanOrEqual(0.95);
  });

  it('leaves no inserted identifier of five or more characters in the output text', () => {
    for (const c of corpus) {
      const out = scrubPhi(c.text).text;
      for (const t of c.phi) {
        const value = c.text.slice(t.start, t.end);
        if (value.length >= 5) expect(out, `${t.type} leaked`).not.toContain(value);
      }
    }
  });

  it('returns spans with only a kind and offsets, never the removed text', () => {
    const result = scrubPhi(corpus[0].text);
    for (const span of result.spans) expect(Object.keys(span).sort()).toEqual(['end', 'start', 'type']);
    const serialized = JSON.stringify(result);
    for (const t of corpus[0].phi) {
      const value = corpus[0].text.slice(t.start, t.end);
      if (value.length >= 5) expect(serialized).not.toContain(value);
    }
  });

  it('is deterministic', () => {
    expect(scrubPhi(corpus[7].text)).toEqual(scrubPhi(corpus[7].text));
  });
});

describe('evaluateScrubber', () => {
  it('fails a scrubber that deletes everything on the survival metric, though it "finds" every identifier', () => {
    const deleteAll: Scrubber = (text) => ({ text: '', spans: [{ type: 'REDACTED', start: 0, end: text.length }] });
    const evaluation = evaluateScrubber(corpus, deleteAll);
    expect(evaluation.survival.rate).toBe(0);
    expect(evaluation.survival.rate).toBeLessThan(0.95);
    // Everything is covered, but under one kind: identifiers of every other kind are missed.
    expect(evaluation.byType.REDACTED.recall).toBe(1);
    expect(evaluation.byType.NAME.recall).toBe(0);
  });

  it('fails a scrubber that blanks the text but reports no spans', () => {
    const silentBlank: Scrubber = (text) => ({ text: text.replace(/\S/g, ' '), spans: [] });
    const evaluation = evaluateScrubber(corpus, silentBlank);
    expect(evaluation.survival.rate).toBe(0);
    expect(evaluation.overall.recall).toBe(0);
  });

  it('gives zero recall to a scrubber that changes nothing, and full survival', () => {
    const evaluation = evaluateScrubber(corpus, (text) => ({ text, spans: [] }));
    expect(evaluation.overall.recall).toBe(0);
    expect(evaluation.survival.rate).toBe(1);
    expect(evaluation.misses.length).toBe(evaluation.overall.support);
  });

  it('counts an identifier scrubbed under the wrong kind as a miss and a false positive', () => {
    const text = 'Call 617-555-0123 today.';
    const wrongKind: Scrubber = () => ({ text: 'Call [FAX] today.', spans: [{ type: 'FAX', start: 5, end: 17 }] });
    const evaluation = evaluateScrubber([{ text, phi: [{ type: 'PHONE', start: 5, end: 17 }] }], wrongKind);
    expect(evaluation.byType.PHONE.recall).toBe(0);
    expect(evaluation.byType.FAX.precision).toBe(0);
  });

  it('does not require a title or credential inside a truth NAME to be scrubbed', () => {
    const text = 'Discussed with Dr. Maria Okafor and Jane Doe, MD.';
    const evaluation = evaluateScrubber([
      { text, phi: [{ type: 'NAME', start: 15, end: 31 }, { type: 'NAME', start: 36, end: 48 }] },
    ]);
    expect(scrubPhi(text).text).toBe('Discussed with Dr. [NAME] and [NAME], MD.');
    expect(evaluation.byType.NAME.recall).toBe(1);
  });

  it('maps finer truth labels onto placeholder kinds', () => {
    expect(truthType('MRN')).toBe('ID');
    expect(truthType('accession')).toBe('ID');
    expect(truthType('NAME')).toBe('NAME');
    expect(() => truthType('SHOE_SIZE')).toThrow(RangeError);
  });
});

describe('scrubPhi, one kind at a time', () => {
  it.each([
    ['Findings discussed with Dr. ', 'Alan Whitfield'],
    ['Read by Dr ', 'Whitfield'],
    ['DR. ', 'JOHN SMITH JONES'],
    ['Mrs. ', "O'Brien", ' was informed.'],
    ['Mr. ', 'McAllister'],
    ['Name: ', 'Smith, John'],
    ['Patient: ', 'DOE, JANE M'],
    ['Electronically signed by: ', 'Emily Carter', ', MD'],
    ['Discussed with ', 'Jane Doe', ', RN.'],
    ['Results called to NP ', 'Garcia'],
    ['d/w ', 'Priya Raman', ' at 14:00.'],
    ['Per ', 'Smith', ', no further imaging.'],
    ['', 'Lisa Kowalczyk', ' R.N. notified.'],
    ['Transcribed by ', 'J. Abernathy'],
    ['Reviewed by Dr. ', 'van der Berg'],
    ['Patient ', 'John Doe', ', 45M, presented with chest pain.'],
    ['Findings called to Nurse Practitioner ', 'Lee', ' at 14:05.'],
    ['Family (son ', 'Michael', ') at bedside.'],
    ['REFERRING PHYSICIAN: ', 'JOHNSON, ROBERT A', ' MD'],
  ])('scrubs a name: %s[%s]', (before, name, after = '.') => {
    expect(scrubbedAs(before, name, after).types).toEqual(['NAME']);
  });

  it('scrubs each name after "Drs." and keeps the words between them', () => {
    expect(scrubPhi('Case reviewed with Drs. Hayes and Ortiz.').text).toBe('Case reviewed with Drs. [NAME] and [NAME].');
  });

  it.each([
    '01/02/2023', '1/2/23', '2023-01-02', 'Jan 2, 2023', '2 January 2023', 'January 2023', '01-02-2023', '02.01.2023',
    '01/02/2023 10:15', '2023-01-02T10:15:00Z', 'Monday, January 2nd, 2023', '05-Feb-2020', '02JAN2023', 'Sept. 9, 2019', 'Feb 30, 2023',
  ])('scrubs the date %s', (date) => {
    expect(scrubbedAs('Compared with the study of ', date).types).toEqual(['DATE']);
  });

  it.each([
    ['Patient is a ', '92', '-year-old man.'],
    ['Patient is a ', '101', ' year old woman.'],
    ['', '95', ' yo F with cough.'],
    ['', '93', 'yoM.'],
    ['Age: ', '97', '.'],
    ['aged ', '91', '.'],
  ])('scrubs an age over 89: %s[%s]%s', (before, age, after) => {
    const { types, text } = scrubbedAs(before, age, after);
    expect(types).toEqual(['AGE']);
    expect(text).toContain('[AGE 90+]');
  });

  it('keeps ages up to 89', () => {
    expect(scrubPhi('An 89-year-old man, age 45, 72 yo.').text).toBe('An 89-year-old man, age 45, 72 yo.');
  });

  it.each([
    ['PHONE', 'Call ', '(617) 555-0123'],
    ['PHONE', 'Call ', '617-555-0123'],
    ['PHONE', 'Call ', '617.555.0123'],
    ['PHONE', 'Call ', '+1 617 555 0123'],
    ['PHONE', 'Call ', '617-555-0123 x1234'],
    ['PHONE', 'Reading room ', 'x4471'],
    ['PHONE', 'pager ', '12345'],
    ['FAX', 'Fax: ', '(617) 555-0199'],
    ['FAX', 'fax ', '617-555-0199'],
    ['EMAIL', 'Write to ', 'j.doe+cxr@example.org'],
    ['URL', 'See ', 'https://portal.example.org/r?id=5'],
    ['URL', 'See ', 'www.example.com'],
    ['ADDRESS', 'Lives at ', '45 Oak Street, Apt 2'],
    ['ADDRESS', 'Mail to ', 'P.O. Box 1234'],
    ['ADDRESS', 'Lives at ', '9 Harbor Road, Springfield'],
    ['ID', 'MRN: ', '1234567'],
    ['ID', 'Accession #: ', 'E12345678'],
    ['ID', 'Acc ', '12345678'],
    ['ID', 'Account number ', 'A-99812'],
    ['ID', 'SSN ', '123-45-6789'],
    ['INSTITUTION', 'Transferred from ', "St. Mary's Hospital"],
    ['INSTITUTION', 'Transferred from ', 'Massachusetts General Hospital'],
    ['INSTITUTION', 'Seen at ', 'University of Chicago Medical Center'],
    ['REDACTED', 'Dr. ', '___'],
  ])('scrubs a %s: %s[%s]', (type, before, value) => {
    expect(scrubbedAs(before, value).types).toEqual([type]);
  });

  it('scrubs a ZIP code after a state, and the city and state before it', () => {
    const text = 'Boston, MA 02115';
    const { spans } = scrubPhi(text);
    expect(spans.map((s) => [s.type, text.slice(s.start, s.end)])).toEqual([
      ['ADDRESS', 'Boston, MA'],
      ['ZIP', '02115'],
    ]);
  });

  it('tells a fax from the telephone number next to it', () => {
    const text = 'Tel (617) 555-0123, fax (617) 555-0199.';
    expect(scrubPhi(text).spans.map((s) => s.type)).toEqual(['PHONE', 'FAX']);
  });
});

describe('scrubPhi keeps clinical text', () => {
  const clinical = [
    ...PHI_FREE_FINDINGS,
    'May 2 views were obtained.',
    'Patient on MS Contin 15 mg BID.',
    'MR angiography of the head was performed.',
    'ST elevation in V1-V3 with reciprocal changes.',
    'Per protocol, IV contrast was given.',
    'Discussed with the patient and her daughter.',
    'Results called to the ED at 10:15.',
    'Findings d/w the covering resident.',
    'Per Radiology, no change.',
    'Outside Hospital films were reviewed.',
    'Hospital course was uncomplicated.',
    'Grade 2/6 systolic murmur, strength 5/5 bilaterally.',
    'BP 120/80, HR 72, T 98.6 F, SpO2 95% on RA.',
    'Weight 92 kg. Opacity measures 1.2 x 3.4 x 5.6 cm.',
    'Status post CABG in 2009, compared with study from 2019.',
    'Mitral valve replaced by St. Jude mechanical valve.',
    'Hodgkin lymphoma, Crohn disease, Paget disease and Graves disease.',
    'Swan-Ganz catheter in the right pulmonary artery, Foley catheter in place.',
    'Sinusrhythmus Linkstyp sonst normales EKG.',
    'sinusrhythmus lagetyp normal ekg normal 4.46 unbestaetigter bericht',
    'INR 2.5, Hgb 9.8, WBC 12.3, morphine 4 mg IV x2.',
    'Mark the left side. Will repeat in 6 weeks.',
    'Caused by Staphylococcus Aureus. Complicated by Pseudomonas Pneumonia.',
    'Performed by Siemens Healthineers equipment. Obscured by Overlying Soft Tissue.',
    'Pt Tolerated Procedure Well. Read by Radiology Resident.',
    'Dobhoff tube, Swan-Ganz catheter and Jackson-Pratt drain in place.',
    'Wolff-Parkinson-White pattern. Brugada type 1 pattern in V1-V2.',
    'Dose length product 345 mGy-cm, total of 1200000 units.',
    'Spoke with the patient\'s nurse at the bedside. Informed Radiology Attending on call.',
  ];
  it.each(clinical.map((s) => [s]))('leaves "%s" unchanged', (sentence) => {
    expect(scrubPhi(sentence)).toEqual({ text: sentence, spans: [] });
  });
});
