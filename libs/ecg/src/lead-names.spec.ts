import { describe, expect, it } from 'vitest';
import { standardLeadFromCode, standardLeadFromText } from './lead-names';

describe('standardLeadFromText', () => {
  it('normalizes case, "Lead" prefixes and parenthesized notes', () => {
    expect(['Lead I (Einthoven)', 'lead ii', 'III', 'aVR', 'Lead aVL', 'avf', 'V1', 'Lead V6', 'MDC_ECG_LEAD_AVF'].map(standardLeadFromText)).toEqual([
      'I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V6', 'AVF',
    ]);
  });

  it('keeps non-standard leads and other signals apart', () => {
    expect(['MLII', 'V', 'ECG 1', 'PLETH', '-aVR', 'Lead -aVR', 'V7', 'V4R', ''].map(standardLeadFromText)).toEqual([
      null, null, null, null, null, null, null, null, null,
    ]);
  });
});

describe('standardLeadFromCode', () => {
  it('reads SCPECG codes (5.6.3-9-n)', () => {
    const codes = ['1', '2', '61', '62', '63', '64', '3', '4', '5', '6', '7', '8'].map((n) => standardLeadFromCode({ codeValue: `5.6.3-9-${n}`, codingSchemeDesignator: 'SCPECG' }));
    expect(codes).toEqual(['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
  });

  it('reads MDC codes, as term codes (2:n) and as context-free numbers', () => {
    expect(standardLeadFromCode({ codeValue: '2:61', codingSchemeDesignator: 'MDC' })).toBe('III');
    expect(standardLeadFromCode({ codeValue: '131076', codingSchemeDesignator: 'MDC' })).toBe('V2');
  });

  it('falls back to the code meaning when the code is unknown', () => {
    expect(standardLeadFromCode({ codeValue: 'X', codingSchemeDesignator: 'LOCAL', codeMeaning: 'Lead aVL' })).toBe('AVL');
  });
});
