import { describe, expect, it } from 'vitest';
import { splitSections } from './report-sections';

const MIMIC_STYLE = `                                 FINAL REPORT
 EXAMINATION:  CHEST (PA AND LAT)
 
 INDICATION:  ___F with new onset ascites  // eval for infection
 
 TECHNIQUE:  Chest PA and lateral
 
 COMPARISON:  None.
 
 FINDINGS:  
 
 There is no focal consolidation, pleural effusion or pneumothorax.  Bilateral
 nodular opacities that most likely represent nipple shadows.
 
 IMPRESSION:  
 
 No acute cardiopulmonary process.
`;

const names = (text: string) => splitSections(text).map((s) => s.name);

describe('splitSections', () => {
  it('splits a MIMIC-CXR report into its sections, in order', () => {
    const sections = splitSections(MIMIC_STYLE);
    expect(sections.map((s) => s.name)).toEqual(['FINAL REPORT', 'EXAMINATION', 'INDICATION', 'TECHNIQUE', 'COMPARISON', 'FINDINGS', 'IMPRESSION']);
    const findings = sections.find((s) => s.name === 'FINDINGS');
    expect(findings?.text).toBe('There is no focal consolidation, pleural effusion or pneumothorax.  Bilateral\n nodular opacities that most likely represent nipple shadows.');
    expect(sections.find((s) => s.name === 'IMPRESSION')?.text).toBe('No acute cardiopulmonary process.');
    expect(sections.find((s) => s.name === 'EXAMINATION')?.text).toBe('CHEST (PA AND LAT)');
  });

  it('gives offsets that slice the body out of the report', () => {
    for (const s of splitSections(MIMIC_STYLE)) {
      expect(MIMIC_STYLE.slice(s.start, s.end).trim()).toBe(s.text);
      expect(MIMIC_STYLE.slice(s.headingStart, s.headingStart + s.heading.length)).toBe(s.heading);
    }
  });

  it('accepts any case, extra spaces and a space before the colon', () => {
    expect(names('findings : clear lungs.\nImpression:normal\nClinical   History: cough')).toEqual(['FINDINGS', 'IMPRESSION', 'HISTORY']);
  });

  it('finds headings in the middle of a line', () => {
    const sections = splitSections('FINDINGS: Lungs are clear. IMPRESSION: Normal chest. Recommendation: none.');
    expect(sections.map((s) => [s.name, s.text])).toEqual([
      ['FINDINGS', 'Lungs are clear.'],
      ['IMPRESSION', 'Normal chest.'],
      ['RECOMMENDATION', 'none.'],
    ]);
  });

  it('keeps text before the first heading as the preamble', () => {
    const sections = splitSections('Portable AP chest at bedside.\nIMPRESSION: Stable.');
    expect(sections.map((s) => [s.name, s.text])).toEqual([
      ['PREAMBLE', 'Portable AP chest at bedside.'],
      ['IMPRESSION', 'Stable.'],
    ]);
  });

  it('returns one preamble for a report without headings', () => {
    expect(splitSections('sinusrhythmus lagetyp normal ekg normal')).toEqual([
      { name: 'PREAMBLE', heading: '', headingStart: 0, start: 0, end: 39, text: 'sinusrhythmus lagetyp normal ekg normal' },
    ]);
  });

  it('maps heading variants to canonical names, longest first', () => {
    expect(names('REASON FOR EXAM: dyspnea\nCLINICAL INFORMATION: fever\nWET READ: ___\nNOTIFICATION: called\nConclusions: normal')).toEqual([
      'INDICATION', 'CLINICAL INFORMATION', 'WET READ', 'NOTIFICATION', 'IMPRESSION',
    ]);
  });

  it('does not take words inside a sentence for headings', () => {
    expect(names('The findings are stable. History of smoking.\nIMPRESSION: The impression is unchanged.')).toEqual(['PREAMBLE', 'IMPRESSION']);
  });
});
