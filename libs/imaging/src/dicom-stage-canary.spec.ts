// Issue 5, "Done when", first bullet, at stage level: the canary DICOM (@qoq/deid buildCanary: a unique
// marker in every attribute of the Annex E table read as data, in nested sequences, private blocks, three
// character sets and every person-name form) is put under folder and file names that hold markers too,
// and the real `ingest:dicom` stage is run on it twice: with its defaults (dates shifted; the secondary
// capture copy refused as burned-in) and with dates dropped and --allow-burned-in. Afterwards no
// marker may appear in any output byte, Parquet cell (read by DuckDB, not by our own reader), PNG text
// chunk, JSON field, log line or reject, in raw, upper-case, lower-case, ISO-date or ^/=-split form, nor
// the decoded Japanese name parts, nor the numbers written into binary attributes.
//
// The one deliberate exception (../shared/design.md "Provenance is kept apart", "Exit codes"):
// provenance.parquet maps the source's relative path for the data owner, and rejects.jsonl names a refused
// file by its path relative to the input. So the FOLDER and FILE-NAME markers may appear in
// provenance.parquet's source_path cells and in rejects.jsonl's `path` fields, and nowhere else (not in
// media names, dicom.parquet, the stage manifest, stdout or stderr). No HEADER marker may appear anywhere,
// those two files included, and the input root (absolute, above the dataset) appears nowhere at all.
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { deflateSync, inflateSync } from 'node:zlib';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { buildCanary, JAPANESE_NAME_PARTS, loadProfileTables, type Canary, type CanaryCharset } from '@qoq/deid';
import { dateShiftDays } from '@qoq/reports';
import type { Salt } from '@qoq/runtime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runDicomStage } from './dicom-stage';

const SECRET = 'dicom stage canary spec salt, 32+ bytes';
const salt: Salt = { bytes: Buffer.from(SECRET), isPublicSample: false };
const DATASET = 'local/canary';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const CHARSETS: readonly CanaryCharset[] = ['ISO_IR 100', 'ISO_IR 192', 'ISO 2022 IR 87'];

// Markers outside the header. The canary numbers its own markers from Mk0001qq up, so these cannot clash.
const FILE_MARKER = 'Mk9999qqFileName';
const FOLDER_MARKER = 'Mk9998qqFolderName';
const ROOT_MARKER = 'Mk9997qqInputRoot';
const PATH_MARKERS = [FOLDER_MARKER, FILE_MARKER];
/** Four characters cannot hold a marker: an age over 89 is written as 093Y and must leave as "90+". */
const OLD_AGE = '093Y';

const tables = loadProfileTables();
/** The canaries the stage must accept (a CR image: the default --burned-in=flagged lets it through), in the stage's sorted order. */
const ACCEPTED = CHARSETS.map((charset) => `${FOLDER_MARKER}/${FILE_MARKER}-${charset.replace(/ /g, '_')}.dcm`).sort();
/** A secondary capture (PS3.4 B.5): refused by the default --burned-in=flagged, let through by --allow-burned-in. */
const CAPTURE = `${FOLDER_MARKER}/${FILE_MARKER}-capture.dcm`;
/** Input path (relative to the dataset folder) → canary. */
const INPUTS = new Map<string, Canary>([
  ...CHARSETS.map((charset): [string, Canary] => [`${FOLDER_MARKER}/${FILE_MARKER}-${charset.replace(/ /g, '_')}.dcm`, buildCanary(tables, charset)]),
  [CAPTURE, buildCanary(tables, 'ISO_IR 192', SECONDARY_CAPTURE)],
]);
/** A canary cut off inside its header: refused by the parser, whose message must quote no value either. */
const TRUNCATED = `${FOLDER_MARKER}/${FILE_MARKER}-truncated.dcm`;
/** The two runs: the defaults (dates shifted, flagged burned-in refused), and dates dropped with every image let through. */
interface RunPlan {
  readonly name: string;
  readonly args: readonly string[];
  readonly dateMode: 'shift' | 'drop';
  /** Source paths expected in provenance.parquet, in the stage's (sorted) order. */
  readonly accepted: readonly string[];
  readonly refused: ReadonlyArray<readonly [path: string, code: string]>;
}
const PLANS: readonly RunPlan[] = [
  { name: 'defaults', args: [], dateMode: 'shift', accepted: ACCEPTED, refused: [[CAPTURE, 'DICOM_BURNED_IN'], [TRUNCATED, 'DICOM_TRUNCATED']] },
  { name: 'drop-allow', args: ['--date-mode=drop', '--allow-burned-in'], dateMode: 'drop', accepted: [...ACCEPTED, CAPTURE].sort(), refused: [[TRUNCATED, 'DICOM_TRUNCATED']] },
];
const headerMarkers = [...new Set([...INPUTS.values()].flatMap((canary) => canary.markers))];
const binaryMarkers = new Set([...INPUTS.values()].flatMap((canary) => [...canary.binaryMarkers.values()]));
const studyDateOf = (canary: Canary): string => canary.dates.get('00080020') ?? '';

