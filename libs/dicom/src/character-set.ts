// Specific Character Set (0008,0005) decoding, PS3.3 §C.12.1.1.2 and PS3.5 §6.1: single-byte and
// multi-byte sets without code extensions map to one WHATWG TextDecoder; "ISO 2022 IR …" terms switch
// sets with escape sequences inside a value (PS3.5 §6.1.2.5), so such values are cut at each escape and
// every run decoded with the set its escape designates.

import { TextDecoder } from 'node:util';

interface CharacterSetCodec {
  /** WHATWG encoding label for TextDecoder. */
  readonly encoding: string;
  /** Escape sequence that designates this set under ISO 2022 (bytes after ESC). */
  readonly escape?: string;
}

// Defined Terms of PS3.3 Tables C.12-2 to C.12-5. FIX: WHATWG decodes "iso-8859-1" as windows-1252 —
// identical for every printable ISO 8859-1 byte; only the C1 controls 0x80–0x9F differ, and DICOM
// forbids those in text values.
const CHARACTER_SETS: Record<string, CharacterSetCodec> = {
  ISO_IR_6: { encoding: 'ascii', escape: '(B' },
  ISO_IR_100: { encoding: 'iso-8859-1', escape: '-A' },
  ISO_IR_101: { encoding: 'iso-8859-2', escape: '-B' },
  ISO_IR_109: { encoding: 'iso-8859-3', escape: '-C' },
  ISO_IR_110: { encoding: 'iso-8859-4', escape: '-D' },
  ISO_IR_144: { encoding: 'iso-8859-5', escape: '-L' },
  ISO_IR_127: { encoding: 'iso-8859-6', escape: '-G' },
  ISO_IR_126: { encoding: 'iso-8859-7', escape: '-F' },
  ISO_IR_138: { encoding: 'iso-8859-8', escape: '-H' },
  ISO_IR_148: { encoding: 'iso-8859-9', escape: '-M' },
  ISO_IR_203: { encoding: 'iso-8859-15', escape: '-b' },
  // JIS X 0201: katakana in G1 (IR 13) and romaji in G0 (IR 14); Shift_JIS keeps both byte ranges.
  ISO_IR_13: { encoding: 'shift_jis', escape: ')I' },
  ISO_IR_14: { encoding: 'shift_jis', escape: '(J' },
  ISO_IR_166: { encoding: 'windows-874', escape: '-T' },
  // Multi-byte sets with code extensions, PS3.3 Table C.12-4.
  ISO_IR_87: { encoding: 'iso-2022-jp', escape: '$B' },
  ISO_IR_159: { encoding: 'euc-jp', escape: '$(D' },
  ISO_IR_149: { encoding: 'euc-kr', escape: '$)C' },
  ISO_IR_58: { encoding: 'gbk', escape: '$)A' },
  // Multi-byte sets without code extensions, PS3.3 Table C.12-5.
  ISO_IR_192: { encoding: 'utf-8' },
  GB18030: { encoding: 'gb18030' },
  GBK: { encoding: 'gbk' },
};

const ESC = 0x1b;
const decoders = new Map<string, TextDecoder>();

function decoder(encoding: string): TextDecoder {
  let found = decoders.get(encoding);
  if (found === undefined) {
    found = new TextDecoder(encoding);
    decoders.set(encoding, found);
  }
  return found;
}

function codecForTerm(term: string): CharacterSetCodec {
  // "ISO 2022 IR 100" and "ISO_IR 100" name the same set; an empty first value means the default.
  const key = term.trim().replace(/^ISO 2022 /, 'ISO_').replace(/^ISO_IR /, 'ISO_IR_').replace(/ /g, '_');
  return CHARACTER_SETS[key === '' ? 'ISO_IR_6' : key] ?? CHARACTER_SETS['ISO_IR_100'];
}

/** Decodes the bytes of a text value (SH, LO, ST, LT, UT, UC, PN) under the data set's character set. */
export function decodeText(bytes: Uint8Array, specificCharacterSet: readonly string[]): string {
  const terms = specificCharacterSet.length === 0 ? [''] : specificCharacterSet;
  const initial = codecForTerm(terms[0]);
  if (!bytes.includes(ESC)) return decodeRun(bytes, initial);
  const byEscape = new Map<string, CharacterSetCodec>();
  for (const term of terms) {
    const codec = codecForTerm(term);
    if (codec.escape !== undefined) byEscape.set(codec.escape, codec);
  }
  // G0 designations that any code-extension value may use: ASCII, and JIS X 0201 romaji, which
  // ISO 2022 IR 13 designates to G0 alongside its katakana in G1 (PS3.3 Table C.12-3).
  byEscape.set('(B', CHARACTER_SETS['ISO_IR_6']);
  byEscape.set('(J', CHARACTER_SETS['ISO_IR_14']);
  let text = '';
  let active = initial;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== ESC) continue;
    text += decodeRun(bytes.subarray(start, i), active);
    if (i === bytes.length) break;
    const escape = readEscape(bytes, i + 1);
    active = byEscape.get(escape) ?? active;
    start = i + 1 + escape.length;
    i = start - 1;
  }
  return text;
}

function readEscape(bytes: Uint8Array, from: number): string {
  // An escape sequence is intermediate bytes 0x20–0x2F followed by one final byte (ISO 2022 §13.1).
  let end = from;
  while (end < bytes.length && bytes[end] >= 0x20 && bytes[end] <= 0x2f) end++;
  return String.fromCharCode(...bytes.subarray(from, Math.min(end + 1, bytes.length)));
}

function decodeRun(run: Uint8Array, codec: CharacterSetCodec): string {
  if (run.length === 0) return '';
  if (codec.encoding === 'iso-2022-jp') {
    // JIS X 0208 in G0 (7-bit pairs): let the WHATWG ISO-2022-JP decoder see its own designation.
    const designated = new Uint8Array(run.length + 3);
    designated.set([ESC, 0x24, 0x42]);
    designated.set(run, 3);
    return decoder('iso-2022-jp').decode(designated);
  }
  if (codec.encoding === 'euc-jp' && codec.escape === '$(D') {
    // JIS X 0212 in G0: EUC-JP carries it as 0x8F followed by the pair with the high bit set.
    const euc: number[] = [];
    for (let i = 0; i + 1 < run.length; i += 2) euc.push(0x8f, run[i] | 0x80, run[i + 1] | 0x80);
    return decoder('euc-jp').decode(Uint8Array.from(euc));
  }
  return decoder(codec.encoding).decode(run);
}
