// RFC 4180 CSV, enough for the report columns of dataset tables (PTB-XL ptbxl_database.csv `report`):
// quoted fields with "" escapes, commas and line breaks inside quotes, CRLF or LF records, a UTF-8 BOM.
// FIX: no CSV reader exists in the workspace yet; this belongs in a shared util lib once one does.
import { reportError } from './report-error';

/** Splits CSV text into records of fields. Throws CSV_MALFORMED on an unterminated quoted field. */
export function* csvRecords(text: string, path?: string): Generator<string[]> {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n) {
    const record: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        const opened = i;
        i += 1;
        for (;;) {
          const quote = text.indexOf('"', i);
          if (quote < 0) throw reportError('CSV_MALFORMED', `unterminated quoted field at offset ${opened}`, path);
          field += text.slice(i, quote);
          if (text[quote + 1] === '"') {
            field += '"';
            i = quote + 2;
          } else {
            i = quote + 1;
            break;
          }
        }
        // Text after a closing quote before the delimiter is kept, as lenient readers (Python csv) do.
        const rest = /[^,\r\n]*/y;
        rest.lastIndex = i;
        field += rest.exec(text)?.[0] ?? '';
        i = rest.lastIndex;
      } else {
        const plain = /[^,\r\n]*/y;
        plain.lastIndex = i;
        field = plain.exec(text)?.[0] ?? '';
        i = plain.lastIndex;
      }
      record.push(field);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text[i] === '\r') i += 1;
      if (text[i] === '\n') i += 1;
      break;
    }
    // A blank line is not a record (RFC 4180 has none; spreadsheets leave them at the end).
    if (!(record.length === 1 && record[0] === '')) yield record;
  }
}

export interface CsvReport {
  /** 1-based record number after the header, for rejects. */
  readonly row: number;
  /** The value of the key column (`ecg_id` for PTB-XL), or the row number when none was asked for. */
  readonly key: string;
  readonly text: string;
}

/** The report column of a CSV table, one entry per data row with a non-empty report. */
export function* csvReportColumn(
  text: string,
  options: { readonly reportColumn: string; readonly keyColumn?: string; readonly path?: string },
): Generator<CsvReport> {
  const records = csvRecords(text, options.path);
  const header = records.next();
  if (header.done) return;
  const columns = header.value.map((c) => c.trim());
  const reportIndex = columns.indexOf(options.reportColumn);
  const keyIndex = options.keyColumn === undefined ? -1 : columns.indexOf(options.keyColumn);
  if (reportIndex < 0) throw reportError('CSV_NO_COLUMN', `no column named ${options.reportColumn}`, options.path);
  if (options.keyColumn !== undefined && keyIndex < 0) throw reportError('CSV_NO_COLUMN', `no column named ${options.keyColumn}`, options.path);
  let row = 0;
  for (const record of records) {
    row += 1;
    const report = record[reportIndex] ?? '';
    if (report.trim() === '') continue;
    yield { row, key: keyIndex < 0 ? String(row) : (record[keyIndex] ?? ''), text: report };
  }
}