// ---- the leak detector ---------------------------------------------------------------------------------

/** Something the stage wrote, as text: a file's bytes, a file name, a Parquet cell, a JSON field, a log. */
interface Observed {
  readonly where: string;
  readonly text: string;
  /** The data owner's side, where the source path is expected (see the file comment). */
  readonly pathAllowed?: boolean;
  /** Whole values that are legitimately here although they may spell a marker: the shifted study date can
   * land on another of the canary's dates, which lie a few days apart. */
  readonly expected?: readonly string[];
}

interface MarkerForm {
  readonly form: string;
  readonly description: string;
  readonly isPath: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Every form a consumer of the outputs might write a marker in. */
function markerForms(marker: string, isPath: boolean): MarkerForm[] {
  const kind = ISO_DATE.test(marker) ? 'ISO date' : /^\d{8}$/.test(marker) ? 'DICOM date' : 'marker';
  const forms: MarkerForm[] = [
    { form: marker, description: `${kind} '${marker}'`, isPath },
    { form: marker.toUpperCase(), description: `upper-case form of ${kind} '${marker}'`, isPath },
    { form: marker.toLowerCase(), description: `lower-case form of ${kind} '${marker}'`, isPath },
  ];
  // A person name's components one by one, as a ^-splitting consumer would see them (PS3.5 §6.2.1).
  for (const part of marker.split(/[\^=]/)) if (part.length >= 6 && part !== marker) forms.push({ form: part, description: `^/= component '${part}' of '${marker}'`, isPath });
  // Dates, UIDs and numbers have no case: one report per distinct spelling.
  return forms.filter((entry, index) => forms.findIndex((other) => other.form === entry.form) === index);
}

const FORMS: readonly MarkerForm[] = [
  ...headerMarkers.flatMap((marker) => markerForms(marker, false)),
  ...markerForms(ROOT_MARKER, false),
  ...PATH_MARKERS.flatMap((marker) => markerForms(marker, true)),
  ...JAPANESE_NAME_PARTS.map((part): MarkerForm => ({ form: part, description: `decoded Japanese name part '${part}'`, isPath: false })),
  { form: OLD_AGE, description: `age over 89 '${OLD_AGE}'`, isPath: false },
];

/** "where: what" for every marker form found; empty when nothing leaked. */
function findLeaks(observed: readonly Observed[]): string[] {
  const leaks: string[] = [];
  for (const { where, text, pathAllowed = false, expected = [] } of observed) {
    for (const { form, description, isPath } of FORMS) {
      if (isPath && pathAllowed) continue;
      if (text.includes(form) && !expected.includes(text)) leaks.push(`${where}: ${description}`);
    }
  }
  return [...new Set(leaks)];
}

/** A number written into a binary attribute (US, SS, UL, SL, FD) that came out in a numeric cell or field. */
function findBinaryLeaks(numbers: ReadonlyArray<{ readonly where: string; readonly value: number }>): string[] {
  return numbers.filter(({ value }) => binaryMarkers.has(value)).map(({ where, value }) => `${where}: binary-attribute value ${value}`);
}

// ---- reading what the stage wrote ----------------------------------------------------------------------

interface StageRun {
  readonly name: string;
  readonly exitCode: number;
  /** Everything the stage wrote, as text. */
  readonly observed: Observed[];
  /** Every numeric Parquet cell and JSON number. */
  readonly numbers: Array<{ readonly where: string; readonly value: number }>;
  readonly dicomRows: Record<string, unknown>[];
  readonly provenanceRows: Record<string, unknown>[];
  readonly rejects: Array<Record<string, unknown>>;
  readonly files: string[];
  readonly pngTextChunks: string[];
}

/**
 * The chunks of a PNG where text can hide (PNG 3rd ed. §11.3.3): tEXt (Latin-1), zTXt (deflated), iTXt
 * (UTF-8, maybe deflated) and eXIf, decoded so that a compressed marker is seen too.
 */
function pngTextChunks(png: Buffer): Array<{ type: string; text: string }> {
  const chunks: Array<{ type: string; text: string }> = [];
  for (let offset = 8; offset + 8 <= png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    offset += 12 + length;
    if (type === 'tEXt' || type === 'eXIf') chunks.push({ type, text: body.toString('latin1') });
    else if (type === 'zTXt') {
      const keywordEnd = body.indexOf(0);
      chunks.push({ type, text: `${body.toString('latin1', 0, keywordEnd)}\0${inflateSync(body.subarray(keywordEnd + 2)).toString('latin1')}` });
    } else if (type === 'iTXt') {
      const keywordEnd = body.indexOf(0);
      const compressed = body[keywordEnd + 1] === 1;
      const languageEnd = body.indexOf(0, keywordEnd + 3);
      const translatedEnd = body.indexOf(0, languageEnd + 1);
      const value = body.subarray(translatedEnd + 1);
      chunks.push({ type, text: `${body.toString('utf8', 0, translatedEnd)}\0${(compressed ? inflateSync(value) : value).toString('utf8')}` });
    }
  }
  return chunks;
}

/** Walks a decoded value (DuckDB cell or JSON) into text and numbers, naming each leaf by its position. */
function walkValue(value: unknown, where: string, into: StageRun, pathAllowed: boolean): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'number' || typeof value === 'bigint') {
    into.numbers.push({ where, value: Number(value) });
    into.observed.push({ where, text: String(value) });
  } else if (typeof value === 'string' || typeof value === 'boolean') {
    into.observed.push({ where, text: String(value), pathAllowed });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => walkValue(item, `${where}[${index}]`, into, false));
  } else if (value instanceof Uint8Array) {
    into.observed.push({ where, text: Buffer.from(value).toString('latin1') });
  } else if (typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) walkValue(inner, `${where}.${key}`, into, false);
  } else {
    into.observed.push({ where, text: String(value) });
  }
}

