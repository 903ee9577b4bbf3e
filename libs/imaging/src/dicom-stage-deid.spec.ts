// ingest:dicom de-identifies every header (issue 5): DICOMs seeded with identifying values in odd places
// (private blocks, a private sequence, a UN element, Other Patient IDs Sequence, request sequences two
// levels deep, free-text comments, every person-name role, institution, addresses, dates) leave none of
// them in any output; dates come out shifted by the offset ingest:reports gives the same patient's
// report; images that may carry burned-in text are refused per --burned-in; the audit is in provenance.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readParquetRows } from '@qoq/dataset-io';
import { patientKey, seededDicomHeader, type SeededDicomHeader } from '@qoq/deid';
import { dateShiftDays, runReportsStage } from '@qoq/reports';
import { parseCommandLine, UsageError, type Salt } from '@qoq/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDicomStage } from './dicom-stage';
import { DICOM_STAGE_OPTIONS, dicomStageOptionsFrom } from './dicom-stage-options';

const SECRET = 'dicom stage deid spec salt, 32 bytes';
const OTHER_SECRET = 'another salt for the same inputs, 36b';
const salt: Salt = { bytes: Buffer.from(SECRET), isPublicSample: false };
const SUBJECT = 'p10000032';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';

// Input file (MIMIC-CXR layout, so the subject folder is the patient) ← seeded header.
const FILES: Record<string, SeededDicomHeader> = {
  [`files/p10/${SUBJECT}/s50414267/frontal.dcm`]: seededDicomHeader(11, { rows: 16, columns: 12 }),
  [`files/p10/${SUBJECT}/s50414267/lateral.dcm`]: seededDicomHeader(12),
  [`files/p10/${SUBJECT}/s50414267/annotated.dcm`]: seededDicomHeader(13, { burnedInAnnotation: 'YES' }),
  [`files/p10/${SUBJECT}/s50414267/capture.dcm`]: seededDicomHeader(14, { sopClassUid: SECONDARY_CAPTURE }),
  [`files/p10/${SUBJECT}/s50414267/screen.dcm`]: seededDicomHeader(15, { imageType: ['DERIVED', 'SECONDARY', 'SCREEN SAVE'] }),
  [`files/p10/${SUBJECT}/s50414267/reformat.dcm`]: seededDicomHeader(16, { imageType: ['DERIVED', 'SECONDARY', 'MPR'] }),
};
const REPORT = `files/p10/${SUBJECT}/s50414267.txt`;

let scratch: string;
let input: string;
const runs: Record<string, { output: string; exitCode: number; stdout: string }> = {};

async function run(name: string, secret: string, extra: string[]): Promise<void> {
  const output = join(scratch, name);
  const saltFile = join(scratch, `${name}.salt`);
  await writeFile(saltFile, secret);
  let stdout = '';
  const io = { stdout: (text: string) => void (stdout += text), stderr: { write: () => true } };
  const exitCode = await runDicomStage([`--input=${input}`, '--dataset=local/mimic', `--output=${output}`, `--salt-file=${saltFile}`, '--workers=1', ...extra], io);
  runs[name] = { output, exitCode, stdout };
}

async function rowsOf(path: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of readParquetRows(path)) rows.push(row as Record<string, unknown>);
  return rows;
}

/** Every output file as Latin-1 text, Parquet files as their decoded rows (their pages are compressed). */
async function outputTexts(root: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const bytes = await readFile(path);
    texts.set(path.slice(root.length), bytes.toString('latin1'));
    if (entry.name.endsWith('.parquet')) texts.set(`${path.slice(root.length)} (rows)`, JSON.stringify(await rowsOf(path)));
  }
  return texts;
}

