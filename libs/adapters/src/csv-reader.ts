// A small streaming RFC 4180 reader: quoted fields with embedded commas, quotes ("") and newlines,
// CRLF or LF record ends, a UTF-8 byte-order mark, and `.csv.gz` (MIMIC-CXR-JPG ships its CSVs
// gzipped) through node:zlib. Rows stream with their starting line number so a malformed row becomes
// one reject, never the loss of a whole CSV (../shared/design.md "Exit codes").
// FIX: libs/reports has its own reader; both should move to one shared util lib.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

/** One record as read: its fields, the 1-based line it starts on, and why it is malformed, if it is. */
export interface CsvRecord {
  readonly fields: string[];
  readonly line: number;
  readonly problem: string | null;
}

/** Incremental parser: push text chunks, take the complete records; `end()` flushes the last one. */
export class CsvParser {
  #field = '';
  #fields: string[] = [];
  #inQuotes = false;
  #quoteSeen = false;
  #afterClosingQuote = false;
  #pendingCarriageReturn = false;
  #line = 1;
  #recordLine = 1;
  #problem: string | null = null;
  #recordHasContent = false;
  #atStart = true;

  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    let text = chunk;
    if (this.#atStart) {
      if (text.length === 0) return out;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.#atStart = false;
    }
    for (let index = 0; index < text.length; index++) {
      const char = text[index];
      if (this.#pendingCarriageReturn) {
        this.#pendingCarriageReturn = false;
        if (char === '\n') continue; // CRLF = one record end
      }
      if (this.#quoteSeen) {
        // A quote inside a quoted field is either the first of "" (a literal quote) or the closing one;
        // the next character decides, which may arrive in the next chunk.
        this.#quoteSeen = false;
        if (char === '"') {
          this.#field += '"';
          continue;
        }
        this.#inQuotes = false;
        this.#afterClosingQuote = true;
      }
      if (this.#inQuotes) {
        if (char === '"') this.#quoteSeen = true;
        else {
          if (char === '\n') this.#line++;
          this.#field += char;
        }
        continue;
      }
      if (char === ',') {
        this.#endField();
      } else if (char === '\n' || char === '\r') {
        if (char === '\r') this.#pendingCarriageReturn = true;
        const record = this.#endRecord();
        if (record) out.push(record);
        this.#line++;
        this.#recordLine = this.#line;
      } else if (char === '"' && this.#field === '' && !this.#afterClosingQuote) {
        this.#inQuotes = true;
        this.#recordHasContent = true;
      } else {
        // A quote inside an unquoted field (`5" wide`) is taken literally, as most readers do; text after a
        // closing quote (`"a"b`) is ambiguous and makes the record malformed.
        if (this.#afterClosingQuote) this.#problem ??= 'text after a closing quote';
        this.#field += char;
        this.#recordHasContent = true;
      }
    }
    return out;
  }

  end(): CsvRecord[] {
    if (this.#quoteSeen) {
      this.#quoteSeen = false;
      this.#inQuotes = false;
      this.#afterClosingQuote = true;
    }
    if (this.#inQuotes) this.#problem ??= 'the file ends inside a quoted field';
    const record = this.#endRecord();
    return record ? [record] : [];
  }

  #endField(): void {
    this.#fields.push(this.#field);
    this.#field = '';
    this.#afterClosingQuote = false;
    this.#recordHasContent = true;
  }

  #endRecord(): CsvRecord | null {
    const empty = !this.#recordHasContent && this.#field === '' && this.#fields.length === 0;
    this.#inQuotes = false;
    this.#quoteSeen = false;
    if (empty) return null; // blank lines are not records
    this.#endField();
    const record = { fields: this.#fields, line: this.#recordLine, problem: this.#problem };
    this.#fields = [];
    this.#problem = null;
    this.#recordHasContent = false;
    return record;
  }
}

/** Parses a whole CSV text (tests, small files). */
export function parseCsvText(text: string): CsvRecord[] {
  const parser = new CsvParser();
  return [...parser.push(text), ...parser.end()];
}

/** Streams the records of a CSV file; a name ending in `.gz` is gunzipped on the fly. */
export async function* readCsvRecords(absolutePath: string): AsyncGenerator<CsvRecord> {
  const fileStream = createReadStream(absolutePath, { highWaterMark: 1 << 20 });
  const byteStream = absolutePath.endsWith('.gz') ? fileStream.pipe(createGunzip()) : fileStream;
  const decoder = new TextDecoder('utf-8');
  const parser = new CsvParser();
  for await (const chunk of byteStream) {
    for (const record of parser.push(decoder.decode(chunk as Buffer, { stream: true }))) yield record;
  }
  for (const record of parser.push(decoder.decode())) yield record;
  for (const record of parser.end()) yield record;
}
