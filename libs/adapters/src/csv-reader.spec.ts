import { describe, expect, it } from 'vitest';
import { CsvParser, parseCsvText } from './csv-reader';

describe('RFC 4180 CSV reader', () => {
  it('reads quoted fields holding commas, doubled quotes and newlines', () => {
    const records = parseCsvText('a,b,c\n"x, y","say ""hi""","line1\nline2"\nlast,,\n');
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'line1\nline2'],
      ['last', '', ''],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('drops a UTF-8 byte-order mark and treats CRLF as one record end', () => {
    const records = parseCsvText('\uFEFFimage_id,dx\r\nISIC_1,mel\r\n\r\nISIC_2,nv');
    expect(records.map((r) => r.fields)).toEqual([['image_id', 'dx'], ['ISIC_1', 'mel'], ['ISIC_2', 'nv']]);
  });

  it('gives the same records whatever the chunking, even inside "" and CRLF', () => {
    const text = 'k,v\r\n"a""b","c\r\nd"\r\n"",e\r\n';
    const whole = parseCsvText(text).map((r) => r.fields);
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new CsvParser();
      const fields = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut)), ...parser.end()].map((r) => r.fields);
      expect(fields, `cut at ${cut}`).toEqual(whole);
    }
    expect(whole).toEqual([['k', 'v'], ['a"b', 'c\r\nd'], ['', 'e']]);
  });

  it('flags text after a closing quote and an unterminated quoted field as problems of that record only', () => {
    const records = parseCsvText('a,b\n"x"y,1\nok,2\n"open,3');
    expect(records[1].problem).toMatch(/after a closing quote/);
    expect(records[2].problem).toBeNull();
    expect(records[3].problem).toMatch(/ends inside a quoted field/);
  });

  it('takes a quote inside an unquoted field literally', () => {
    expect(parseCsvText('size\n5" wide\n')[1]).toEqual({ fields: ['5" wide'], line: 2, problem: null });
  });
});