const isoShifted = (yyyymmdd: string, days: number): string =>
  new Date(Date.UTC(Number(yyyymmdd.slice(0, 4)), Number(yyyymmdd.slice(4, 6)) - 1, Number(yyyymmdd.slice(6, 8))) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-dicom-deid-'));
  input = join(scratch, 'input');
  for (const [path, header] of Object.entries(FILES)) {
    await mkdir(join(input, path, '..'), { recursive: true });
    await writeFile(join(input, path), header.bytes);
  }
  const studyDate = FILES[`files/p10/${SUBJECT}/s50414267/frontal.dcm`].studyDate;
  const usDate = `${studyDate.slice(4, 6)}/${studyDate.slice(6, 8)}/${studyDate.slice(0, 4)}`;
  await writeFile(join(input, REPORT), `EXAMINATION: CHEST (PA AND LAT)\n\nINDICATION: Cough.\n\nFINDINGS: Exam of ${usDate}. No focal consolidation.\n\nIMPRESSION: No acute process.\n`);
  await run('default', SECRET, []);
  await run('strict-drop', OTHER_SECRET, ['--burned-in=strict', '--date-mode=drop']);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('ingest:dicom de-identification options', () => {
  const deidOf = (...argv: string[]) => dicomStageOptionsFrom(parseCommandLine(argv, DICOM_STAGE_OPTIONS).options).deid;

  it('shifts dates and refuses flagged burned-in images by default; --allow-burned-in allows them', () => {
    expect(deidOf()).toEqual({ dateMode: 'shift', burnedIn: 'flagged' });
    expect(deidOf('--date-mode=drop', '--burned-in=strict')).toEqual({ dateMode: 'drop', burnedIn: 'strict' });
    expect(deidOf('--allow-burned-in')).toEqual({ dateMode: 'shift', burnedIn: 'allow' });
  });

  it('refuses an unknown mode and a contradiction', () => {
    expect(() => deidOf('--date-mode=replace')).toThrow(UsageError);
    expect(() => deidOf('--burned-in=maybe')).toThrow(UsageError);
    expect(() => deidOf('--allow-burned-in', '--burned-in=strict')).toThrow(/contradicts/);
  });
});

describe('ingest:dicom de-identification', () => {
  it('leaves no seeded identifier in any output file, table cell, log line or reject, nor the input paths', async () => {
    for (const name of ['default', 'strict-drop']) {
      const { output, exitCode, stdout } = runs[name];
      expect(exitCode, name).toBe(0);
      const texts = await outputTexts(output);
      texts.set('stdout', stdout);
      expect([...texts.keys()].some((path) => path.endsWith('dicom.parquet (rows)'))).toBe(true);
      const leaks: string[] = [];
      for (const [path, text] of texts) {
        const lower = text.toLowerCase();
        for (const header of Object.values(FILES)) {
          for (const identifier of header.identifiers) {
            if (identifier.probes.some((probe) => lower.includes(probe.toLowerCase()))) leaks.push(`${name}${path}: ${identifier.attribute}`);
          }
        }
        // provenance.parquet maps source paths to outputs for the data owner, and rejects.jsonl names the
        // refused file by its path (design.md "Rejects"): both stay with the data owner; nothing else may.
        const ownersSide = path.startsWith('/provenance.parquet') || path === '/rejects.jsonl';
        if (!ownersSide && (lower.includes(SUBJECT) || lower.includes('s50414267'))) leaks.push(`${name}${path}: source path`);
      }
      expect(leaks).toEqual([]);
    }
  });

  it('refuses Burned In Annotation YES, screen saves and secondary capture by default, Image Type SECONDARY too under strict', async () => {
    const rejects = async (name: string) =>
      (await readFile(join(runs[name].output, 'rejects.jsonl'), 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { path: string; code: string })
        .map(({ path, code }) => [path.split('/').pop(), code]);
    expect(await rejects('default')).toEqual([
      ['annotated.dcm', 'DICOM_BURNED_IN'],
      ['capture.dcm', 'DICOM_BURNED_IN'],
      ['screen.dcm', 'DICOM_BURNED_IN'],
    ]);
    expect(await rejects('strict-drop')).toEqual([
      ['annotated.dcm', 'DICOM_BURNED_IN'],
      ['capture.dcm', 'DICOM_BURNED_IN'],
      ['reformat.dcm', 'DICOM_BURNED_IN'],
      ['screen.dcm', 'DICOM_BURNED_IN'],
    ]);
    // An image the policy lets through carries its risk in the provenance.
    const provenance = await rowsOf(join(runs.default.output, 'provenance.parquet'));
    expect(provenance.map((row) => [String(row['source_path']).split('/').pop(), row['burned_in_risk']])).toEqual([
      ['frontal.dcm', null],
      ['lateral.dcm', null],
      ['reformat.dcm', 'secondary-image'],
    ]);
  });

  it("keys the images by the subject folder, like the report, and shifts their dates by the report's offset", async () => {
    const saltFile = join(scratch, 'reports.salt');
    await writeFile(saltFile, SECRET);
    const reportsOutput = join(scratch, 'reports');
    const io = { stdout: () => undefined, stderr: { write: () => true } };
    expect(await runReportsStage([`--input=${input}`, '--dataset=local/mimic', `--output=${reportsOutput}`, `--salt-file=${saltFile}`, '--workers=1'], { patientKey }, io)).toBe(0);
    const [report] = await rowsOf(join(reportsOutput, 'reports.parquet'));

    const key = patientKey(salt, SUBJECT);
    const shift = dateShiftDays(salt, key);
    const frontal = FILES[`files/p10/${SUBJECT}/s50414267/frontal.dcm`];
    const expected = isoShifted(frontal.studyDate, shift);
    const rows = await rowsOf(join(runs.default.output, 'dicom.parquet'));
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toMatchObject({ patient_key: key, date_mode: 'shift', patient_identity_removed: 'YES' });
    expect(report['patient_key']).toBe(key);
    const frontalRow = rows.find((row) => row['rows'] === 16);
    expect(frontalRow?.['study_date']).toBe(expected);
    // The report wrote the same day shifted in its own format.
    expect(String(report['text'])).toContain(`Exam of ${expected.slice(5, 7)}/${expected.slice(8, 10)}/${expected.slice(0, 4)}.`);
  });

  it('writes the columns the pairs stage reads, and de-identified context from the de-identified data set', async () => {
    const rows = await rowsOf(join(runs.default.output, 'dicom.parquet'));
    const frontal = rows.find((row) => row['rows'] === 16);
    expect(frontal).toMatchObject({ frame_index: 0, columns: 12, output_width: 12, output_height: 16, decoded_resolution_level: 0, dataset_key: 'local/mimic' });
    expect(String(frontal?.['media_path'])).toMatch(/^local\/mimic\/[0-9a-f]{24}\.png$/);
    const header = FILES[`files/p10/${SUBJECT}/s50414267/frontal.dcm`];
    const kept = (keyword: string) => header.kept.find((value) => value.keyword === keyword)?.value;
    expect(frontal?.['dicom_modality']).toBe(kept('Modality'));
    expect(frontal?.['sop_class_uid']).toBe(kept('SOPClassUID'));
    expect(frontal?.['patient_sex']).toBe(kept('PatientSex'));
    expect(frontal?.['deidentification_method_codes']).toEqual(['DCM:113100', 'DCM:113107', 'DCM:113108']);
    for (const row of rows) expect(String(row['study_key'])).toMatch(/^[0-9a-f]{32}$/);

    const dropped = await rowsOf(join(runs['strict-drop'].output, 'dicom.parquet'));
    expect(dropped.map((row) => row['study_date'])).toEqual([null, null]);
    // Another salt: no key and no media name in common.
    const keys = (list: Record<string, unknown>[]) => new Set(list.flatMap((row) => [row['patient_key'], row['study_key'], row['series_key'], row['media_path']]));
    const first = keys(rows);
    expect([...keys(dropped)].filter((key) => first.has(key))).toEqual([]);
  });

  it('puts the audit in provenance: actions by kind, private and unknown attributes removed, keywords kept', async () => {
    const provenance = await rowsOf(join(runs.default.output, 'provenance.parquet'));
    const frontal = provenance.find((row) => String(row['source_path']).endsWith('frontal.dcm'));
    expect(frontal).toBeDefined();
    expect(Number(frontal?.['deid_removed'])).toBeGreaterThan(15);
    expect(Number(frontal?.['deid_emptied'])).toBeGreaterThanOrEqual(4); // Patient Name, Patient ID, Birth Date, Accession, Study ID, Referring Physician
    expect(Number(frontal?.['deid_remapped'])).toBeGreaterThanOrEqual(4);
    expect(Number(frontal?.['deid_shifted'])).toBeGreaterThanOrEqual(3);
    expect(Number(frontal?.['deid_private_removed'])).toBeGreaterThanOrEqual(7);
    expect(Number(frontal?.['deid_added'])).toBe(4);
    expect(frontal?.['deid_retained']).toEqual(expect.arrayContaining(['Modality', 'Rows', 'Columns', 'PixelSpacing', 'WindowCenter', 'PatientSex']));
    expect(frontal?.['deid_retained']).not.toContain('PatientName');
    expect(frontal?.['patient_key']).toBe(patientKey(salt, SUBJECT));
    expect(frontal?.['deid_method_codes']).toEqual(['DCM:113100', 'DCM:113107', 'DCM:113108']);
  });
});
