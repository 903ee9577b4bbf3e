import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRecords, csvReportColumn } from './csv-records';

/** RFC 4180 §2 writing: quote a field holding a comma, quote, CR or LF; double inner quotes. */
const writeCsv = (records: string[][]) =>
  records.map((r) => r.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\r\n') + '\r\n';

describe('csvRecords (RFC 4180)', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    const text = 'ecg_id,scp_codes,report\r\n1,"{\'NORM\': 100.0, \'SR\': 0.0}","sinusrhythmus, ""normal""\nekg"\r\n2,{},plain\n';
    expect([...csvRecords(text)]).toEqual([
      ['ecg_id', 'scp_codes', 'report'],
      ['1', "{'NORM': 100.0, 'SR': 0.0}", 'sinusrhythmus, "normal"\nekg'],
      ['2', '{}', 'plain'],
    ]);
  });

  it('skips a BOM and blank lines and keeps empty fields', () => {
    expect([...csvRecords('\uFEFFa,b\n\n,\n')]).toEqual([['a', 'b'], ['', '']]);
  });

  it('reads back whatever an RFC 4180 writer wrote', () => {
    const field = fc.string({ unit: fc.constantFrom('a', 'Z', ',', '"', '\n', '\r', ' ', 'ü', '1') });
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 6 }), (records) => {
        expect([...csvRecords(writeCsv(records))]).toEqual(records);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects an unterminated quoted field with CSV_MALFORMED', () => {
    expect(() => [...csvRecords('a,"b\nc', 't.csv')]).toThrow(expect.objectContaining({ code: 'CSV_MALFORMED', path: 't.csv' }));
  });
});

describe('csvReportColumn', () => {
  const table = 'ecg_id,patient_id,report\n1,15709.0,sinusrhythmus periphere niederspannung\n2,13243.0,\n3,20372.0,"sinusbradykardie, sonst normales ekg"\n';

  it('yields the report column with the key column, skipping empty reports', () => {
    expect([...csvReportColumn(table, { reportColumn: 'report', keyColumn: 'ecg_id' })]).toEqual([
      { row: 1, key: '1', text: 'sinusrhythmus periphere niederspannung' },
      { row: 3, key: '3', text: 'sinusbradykardie, sonst normales ekg' },
    ]);
  });

  it('names a missing column in a typed error', () => {
    expect(() => [...csvReportColumn(table, { reportColumn: 'bericht' })]).toThrow(expect.objectContaining({ code: 'CSV_NO_COLUMN' }));
  });
});
