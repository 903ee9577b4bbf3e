import { describe, expect, it } from 'vitest';
import { retainAge } from './patient-age';
import { isoDate, shiftDa, shiftDt, validTm } from './temporal-values';

describe('date shifting (Modified Dates Option)', () => {
  it('moves a DA across month, year and leap-day boundaries', () => {
    expect(shiftDa('20240228', 1)).toBe('20240229');
    expect(shiftDa('20240229', 1)).toBe('20240301');
    expect(shiftDa('20231231', 1)).toBe('20240101');
    expect(shiftDa('20240101', -365)).toBe('20230101');
    expect(shiftDa('1999.12.31', 1)).toBe('20000101');
  });

  it('keeps the interval between two dates of one patient', () => {
    const day = (v: string) => Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8));
    for (const shift of [-365, -31, 17, 200]) {
      const a = shiftDa('20190611', shift) ?? '';
      const b = shiftDa('20200302', shift) ?? '';
      expect(day(b) - day(a)).toBe(day('20200302') - day('20190611'));
    }
  });

  it('refuses what is not a full calendar date', () => {
    expect(shiftDa('20230230', 1)).toBeUndefined();
    expect(shiftDa('2023', 1)).toBeUndefined();
    expect(shiftDa('Mk01qq', 1)).toBeUndefined();
    expect(shiftDt('2023', 5)).toBeUndefined();
  });

  it('moves the date of a DT, keeps its time and drops its UTC offset', () => {
    expect(shiftDt('20230105101112.123+0100', -10)).toBe('20221226101112.123');
    expect(shiftDt('20230105', 1)).toBe('20230106');
  });

  it('accepts valid TM values only', () => {
    expect(validTm('235959.999999')).toBe('235959.999999');
    expect(validTm('10:11:12')).toBe('10:11:12');
    expect(validTm('246000')).toBeUndefined();
  });

  it('writes ISO dates for the metadata', () => {
    expect(isoDate('20230105')).toBe('2023-01-05');
    expect(isoDate('20231305')).toBeUndefined();
  });
});

describe('retainAge (ages over 89 as 90+)', () => {
  it('keeps ages up to 89 and caps older ones at a VR-valid 090Y', () => {
    expect(retainAge('045Y')).toEqual({ as: '045Y', years: 45, label: '45' });
    expect(retainAge('089Y')?.label).toBe('89');
    expect(retainAge('090Y')).toEqual({ as: '090Y', years: 90, label: '90+' });
    expect(retainAge('104Y')).toEqual({ as: '090Y', years: 90, label: '90+' });
    expect(retainAge('999M')?.label).toBe('83');
    expect(retainAge('006W')?.label).toBe('0');
  });

  it('rejects values that are not ages', () => {
    expect(retainAge('45')).toBeUndefined();
    expect(retainAge('045 years')).toBeUndefined();
  });
});
