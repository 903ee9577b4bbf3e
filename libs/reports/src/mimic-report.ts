// One MIMIC-CXR free-text report (files/p10/p10000032/s50414267.txt): UTF-8 text (older exports are
// Windows-1252), CRLF or LF line ends, sections as report-sections.ts reads them. Offsets of the
// returned text and of its sections refer to the text after line ends are normalized to LF.
import { reportError } from './report-error';
import { splitSections, type ReportSection } from './report-sections';

export interface MimicReport {
  readonly text: string;
  readonly sections: readonly ReportSection[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const WINDOWS_1252 = new TextDecoder('windows-1252');

/** Decodes report bytes; a file with NUL bytes or no visible text is not a report. */
export function decodeReportText(bytes: Uint8Array, path?: string): string {
  if (bytes.includes(0)) throw reportError('REPORT_NOT_TEXT', 'the report holds NUL bytes: not a text file', path);
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    text = WINDOWS_1252.decode(bytes);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');
  if (text.trim() === '') throw reportError('REPORT_EMPTY', 'the report is empty', path);
  return text;
}

export function readMimicReport(bytes: Uint8Array, path?: string): MimicReport {
  const text = decodeReportText(bytes, path);
  return { text, sections: splitSections(text) };
}
