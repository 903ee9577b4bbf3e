import { SAMPLE_SALT, type Salt } from '@qoq/runtime';
import { describe, expect, it } from 'vitest';
import { dateShiftDays } from './date-shift-offset';
import { findDates } from './report-date';
import { scrubPhi } from './scrub-phi';

const shift = (text: string, days: number) => scrubPhi(text, { mode: 'shift-dates', dateShiftDays: days }).text;
const dayNumber = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

describe('date shifting keeps the written format', () => {
  it.each([
    ['01/02/2023', 40, '02/11/2023'],
    ['1/2/23', 40, '2/11/23'],
    ['2023-01-02', -3, '2022-12-30'],
    ['Jan 2, 2023', 40, 'Feb 11, 2023'],
    ['2 January 2023', 40, '11 February 2023'],
    ['January 2023', 40, 'February 2023'],
    ['01-02-2023', 1, '01-03-2023'],
    ['02.01.2023', 1, '03.01.2023'],
    ['25/12/2022', 7, '01/01/2023'],
    ['03/15/2023 10:15 AM', 1, '03/16/2023 10:15 AM'],
    ['2022-11-30T08:45:00', 1, '2022-12-01T08:45:00'],
    ['Monday, January 2nd, 2023', 40, 'Saturday, February 11th, 2023'],
    ['05-FEB-2020', 24, '29-FEB-2020'],
    ['Sept. 9, 2019', 1, 'Sept. 10, 2019'],
    ['12/31/99', 1, '01/01/00'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2023-02-28', 1, '2023-03-01'],
    ['20230102', 40, '20230211'],
    ['1/15/2023', 25, '2/9/2023'],
    ['12/30/2022', 40, '02/08/2023'],
    ['Feb 28, 2023', 1, 'Mar 1, 2023'],
    ['Feb 03, 2023', 1, 'Feb 04, 2023'],
  ])('shifts %s by %i days to %s', (date, days, expected) => {
    expect(shift(`Compared with ${date}.`, days)).toBe(`Compared with ${expected}.`);
  });

  it('shifts a month/day without a year after "on", keeping its form', () => {
    expect(shift('Seen on 3/3 at 10:15.', 40)).toBe('Seen on 4/12 at 10:15.');
  });

  it('replaces a date that does not exist instead of shifting it', () => {
    expect(shift('Study of Feb 30, 2023 and 02/30/2023.', 10)).toBe('Study of [DATE] and [DATE].');
    expect(findDates('02/30/2023')[0].date.valid).toBe(false);
  });

  it('reads 02.01.2023 as 2 January (dotted dates are day first) and 13/01/2023 as 13 January', () => {
    expect(findDates('02.01.2023')[0].date).toMatchObject({ year: 2023, month: 1, day: 2 });
    expect(findDates('13/01/2023')[0].date).toMatchObject({ year: 2023, month: 1, day: 13 });
    expect(findDates('01/13/2023')[0].date).toMatchObject({ year: 2023, month: 1, day: 13 });
  });

  it('keeps the interval between two dates of one report', () => {
    const days = -137;
    const out = shift('First 2021-03-01, then 2023-07-19.', days);
    const [a, b] = out.match(/\d{4}-\d{2}-\d{2}/g) ?? ['', ''];
    expect(dayNumber(b) - dayNumber(a)).toBe(dayNumber('2023-07-19') - dayNumber('2021-03-01'));
    expect(dayNumber(a) - dayNumber('2021-03-01')).toBe(days);
  });

  it('refuses shift mode without a whole number of days', () => {
    expect(() => scrubPhi('x', { mode: 'shift-dates' })).toThrow();
    expect(() => scrubPhi('x', { mode: 'shift-dates', dateShiftDays: 1.5 })).toThrow();
  });
});

describe('dateShiftDays', () => {
  const salt: Salt = { bytes: Buffer.from('a-secret-salt-of-enough-bytes'), isPublicSample: false };
  const patients = Array.from({ length: 50 }, (_, i) => `p${10000000 + i}`);

  it('gives one patient the same offset every time, so all their dates keep their intervals', () => {
    for (const p of patients) expect(dateShiftDays(salt, p)).toBe(dateShiftDays(salt, p));
  });

  it('gives different patients different offsets within ±maxDays, never 0', () => {
    const offsets = patients.map((p) => dateShiftDays(salt, p, 365));
    expect(new Set(offsets).size).toBeGreaterThan(40);
    for (const d of offsets) {
      expect(Number.isInteger(d)).toBe(true);
      expect(d).not.toBe(0);
      expect(Math.abs(d)).toBeLessThanOrEqual(365);
    }
    expect(offsets.some((d) => d < 0) && offsets.some((d) => d > 0)).toBe(true);
  });

  it('gives another salt unrelated offsets', () => {
    const other: Salt = { bytes: SAMPLE_SALT, isPublicSample: true };
    const same = patients.filter((p) => dateShiftDays(salt, p) === dateShiftDays(other, p)).length;
    expect(same).toBeLessThan(5);
  });

  it('shifts two reports of one patient consistently', () => {
    const days = dateShiftDays(salt, 'p10000032');
    const first = shift('Exam 2180-05-06.', days).match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? '';
    const second = shift('Exam 2180-06-26.', days).match(/\d{4}-\d{2}-\d{2}/)?.[0] ?? '';
    // MIMIC's own shifted years (21xx) are dates too.
    expect(dayNumber(second) - dayNumber(first)).toBe(51);
    expect(dayNumber(first) - dayNumber('2180-05-06')).toBe(days);
  });
});
