// Which files of a dataset are reports, and whose (../shared/datasets.md "MIMIC-CXR", "PTB-XL"):
// MIMIC-CXR keeps one report per study beside its image folder, files/p10/p10000032/s50414267.txt,
// where the p-folder is the subject; PTB-XL keeps them in the `report` column of ptbxl_database.csv,
// one row per ECG (`ecg_id`) with its `patient_id`; a local/ folder is any tree of .txt reports, each
// belonging to the patient its parent folder names.
import { posix } from 'node:path';
import { csvRecords } from './csv-records';
import { reportError, type ReportError, type ReportErrorCode } from './report-error';

const REPORT_ERROR_CODES: readonly ReportErrorCode[] = ['REPORT_NOT_TEXT', 'REPORT_EMPTY', 'REPORT_BAD_OPTION', 'CSV_MALFORMED', 'CSV_NO_COLUMN'];

export function isReportError(value: unknown): value is ReportError {
  return (
    typeof value === 'object' &&
    value !== null &&
    REPORT_ERROR_CODES.includes((value as { code?: unknown }).code as ReportErrorCode) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/** Layouts whose datasets hold reports; an unknown layout (a bare --input) is looked through too. */
export const REPORT_LAYOUTS = ['mimic-cxr', 'ptb-xl'] as const;

/** files/pXX/p<subject>/s<study>.txt, also below a top folder (mimic-cxr-reports/files/…). */
const MIMIC_REPORT = /(?:^|\/)files\/p\d+\/(p\d+)\/(s\d+)\.txt$/;
const PTB_XL_DATABASE = 'ptbxl_database.csv';

export interface ReportFile {
  /** Relative to the dataset folder. */
  readonly path: string;
  /** What the patient key is the salted hash of: the subject folder (`p10000032`) or parent folder. */
  readonly patientIdentity: string;
}

export interface DatasetReportFiles {
  readonly textFiles: readonly ReportFile[];
  /** PTB-XL databases, relative to the dataset folder. */
  readonly csvFiles: readonly string[];
}

/**
 * The report files among a dataset's sorted files. MIMIC-layout reports are found in any dataset;
 * other `.txt` files only in local/ folders, whose root files belong to the folder itself.
 */
export function discoverReportFiles(datasetKey: string, datasetFolderName: string, files: readonly string[]): DatasetReportFiles {
  const isLocal = datasetKey.startsWith('local/');
  const textFiles: ReportFile[] = [];
  const csvFiles: string[] = [];
  for (const path of files) {
    const mimic = MIMIC_REPORT.exec(path);
    if (mimic) textFiles.push({ path, patientIdentity: mimic[1] });
    else if (posix.basename(path) === PTB_XL_DATABASE) csvFiles.push(path);
    else if (isLocal && /\.txt$/i.test(path)) {
      const parent = posix.dirname(path);
      textFiles.push({ path, patientIdentity: parent === '.' ? datasetFolderName : posix.basename(parent) });
    }
  }
  return { textFiles, csvFiles };
}

export interface CsvReportRow {
  /** 1-based data row (after the header). */
  readonly row: number;
  readonly ecgId: string;
  readonly patientIdentity: string;
  readonly text: string;
}

export interface CsvRowReject {
  readonly row: number;
  readonly code: ReportErrorCode;
  readonly message: string;
}

/** PTB-XL writes ids as floats (`15709.0`); the patient is the same as `15709`. */
function idText(value: string): string {
  return value.trim().replace(/^(\d+)\.0*$/, '$1');
}

/**
 * The reports of a PTB-XL database, in row order, with one reject per unusable row (wrong number of
 * fields, no ecg_id or patient_id, a repeated ecg_id, an empty report). Throws CSV_MALFORMED or
 * CSV_NO_COLUMN when the file as a whole cannot be read. Messages never quote a cell.
 */
export function ptbXlReports(text: string, path: string): { reports: CsvReportRow[]; rejects: CsvRowReject[] } {
  const records = [...csvRecords(text, path)];
  if (records.length === 0) throw reportError('CSV_MALFORMED', 'the table has no header', path);
  const columns = records[0].map((name) => name.trim());
  const index = (name: string): number => {
    const at = columns.indexOf(name);
    if (at < 0) throw reportError('CSV_NO_COLUMN', `no column named ${name}`, path);
    return at;
  };
  const [reportAt, ecgAt, patientAt] = [index('report'), index('ecg_id'), index('patient_id')];
  const reports: CsvReportRow[] = [];
  const rejects: CsvRowReject[] = [];
  const seen = new Set<string>();
  records.slice(1).forEach((record, i) => {
    const row = i + 1;
    const reject = (code: ReportErrorCode, message: string) => rejects.push({ row, code, message });
    if (record.length !== columns.length) return reject('CSV_MALFORMED', `row ${row} has ${record.length} fields, the header ${columns.length}`);
    const ecgId = idText(record[ecgAt]);
    const patientIdentity = idText(record[patientAt]);
    if (ecgId === '') return reject('CSV_MALFORMED', `row ${row} has no ecg_id`);
    if (patientIdentity === '') return reject('CSV_MALFORMED', `row ${row} has no patient_id`);
    if (seen.has(ecgId)) return reject('CSV_MALFORMED', `row ${row} repeats the ecg_id of an earlier row`);
    seen.add(ecgId);
    if (record[reportAt].trim() === '') return reject('REPORT_EMPTY', `row ${row} has an empty report`);
    reports.push({ row, ecgId, patientIdentity, text: record[reportAt] });
  });
  return { reports, rejects };
}
