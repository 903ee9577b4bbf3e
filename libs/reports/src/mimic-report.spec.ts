import { describe, expect, it } from 'vitest';
import { readMimicReport } from './mimic-report';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('readMimicReport', () => {
  it('reads a UTF-8 report with CRLF line ends and a BOM into LF text and sections', () => {
    const report = readMimicReport(bytes('\uFEFF FINAL REPORT\r\n FINDINGS:  Clear.\r\n IMPRESSION: Normal.\r\n'));
    expect(report.text).toBe(' FINAL REPORT\n FINDINGS:  Clear.\n IMPRESSION: Normal.\n');
    expect(report.sections.map((s) => [s.name, s.text])).toEqual([
      ['FINAL REPORT', ''],
      ['FINDINGS', 'Clear.'],
      ['IMPRESSION', 'Normal.'],
    ]);
  });

  it('falls back to Windows-1252 for bytes that are not UTF-8', () => {
    const latin = Uint8Array.from([0x46, 0x49, 0x4e, 0x44, 0x49, 0x4e, 0x47, 0x53, 0x3a, 0x20, 0x35, 0xb0, 0x20, 0x74, 0x69, 0x6c, 0x74]);
    expect(readMimicReport(latin).text).toBe('FINDINGS: 5° tilt');
  });

  it('rejects binary and empty files with typed errors', () => {
    expect(() => readMimicReport(Uint8Array.from([0x46, 0x00, 0x01]), 'a.txt')).toThrow(expect.objectContaining({ code: 'REPORT_NOT_TEXT', path: 'a.txt' }));
    expect(() => readMimicReport(bytes(' \n\n'))).toThrow(expect.objectContaining({ code: 'REPORT_EMPTY' }));
  });
});
