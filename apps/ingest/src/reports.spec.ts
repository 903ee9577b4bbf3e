// ingest:reports end to end through the real command line: a MIMIC-CXR tree and a PTB-XL database
// with invented identifiers, a binary and an empty report among them, outputs read back by DuckDB,
// no identifier in any output byte but provenance's source paths, per-patient date shifts equal to the
// DICOM stage's, byte-identical re-runs, and exit 2 without a salt.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patientKey } from '@qoq/deid';
import { dateShiftDays } from '@qoq/reports';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDuckDb, stageCli, treeBytes, tsx, workspaceRoot } from './stage-cli.test-support';

const runIngest = stageCli('reports.ts', 120_000);
const query = queryDuckDb;

const SALT_TEXT = 'a secret salt of at least sixteen bytes';

/** MM/DD/YYYY of a date moved by whole days (UTC, so no daylight-saving hour can move the day). */
function shiftedUs(month: number, day: number, year: number, days: number): string {
  const date = new Date(Date.UTC(year, month - 1, day + days));
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getUTCMonth() + 1)}/${two(date.getUTCDate())}/${date.getUTCFullYear()}`;
}

function shiftedIso(year: number, month: number, day: number, days: number): string {
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

// Every identifier the inputs carry. Subject and study ids are identifiers too: they are the folder
// and file names of MIMIC-CXR, legitimate only in provenance.parquet's source_path.
const IDENTIFIERS = [
  'Quentin', 'Marlowe', 'Beatrix', 'Holloway', 'Gundersen', 'Ingrid',
  '4417283', '8829301', 'ACC99120077',
  '555-0187', '555-0142', 'marlowe.q@example.org',
  '01/02/2023', '01/12/2023', '03/15/2022', '2023-04-05', '2023-04-19',
  'p10000032', '10000032', 'p11000099', '11000099', 's50414267', '50414267', 's50414268', 's51000001',
];

const MIMIC_REPORT_1 = `                                 FINAL REPORT
 EXAMINATION:  CHEST (PA AND LAT)

 INDICATION:  Cough. Patient Quentin Marlowe, MRN 4417283, seen in clinic on 01/02/2023.

 TECHNIQUE:  Chest PA and lateral

 COMPARISON:  None.

 FINDINGS:

 The lungs are clear without focal consolidation. No pleural effusion or pneumothorax is seen.
 The cardiomediastinal silhouette is within normal limits.

 IMPRESSION:

 No acute cardiopulmonary process. Results discussed with Dr. Beatrix Holloway at (617) 555-0187.
`;

const MIMIC_REPORT_2 = `                                 FINAL REPORT
 EXAMINATION:  CHEST (PORTABLE AP)

 INDICATION:  Follow-up. Accession ACC99120077. Contact marlowe.q@example.org.

 COMPARISON:  Chest radiograph from 01/02/2023.

 FINDINGS:  Stable mild cardiomegaly. No new opacity. Study dated 01/12/2023.

 IMPRESSION:  No change.
`;

const MIMIC_REPORT_3 = ` INDICATION:  Dyspnea, seen 03/15/2022, MRN 8829301.
 IMPRESSION:  Small left pleural effusion. Dr. Ingrid Gundersen notified by phone (617) 555-0142.
