// Specific Character Set decoding: values encoded with Python's codecs (independent of both decoders),
// decoded by us and — where pydicom 2.3 supports the set — by pydicom's decode_bytes, the oracle.
import { describe, expect, it } from 'vitest';
import { requireOracle, runPython } from '@qoq/testing';
import { decodeText } from './character-set';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

// [Specific Character Set values, encoded bytes, text]
const CASES: [string[], string, string][] = [
  [['ISO_IR 100'], '4275635e4ae972f46d65', 'Buc^Jérôme'],
  [['ISO_IR 192'], '57616e675e5869616f446f6e673de78e8b5ee5b08fe69db13d', 'Wang^XiaoDong=王^小東='],
  [['GB18030'], '57616e675e5869616f446f6e673dcdf55ed0a1b6ab3d', 'Wang^XiaoDong=王^小东='],
  [['ISO_IR 144'], 'bbeeda6365dcd17970d3', 'Люкceмбypг'],
  [['ISO_IR 126'], 'c4e9efedf5f3e9eff2', 'Διονυσιος'],
  [['ISO_IR 138'], 'f9f8e5ef5ee3e1e5f8e4', 'שרון^דבורה'],
  [['ISO_IR 127'], 'e2c8c7e6ea5ee4e6d2c7d1', 'قباني^لنزار'],
  [['ISO_IR 166'], 'bbc3d0e0b7c8e4b7c2', 'ประเทศไทย'],
  [['ISO_IR 101'], '5761b3ea7361', 'Wałęsa'],
  [['ISO_IR 13'], 'd4cfc0de5ec0dbb3', 'ﾔﾏﾀﾞ^ﾀﾛｳ'],
  [['', 'ISO 2022 IR 87'], '59616d6164615e5461726f753d1b24423b3345441b28425e1b244242404f3a1b28423d1b24422464245e24401b28425e1b2442243f246d24261b2842', 'Yamada^Tarou=山田^太郎=やまだ^たろう'],
  [['', 'ISO 2022 IR 149'], '486f6e675e47696c646f6e673d1b242943fbf35e1b242943d1ced4d73d1b242943c8ab5e1b242943b1e6b5bf', 'Hong^Gildong=洪^吉洞=홍^길동'],
  [['ISO 2022 IR 13', 'ISO 2022 IR 87'], 'd4cfc0de5ec0dbb33d1b24423b3345441b284a5e1b244242404f3a1b284a', 'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎'],
  [['ISO 2022 IR 6', 'ISO 2022 IR 100'], '4275635e4a1b2d41e972f46d65', 'Buc^Jérôme'],
];

describe('decodeText', () => {
  it.each(CASES)('decodes %j', (terms, bytes, text) => {
    expect(decodeText(hex(bytes), terms)).toBe(text);
  });

  it('decodes GB2312 designated by ISO 2022 IR 58 escapes (PS3.5 Annex K)', () => {
    const bytes = hex('5a68616e675e5869616f446f6e673d1b242941d5c55e1b242941d0a1b6ab3d');
    expect(decodeText(bytes, ['', 'ISO 2022 IR 58'])).toBe('Zhang^XiaoDong=张^小东=');
  });

  it('reads an empty or absent character set as the default repertoire', () => {
    expect(decodeText(hex('536d697468'), [])).toBe('Smith');
    expect(decodeText(hex('536d697468'), [''])).toBe('Smith');
  });

  it.runIf(requireOracle('pydicom'))('agrees with pydicom decode_bytes on every case', () => {
    const script = [
      'import json, sys',
      'from pydicom.charset import decode_bytes, convert_encodings',
      'cases = json.loads(sys.stdin.read())',
      'print(json.dumps([decode_bytes(bytes.fromhex(h), convert_encodings(t), {0x5e, 0x3d}) for t, h in cases]))',
    ].join('\n');
    const { stdout } = runPython(script, [], JSON.stringify(CASES.map(([terms, bytes]) => [terms, bytes])));
    const oracle = JSON.parse(stdout) as string[];
    expect(CASES.map(([terms, bytes]) => decodeText(hex(bytes), terms))).toEqual(oracle);
  });
});