async function parquetRows(connection: DuckDBConnection, path: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(`SELECT * FROM read_parquet('${path.replaceAll("'", "''")}')`)).getRowObjectsJS() as Record<string, unknown>[];
}

let scratch: string;
let datasetFolder: string;
let connection: DuckDBConnection;
let duckdb: DuckDBInstance;
const runs = new Map<string, StageRun>();

async function runStage(name: string, extra: readonly string[]): Promise<StageRun> {
  const runFolder = join(scratch, 'runs', name);
  const output = join(runFolder, 'dicom');
  const saltFile = join(scratch, `${name}.salt`);
  await mkdir(runFolder, { recursive: true });
  await writeFile(saltFile, SECRET);
  let stdout = '';
  let stderr = '';
  // Anything the stage or its worker threads write past the io argument (console, process streams) too.
  let processOutput = '';
  const capture = (stream: NodeJS.WriteStream) =>
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      processOutput += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    });
  const spies = [capture(process.stdout), capture(process.stderr)];
  let exitCode: number;
  try {
    const io = { stdout: (text: string) => void (stdout += text), stderr: { write: (text: string) => void (stderr += text) } };
    exitCode = await runDicomStage([`--input=${datasetFolder}`, `--dataset=${DATASET}`, `--output=${output}`, `--salt-file=${saltFile}`, '--workers=1', ...extra], io);
    // A worker's console output reaches this thread's streams asynchronously.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }

  const run: StageRun = { name, exitCode, observed: [], numbers: [], dicomRows: [], provenanceRows: [], rejects: [], files: [], pngTextChunks: [] };
  run.observed.push({ where: `${name} stdout`, text: stdout }, { where: `${name} stderr`, text: stderr }, { where: `${name} process output`, text: processOutput });
  // The whole run folder, so that a left-over .partial folder or journal is read as well.
  for (const entry of await readdir(runFolder, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    const file = relative(runFolder, path);
    run.observed.push({ where: `${name} file name ${file}`, text: file });
    if (!entry.isFile()) continue;
    run.files.push(file);
    const bytes = await readFile(path);
    const ownersSide = file === 'dicom/provenance.parquet' || file === 'dicom/rejects.jsonl';
    run.observed.push({ where: `${name} ${file} (bytes as Latin-1)`, text: bytes.toString('latin1'), pathAllowed: ownersSide });
    run.observed.push({ where: `${name} ${file} (bytes as UTF-8)`, text: bytes.toString('utf8'), pathAllowed: ownersSide });
    if (file.endsWith('.png')) {
      for (const chunk of pngTextChunks(bytes)) {
        run.pngTextChunks.push(`${file} ${chunk.type}`);
        run.observed.push({ where: `${name} ${file} ${chunk.type} chunk`, text: chunk.text });
      }
    } else if (file.endsWith('.parquet')) {
      const rows = await parquetRows(connection, path);
      if (file === 'dicom/dicom.parquet') run.dicomRows.push(...rows);
      if (file === 'dicom/provenance.parquet') run.provenanceRows.push(...rows);
      rows.forEach((row, index) => {
        for (const [column, cell] of Object.entries(row)) {
          const where = `${name} ${file} row ${index} column ${column}`;
          // Under shifting, the study date is the original moved by the patient's offset (checked below); it may land on another canary date.
          if (column === 'study_date' && typeof cell === 'string') run.observed.push({ where, text: cell, expected: [expectedStudyDate(row)] });
          else walkValue(cell, where, run, file === 'dicom/provenance.parquet' && column === 'source_path');
        }
      });
    } else if (file.endsWith('.json') || file.endsWith('.jsonl')) {
      bytes
        .toString('utf8')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .forEach((line, index) => {
          const parsed = JSON.parse(line) as unknown;
          if (file === 'dicom/rejects.jsonl') run.rejects.push(parsed as Record<string, unknown>);
          const fields = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.entries(parsed) : [['', parsed] as const];
          for (const [field, value] of fields) walkValue(value, `${name} ${file} line ${index + 1} .${field}`, run, file === 'dicom/rejects.jsonl' && field === 'path');
        });
    }
  }
  return run;
}

/** The canary's Study Date moved by the patient's offset, the one ingest:reports gives the same patient. */
function expectedStudyDate(row: Record<string, unknown>): string {
  const original = studyDateOf([...INPUTS.values()][0]);
  const days = dateShiftDays(salt, String(row['patient_key']));
  return new Date(Date.UTC(Number(original.slice(0, 4)), Number(original.slice(4, 6)) - 1, Number(original.slice(6, 8))) + days * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-dicom-canary-'));
  datasetFolder = join(scratch, ROOT_MARKER);
  for (const [path, canary] of INPUTS) {
    await mkdir(join(datasetFolder, path, '..'), { recursive: true });
    await writeFile(join(datasetFolder, path), canary.bytes);
  }
  const whole = INPUTS.values().next().value?.bytes ?? new Uint8Array(0);
  await writeFile(join(datasetFolder, TRUNCATED), whole.subarray(0, Math.floor(whole.length * 0.6)));
  duckdb = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await duckdb.connect();
  for (const plan of PLANS) runs.set(plan.name, await runStage(plan.name, plan.args));
});

afterAll(async () => {
  connection?.closeSync();
  duckdb?.closeSync();
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

const runOf = (name: string): StageRun => {
  const run = runs.get(name);
  if (run === undefined) throw new Error(`no run ${name}`);
  return run;
};

describe('the leak detector', () => {
  it('finds the markers in the canary itself, in every form, and names where and which form', () => {
    const [first] = INPUTS.values();
    const raw = Buffer.from(first.bytes);
    const leaks = findLeaks([{ where: 'canary bytes', text: raw.toString('latin1') }]);
    // Every header marker except the ISO forms of dates (the file holds dates as YYYYMMDD).
    expect(leaks.length).toBeGreaterThanOrEqual(first.markers.filter((marker) => !ISO_DATE.test(marker)).length);
    const [isoDate = '', otherIsoDate = ''] = headerMarkers.filter((marker) => ISO_DATE.test(marker));
    const [textMarker = '', nameMarker = '', provenanceMarker = ''] = headerMarkers.filter((marker) => /^Mk\d{4}qq$/.test(marker));
    expect(leaks).toContain(`canary bytes: marker '${textMarker}'`);
    const planted: Observed[] = [
      { where: 'dicom.parquet row 0 column study_date', text: isoDate },
      { where: 'dicom.parquet row 1 column study_date', text: otherIsoDate, expected: [otherIsoDate] },
      { where: 'dicom.parquet row 0 column body_part_examined', text: `xx ${textMarker.toUpperCase()}` },
      { where: 'dicom.parquet row 0 column media_path', text: `local/canary/${FILE_MARKER.toLowerCase()}.png` },
      { where: 'provenance.parquet row 0 column source_path', text: `${FOLDER_MARKER}/${FILE_MARKER}.dcm`, pathAllowed: true },
      { where: 'rejects.jsonl line 1 .message', text: 'name 山田 refused' },
      { where: 'stdout', text: `${nameMarker}Fam^${nameMarker}Giv` },
    ];
    expect(findLeaks(planted)).toEqual([
      `dicom.parquet row 0 column study_date: ISO date '${isoDate}'`,
      `dicom.parquet row 0 column body_part_examined: upper-case form of marker '${textMarker}'`,
      `dicom.parquet row 0 column media_path: lower-case form of marker '${FILE_MARKER}'`,
      "rejects.jsonl line 1 .message: decoded Japanese name part '山田'",
      `stdout: marker '${nameMarker}'`,
    ]);
    // The owner's side may hold the source path, never a header value.
    expect(findLeaks([{ where: 'provenance.parquet row 0 column source_path', text: provenanceMarker, pathAllowed: true }])).toEqual([
      `provenance.parquet row 0 column source_path: marker '${provenanceMarker}'`,
    ]);
    expect(findBinaryLeaks([{ where: 'dicom.parquet row 0 column rows', value: [...binaryMarkers][0] }])).toEqual([
      `dicom.parquet row 0 column rows: binary-attribute value ${[...binaryMarkers][0]}`,
    ]);
  });

  it('reads text hidden in PNG tEXt, zTXt and iTXt chunks', () => {
    const chunk = (type: string, body: Buffer): Buffer => {
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length);
      // The reader skips the CRC, so zeros do.
      return Buffer.concat([length, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
    };
    const [plain = '', zipped = ''] = headerMarkers.filter((marker) => /^Mk\d{4}qq$/.test(marker));
    const png = Buffer.concat([
      Buffer.from('89504e470d0a1a0a', 'hex'),
      chunk('IHDR', Buffer.alloc(13)),
      chunk('tEXt', Buffer.from(`Comment\0${plain}`, 'latin1')),
      chunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0', 'latin1'), deflateSync(Buffer.from(zipped, 'latin1'))])),
      chunk('iTXt', Buffer.concat([Buffer.from('Author\0\x01\0ja\0\0', 'latin1'), deflateSync(Buffer.from(JAPANESE_NAME_PARTS[0], 'utf8'))])),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    const observed = pngTextChunks(png).map(({ type, text }): Observed => ({ where: `x.png ${type} chunk`, text }));
    expect(findLeaks(observed)).toEqual([`x.png tEXt chunk: marker '${plain}'`, `x.png zTXt chunk: marker '${zipped}'`, `x.png iTXt chunk: decoded Japanese name part '${JAPANESE_NAME_PARTS[0]}'`]);
  });

  it('sees the whole canary: hundreds of header markers, binary values, three character sets', () => {
    expect(headerMarkers.length).toBeGreaterThan(tables.attributes.length);
    // One number per binary attribute of the table (the canary's own, as data).
    expect(binaryMarkers.size).toBe(tables.attributes.filter((row) => ['US', 'SS', 'UL', 'SL', 'FD'].includes(row.vr)).length);
    const japanese = INPUTS.get(`${FOLDER_MARKER}/${FILE_MARKER}-ISO_2022_IR_87.dcm`);
    expect(Buffer.from(japanese?.bytes ?? []).includes(Buffer.from('\x1b$B', 'latin1'))).toBe(true);
  });
});


describe.each(PLANS)('ingest:dicom on the canary, run $name', (plan) => {
  it('ingests every accepted canary into a PNG and a dicom.parquet row, and lists each refused file by its path', () => {
    const run = runOf(plan.name);
    expect(run.exitCode).toBe(0);
    expect(run.files).toEqual(expect.arrayContaining(['dicom/dicom.parquet', 'dicom/provenance.parquet', 'dicom/rejects.jsonl', 'dicom/.stage-input.json']));
    expect(run.files.filter((file) => file.endsWith('.png'))).toHaveLength(plan.accepted.length);
    expect(run.dicomRows).toHaveLength(plan.accepted.length);
    expect(run.rejects.map((reject) => [reject['path'], reject['code']])).toEqual(plan.refused);
    // The data owner's map from source path to output holds the path (the exception of the file comment).
    expect(run.provenanceRows.map((row) => row['source_path'])).toEqual(plan.accepted);
    for (const row of run.dicomRows) {
      expect(row).toMatchObject({ dataset_key: DATASET, rows: 2, columns: 2, patient_age: '90+', patient_identity_removed: 'YES', date_mode: plan.dateMode });
      expect(String(row['media_path'])).toMatch(/^local\/canary\/[0-9a-f]{24}\.png$/);
    }
    const capture = run.provenanceRows.find((row) => row['source_path'] === CAPTURE);
    if (plan.accepted.includes(CAPTURE)) expect(capture?.['burned_in_risk']).toBe('secondary-capture');
  });

  it('lets no header marker, input path or decoded name part into any output byte, cell, text chunk, log line or reject', () => {
    const run = runOf(plan.name);
    expect(run.observed.length).toBeGreaterThan(300);
    expect(findLeaks(run.observed)).toEqual([]);
  });

  it('lets no number written into a binary attribute into a numeric cell or JSON number', () => {
    const run = runOf(plan.name);
    expect(run.numbers.length).toBeGreaterThan(50);
    expect(findBinaryLeaks(run.numbers)).toEqual([]);
  });

  it(plan.dateMode === 'shift' ? "moves the study date by the patient's offset" : 'drops the study date', () => {
    for (const row of runOf(plan.name).dicomRows) {
      if (plan.dateMode === 'drop') expect(row['study_date']).toBeNull();
      else {
        expect(row['study_date']).toBe(expectedStudyDate(row));
        expect(row['study_date']).not.toBe(studyDateOf([...INPUTS.values()][0]));
      }
    }
  });
});