`;

let scratch: string;
let sourcesFile: string;
let salt: string;
let otherSalt: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-ingest-reports-'));
  const mimic = join(scratch, 'mimic');
  await mkdir(join(mimic, 'files/p10/p10000032/s50414267'), { recursive: true });
  await mkdir(join(mimic, 'files/p11/p11000099'), { recursive: true });
  await writeFile(join(mimic, 'files/p10/p10000032/s50414267.txt'), MIMIC_REPORT_1.replace(/\n/g, '\r\n'));
  await writeFile(join(mimic, 'files/p10/p10000032/s50414268.txt'), MIMIC_REPORT_2);
  await writeFile(join(mimic, 'files/p11/p11000099/s51000001.txt'), MIMIC_REPORT_3);
  // An image beside its report is not a report; a binary "report" and an empty one are rejects.
  await writeFile(join(mimic, 'files/p10/p10000032/s50414267/0a1b2c3d.dcm'), Buffer.from('DICM not read by this stage'));
  await writeFile(join(mimic, 'files/p11/p11000099/s51000002.txt'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x1a, 0x0a]));
  await writeFile(join(mimic, 'files/p11/p11000099/s51000003.txt'), ' \r\n \r\n');

  const ptb = join(scratch, 'ptb');
  await mkdir(ptb, { recursive: true });
  await writeFile(
    join(ptb, 'ptbxl_database.csv'),
    [
      'ecg_id,patient_id,age,sex,report,scp_codes',
      '1,15709.0,56.0,1,"sinus rhythm, recorded 2023-04-05 by Dr. Quentin Marlowe","{\'NORM\': 100.0}"',
      '2,15709.0,56.0,1,"sinusrhythmus, vergleich mit 2023-04-19, ""unauffaellig""","{\'NORM\': 80.0}"',
      '3,13243.0,19.0,0,"",{}',
      '4,13243.0,19.0',
      '5,20372.0,37.0,1,"atrial fibrillation; call 617-555-0142","{\'AFIB\': 100.0}"',
      '',
    ].join('\n'),
  );
  sourcesFile = join(scratch, 'sources.json');
  await writeFile(
    sourcesFile,
    JSON.stringify([
      { dataset_key: 'chest_xray/mimic-cxr', layout: 'mimic-cxr', folder: 'mimic' },
      { dataset_key: 'ecg/ptb-xl', layout: 'ptb-xl', folder: 'ptb' },
    ]),
  );
  salt = join(scratch, 'salt');
  await writeFile(salt, SALT_TEXT);
  otherSalt = join(scratch, 'other-salt');
  await writeFile(otherSalt, 'another secret salt, also long enough');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('ingest:reports', () => {
  it('refuses real data without a salt file, writing nothing', async () => {
    const output = join(scratch, 'no-salt');
    const result = runIngest([`--sources=${sourcesFile}`, `--output=${output}`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--salt-file is required/);
    await expect(readdir(output)).rejects.toThrow();
  });

  it('refuses an unknown date mode with exit 2', () => {
    expect(runIngest([`--sources=${sourcesFile}`, `--output=${join(scratch, 'x')}`, `--salt-file=${salt}`, '--date-mode=drop']).status).toBe(2);
  });

  it('writes scrubbed reports with sections and placeholder counts; the binary, empty and malformed inputs are rejects', async () => {
    const output = join(scratch, 'out');
    const result = runIngest([`--sources=${sourcesFile}`, `--output=${output}`, `--salt-file=${salt}`, '--workers=2']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/rejected\s+4/);

    const rows = await query(`SELECT * FROM read_parquet('${join(output, 'reports.parquet')}')`);
    expect(rows).toHaveLength(6);
    expect(rows.map((row) => row['dataset_key'])).toEqual(['chest_xray/mimic-cxr', 'chest_xray/mimic-cxr', 'chest_xray/mimic-cxr', 'ecg/ptb-xl', 'ecg/ptb-xl', 'ecg/ptb-xl']);
    for (const row of rows) {
      expect(row['report_key']).toMatch(/^[0-9a-f]{32}$/);
      expect(row['patient_key']).toMatch(/^[0-9a-f]{32}$/);
      expect(row['source_sha256']).toMatch(/^[0-9a-f]{64}$/);
      expect(row['date_mode']).toBe('shift');
    }
    expect(new Set(rows.map((row) => row['report_key'])).size).toBe(6);

    const [first, second, third] = rows;
    expect(first).toMatchObject({ examination: 'CHEST (PA AND LAT)', technique: 'Chest PA and lateral', comparison: 'None.' });
    expect(String(first['indication'])).toMatch(/^Cough\. Patient \[NAME\], MRN \[ID\], seen in clinic on \d\d\/\d\d\/\d{4}\.$/);
    expect(String(first['findings'])).toMatch(/^The lungs are clear without focal consolidation\. No pleural effusion or pneumothorax is seen\.\n/);
    expect(String(first['impression'])).toMatch(/discussed with Dr\. \[NAME\] at \[PHONE\]\.$/);
    expect(first['section_names']).toEqual(['FINAL REPORT', 'EXAMINATION', 'INDICATION', 'TECHNIQUE', 'COMPARISON', 'FINDINGS', 'IMPRESSION']);
    expect(first).toMatchObject({ phi_name: 2, phi_id: 1, phi_phone: 1, phi_date: 1, phi_email: 0 });
    expect(second).toMatchObject({ phi_email: 1, phi_date: 2, technique: null, impression: 'No change.' });
    expect(String(second['indication'])).toMatch(/Accession \[ID\]\. Contact \[EMAIL\]\./);
    expect(third['section_names']).toEqual(['INDICATION', 'IMPRESSION']);
    // CRLF line ends are read as LF.
    expect(String(first['text'])).not.toMatch(/\r/);
    // PTB-XL: a report column without headings is one preamble; the quoted "" escape is read.
    expect(rows[4]).toMatchObject({ section_names: ['PREAMBLE'], findings: null });
    expect(String(rows[4]['text'])).toMatch(/"unauffaellig"$/);
    expect(rows[5]['text']).toBe('atrial fibrillation; call [PHONE]');

    const rejects = (await readFile(join(output, 'rejects.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(rejects.map(({ dataset_key, code }) => [dataset_key, code]).sort()).toEqual([
      ['chest_xray/mimic-cxr', 'REPORT_EMPTY'],
      ['chest_xray/mimic-cxr', 'REPORT_NOT_TEXT'],
      ['ecg/ptb-xl', 'CSV_MALFORMED'],
      ['ecg/ptb-xl', 'REPORT_EMPTY'],
    ]);
    expect(rejects.filter((r) => r['dataset_key'] === 'ecg/ptb-xl').map((r) => r['path']).sort()).toEqual(['ptbxl_database.csv#row=3', 'ptbxl_database.csv#row=4']);

    // Provenance maps every report, rejected ones included, to its source; images are not reports.
    const provenance = await query(`SELECT * FROM read_parquet('${join(output, 'provenance.parquet')}')`);
    expect(provenance.map((row) => [row['source_path'], row['source_row'], row['reject_code']])).toEqual([
      ['files/p10/p10000032/s50414267.txt', null, null],
      ['files/p10/p10000032/s50414268.txt', null, null],
      ['files/p11/p11000099/s51000001.txt', null, null],
      ['files/p11/p11000099/s51000002.txt', null, 'REPORT_NOT_TEXT'],
      ['files/p11/p11000099/s51000003.txt', null, 'REPORT_EMPTY'],
      ['ptbxl_database.csv', 1, null],
      ['ptbxl_database.csv', 2, null],
      ['ptbxl_database.csv', 5, null],
    ]);
    const byKey = new Map(provenance.map((row) => [row['report_key'], row]));
    for (const row of rows) expect(byKey.get(row['report_key'])?.['source_sha256']).toBe(row['source_sha256']);
    // A rejected file is named in rejects.jsonl by its report key, which provenance resolves.
    const notText = rejects.find((r) => r['code'] === 'REPORT_NOT_TEXT');
    expect(provenance.find((row) => `report_key=${String(row['report_key'])}` === notText?.['path'])?.['source_path']).toBe('files/p11/p11000099/s51000002.txt');
  });

  it('leaves no identifier in any output byte but provenance source paths, in any case', async () => {
    const output = join(scratch, 'out');
    const texts: Record<string, string> = {
      'reports.parquet (bytes)': (await readFile(join(output, 'reports.parquet'))).toString('latin1'),
      'rejects.jsonl': await readFile(join(output, 'rejects.jsonl'), 'utf8'),
      'reports.parquet (cells)': JSON.stringify(await query(`SELECT * FROM read_parquet('${join(output, 'reports.parquet')}')`)),
      'provenance.parquet (cells but source_path)': JSON.stringify(
        await query(`SELECT * EXCLUDE (source_path) FROM read_parquet('${join(output, 'provenance.parquet')}')`),
      ),
    };
    // The raw bytes of provenance.parquet hold the paths; everything else in them must be clean too.
    const provenanceBytes = (await readFile(join(output, 'provenance.parquet'))).toString('latin1');
    texts['provenance.parquet (bytes without paths)'] = provenanceBytes.replace(/files\/p\d+\/p\d+\/s\d+\.txt/g, '');
    for (const [name, text] of Object.entries(texts)) {
      for (const identifier of IDENTIFIERS) {
        expect(text.toLowerCase().includes(identifier.toLowerCase()), `${identifier} in ${name}`).toBe(false);
      }
    }
    // Reject messages name the problem, never the report's words.
    expect(texts['rejects.jsonl']).not.toMatch(/PNG|cough|sinus/i);
  });

  it('shifts every date of a patient by the offset the DICOM stage uses for that patient', async () => {
    const output = join(scratch, 'out');
    const rows = await query(`SELECT patient_key, text FROM read_parquet('${join(output, 'reports.parquet')}')`);
    const saltValue = { bytes: Buffer.from(SALT_TEXT), isPublicSample: false };
    const subject = patientKey(saltValue, 'p10000032');
    const other = patientKey(saltValue, 'p11000099');
    const ptbPatient = patientKey(saltValue, '15709');
    expect(rows.map((row) => row['patient_key'])).toEqual([subject, subject, other, ptbPatient, ptbPatient, patientKey(saltValue, '20372')]);

    const shift = dateShiftDays(saltValue, subject);
    expect(shift).not.toBe(0);
    expect(String(rows[0]['text'])).toContain(`seen in clinic on ${shiftedUs(1, 2, 2023, shift)}.`);
    // The same patient's next report moves by the same days: the 10-day interval is kept.
    expect(String(rows[1]['text'])).toContain(`Chest radiograph from ${shiftedUs(1, 2, 2023, shift)}.`);
    expect(String(rows[1]['text'])).toContain(`Study dated ${shiftedUs(1, 12, 2023, shift)}.`);
    expect(String(rows[2]['text'])).toContain(`seen ${shiftedUs(3, 15, 2022, dateShiftDays(saltValue, other))},`);
    // PTB-XL writes patient_id as a float; both rows are one patient with one offset.
    const ptbShift = dateShiftDays(saltValue, ptbPatient);
    expect(String(rows[3]['text'])).toContain(`recorded ${shiftedIso(2023, 4, 5, ptbShift)} by Dr. [NAME]`);
    expect(String(rows[4]['text'])).toContain(`vergleich mit ${shiftedIso(2023, 4, 19, ptbShift)},`);
  });

  it('gives byte-identical outputs on a fresh re-run, and skips an unchanged one', async () => {
    const first = join(scratch, 'out');
    const second = join(scratch, 'out-again');
    expect(runIngest([`--sources=${sourcesFile}`, `--output=${second}`, `--salt-file=${salt}`, '--workers=1']).status).toBe(0);
    const a = await treeBytes(first);
    const b = await treeBytes(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);
    const again = runIngest([`--sources=${sourcesFile}`, `--output=${first}`, `--salt-file=${salt}`]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/up to date/);
  });

  it('replaces dates with [DATE] on request, and with another salt shares no key', async () => {
    const output = join(scratch, 'replaced');
    expect(runIngest([`--sources=${sourcesFile}`, `--output=${output}`, `--salt-file=${otherSalt}`, '--date-mode=replace']).status).toBe(0);
    const rows = await query(`SELECT * FROM read_parquet('${join(output, 'reports.parquet')}')`);
    const original = await query(`SELECT report_key, patient_key FROM read_parquet('${join(scratch, 'out', 'reports.parquet')}')`);
    expect(rows.map((row) => row['date_mode'])).toEqual(Array(6).fill('replace'));
    expect(String(rows[0]['text'])).toContain('seen in clinic on [DATE].');
    expect(String(rows[1]['text'])).toContain('Study dated [DATE].');
    expect(String(rows[3]['text'])).toContain('recorded [DATE] by');
    for (const row of rows) expect(String(row['text'])).not.toMatch(/\d\d\/\d\d\/\d{4}|\d{4}-\d\d-\d\d/);
    const keys = new Set(original.flatMap((row) => [row['report_key'], row['patient_key']]));
    for (const row of rows) {
      expect(keys.has(row['report_key'])).toBe(false);
      expect(keys.has(row['patient_key'])).toBe(false);
    }
  });

  it('resumes a killed run and ends with the same bytes as an uninterrupted one', async () => {
    // Enough reports for several batches, so that the kill lands between journal lines.
    const many = join(scratch, 'many');
    for (let i = 0; i < 400; i += 1) {
      const subject = `p1${String(Math.floor(i / 4)).padStart(7, '0')}`;
      const folder = join(many, 'files', subject.slice(0, 3), subject);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `s5${String(i).padStart(7, '0')}.txt`), i === 7 ? '' : MIMIC_REPORT_2.replace('ACC99120077', `ACC${i}`));
    }
    const args = [`--input=${many}`, '--dataset=chest_xray/mimic-cxr', `--salt-file=${salt}`, '--workers=1'];
    const reference = join(scratch, 'many-reference');
    expect(runIngest([...args, `--output=${reference}`]).status).toBe(0);

    const output = join(scratch, 'many-killed');
    const child = spawn(tsx, [join(workspaceRoot, 'apps/ingest/src/reports.ts'), ...args, `--output=${output}`], { cwd: workspaceRoot, stdio: 'ignore' });
    for (let i = 0; i < 1200; i += 1) {
      const journal = await readFile(join(`${output}.partial`, '.journal.jsonl'), 'utf8').catch(() => '');
      if (journal.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const journal = await readFile(join(`${output}.partial`, '.journal.jsonl'), 'utf8');
    expect(journal.split('\n').filter(Boolean).length).toBeGreaterThan(0);
    await expect(readdir(output)).rejects.toThrow();

    const resumed = runIngest([...args, `--output=${output}`]);
    expect(resumed.status).toBe(0);
    const a = await treeBytes(reference);
    const b = await treeBytes(output);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);
    const rows = await query(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(output, 'reports.parquet')}')`);
    expect(rows[0]['n']).toBe(399);
  });
});
