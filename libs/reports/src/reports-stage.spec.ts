// The pieces of ingest:reports below the command line: which files are reports and whose, how a PTB-XL
// database becomes reports and row rejects, and how one report becomes its table columns. The command
// itself is tested end to end in apps/ingest/src/reports.spec.ts.
import { describe, expect, it } from 'vitest';
import { discoverReportFiles, ptbXlReports } from './reports-stage-discovery';
import { scrubbedReportRow } from './reports-stage-row';

describe('discoverReportFiles', () => {
  it('takes MIMIC-CXR study reports with their subject folder as the patient, and leaves images and other text alone', () => {
    const found = discoverReportFiles('chest_xray/mimic-cxr', 'mimic', [
      'README.txt',
      'files/p10/p10000032/s50414267.txt',
      'files/p10/p10000032/s50414267/02aa804e.dcm',
      'mimic-cxr-reports/files/p19/p19999987/s58971208.txt',
      'files/p10/p10000032/notes.txt',
    ]);
    expect(found.textFiles).toEqual([
      { path: 'files/p10/p10000032/s50414267.txt', patientIdentity: 'p10000032' },
      { path: 'mimic-cxr-reports/files/p19/p19999987/s58971208.txt', patientIdentity: 'p19999987' },
    ]);
    expect(found.csvFiles).toEqual([]);
  });

  it('takes every .txt file of a local folder, the parent folder naming the patient', () => {
    const found = discoverReportFiles('local/site-a', 'site-a', ['alice/ct.TXT', 'alice/mri.txt', 'bob/2021/xr.txt', 'loose.txt', 'image.png']);
    expect(found.textFiles.map((file) => [file.path, file.patientIdentity])).toEqual([
      ['alice/ct.TXT', 'alice'],
      ['alice/mri.txt', 'alice'],
      ['bob/2021/xr.txt', '2021'],
      ['loose.txt', 'site-a'],
    ]);
  });

  it('finds the PTB-XL database', () => {
    expect(discoverReportFiles('ecg/ptb-xl', 'ptb-xl', ['ptbxl_database.csv', 'records500/00000/00001_hr.hea']).csvFiles).toEqual(['ptbxl_database.csv']);
  });
});

describe('ptbXlReports', () => {
  const header = 'ecg_id,patient_id,report';

  it('reads reports with float-written ids as the same patient', () => {
    const { reports, rejects } = ptbXlReports(`${header}\n1,15709.0,"sinus rhythm, normal"\n2,15709,"line one\nline two"\n`, 'ptbxl_database.csv');
    expect(rejects).toEqual([]);
    expect(reports).toEqual([
      { row: 1, ecgId: '1', patientIdentity: '15709', text: 'sinus rhythm, normal' },
      { row: 2, ecgId: '2', patientIdentity: '15709', text: 'line one\nline two' },
    ]);
  });

  it('rejects short rows, missing ids, repeated ecg_ids and empty reports by row, quoting no cell', () => {
    const text = `${header}\n1,7,ok\n2,7\n,7,zebra\n4,,quokka\n1,7,narwhal\n6,7,"  "\n`;
    const { reports, rejects } = ptbXlReports(text, 'ptbxl_database.csv');
    expect(reports.map((report) => report.row)).toEqual([1]);
    expect(rejects.map((reject) => [reject.row, reject.code])).toEqual([
      [2, 'CSV_MALFORMED'],
      [3, 'CSV_MALFORMED'],
      [4, 'CSV_MALFORMED'],
      [5, 'CSV_MALFORMED'],
      [6, 'REPORT_EMPTY'],
    ]);
    expect(JSON.stringify(rejects)).not.toMatch(/zebra|quokka|narwhal/);
  });

  it('throws for a table without a report column or with an unterminated quote', () => {
    expect(() => ptbXlReports('ecg_id,patient_id\n1,2\n', 'p.csv')).toThrow(expect.objectContaining({ code: 'CSV_NO_COLUMN' }) as Error);
    expect(() => ptbXlReports(`${header}\n1,2,"open\n`, 'p.csv')).toThrow(expect.objectContaining({ code: 'CSV_MALFORMED' }) as Error);
  });
});

describe('scrubbedReportRow', () => {
  const report = 'EXAMINATION: CHEST\nFINDINGS: Clear. Dr. Quentin Marlowe called 01/02/2023.\nIMPRESSION: Normal.\nIMPRESSION: Addendum: unchanged.\n';

  it('splits the scrubbed text into section columns and counts each placeholder kind', () => {
    const row = scrubbedReportRow(report, 'placeholders', 0);
    expect(row).toMatchObject({
      examination: 'CHEST',
      findings: 'Clear. Dr. [NAME] called [DATE].',
      impression: 'Normal.\n\nAddendum: unchanged.',
      indication: null,
      section_names: ['EXAMINATION', 'FINDINGS', 'IMPRESSION', 'IMPRESSION'],
      phi_name: 1,
      phi_date: 1,
      phi_phone: 0,
    });
    expect(JSON.stringify(row)).not.toMatch(/Quentin|Marlowe|01\/02\/2023/);
  });

  it('moves dates by the given days in shift mode', () => {
    expect(scrubbedReportRow(report, 'shift-dates', 30)['findings']).toBe('Clear. Dr. [NAME] called 02/01/2023.');
  });
});
