import { describe, expect, it } from 'vitest';
import { parsePythonJson } from './python-json';
import { parsePythonLiteral } from './python-literal';

describe('json.loads as Python has it', () => {
  it('accepts NaN, Infinity and -Infinity', () => {
    const r = parsePythonJson('[NaN, Infinity, -Infinity]');
    expect(r.ok && r.value.kind === 'list' && r.value.items.map((v) => (v.kind === 'float' ? v.value : null))).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
  });
  it('tells int from float', () => {
    const r = parsePythonJson('[1, 1.0, 1e2, -0]');
    expect(r.ok && r.value.kind === 'list' && r.value.items.map((v) => v.kind)).toEqual(['int', 'float', 'float', 'int']);
  });
  it('raises RecursionError past the recursion limit (not JSONDecodeError), 900 levels still parse', () => {
    expect(parsePythonJson('['.repeat(3000))).toEqual({ ok: false, failure: 'recursion' });
    expect(parsePythonJson('['.repeat(900) + ']'.repeat(900)).ok).toBe(true);
  });
  it('raises ValueError for an integer of more than 4300 digits', () => {
    expect(parsePythonJson('1'.repeat(4301))).toEqual({ ok: false, failure: 'int-digits' });
    expect(parsePythonJson('1'.repeat(4300)).ok).toBe(true);
  });
  it('rejects what JSON rejects: trailing commas, single quotes, raw control characters, extra data', () => {
    for (const text of ['[1,]', "['a']", '"a\u0001"', '[1] x', '', 'True']) expect(parsePythonJson(text)).toEqual({ ok: false, failure: 'decode' });
  });
});

describe('ast.literal_eval as Python has it (behaviours observed with CPython 3.11)', () => {
  const kind = (text: string): string | undefined => parsePythonLiteral(text)?.kind;
  it('parses lists, tuples, dicts, sets and constants', () => {
    expect(kind('[True, None]')).toBe('list');
    expect(kind('(1, 2)')).toBe('tuple');
    expect(kind('(1,)')).toBe('tuple');
    expect(kind('()')).toBe('tuple');
    expect(kind('(1)')).toBe('int');
    expect(kind('{}')).toBe('dict');
    expect(kind('{1, 2}')).toBe('other');
    expect(kind('set()')).toBe('other');
    expect(kind('1j')).toBe('other');
    expect(kind('1 +2j')).toBe('other');
  });
  it('accepts trailing commas, comments, line breaks inside brackets and leading spaces or tabs', () => {
    expect(kind('[1, 2,]')).toBe('list');
    expect(kind('[1]  # c')).toBe('list');
    expect(kind('[1,\n 2]')).toBe('list');
    expect(kind(' \t[1]')).toBe('list');
    expect(kind('\n[1]')).toBe('list');
    expect(kind('[1]\n\n')).toBe('list');
  });
  it('reads numbers the way Python does', () => {
    expect(parsePythonLiteral('1_0')).toEqual({ kind: 'int', value: 10, digits: 2 });
    expect(parsePythonLiteral('0x10')).toMatchObject({ kind: 'int', value: 16 });
    expect(parsePythonLiteral('-1')).toMatchObject({ kind: 'int', value: -1 });
    expect(parsePythonLiteral('1.')).toEqual({ kind: 'float', value: 1 });
    expect(parsePythonLiteral('.5')).toEqual({ kind: 'float', value: 0.5 });
    expect(parsePythonLiteral('00')).toMatchObject({ kind: 'int', value: 0 });
  });
  it('concatenates adjacent strings and honours prefixes and escapes', () => {
    expect(parsePythonLiteral('"a" "b"')).toEqual({ kind: 'str', value: 'ab' });
    expect(parsePythonLiteral('r"\\n"')).toEqual({ kind: 'str', value: '\\n' });
    expect(parsePythonLiteral('"\\n\\x41\\u00d6"')).toEqual({ kind: 'str', value: '\nA\u00d6' });
    expect(parsePythonLiteral('"""x"""')).toEqual({ kind: 'str', value: 'x' });
  });
  it('fails where literal_eval raises', () => {
    for (const text of ['\n  [1]', '--1', '0777', 'inf', 'x', '[1] [2]', '[1', '"a', '{[1]: 2}', 'f"x"', '1\n2', '']) {
      expect(parsePythonLiteral(text)).toBeUndefined();
    }
  });
  it('refuses more than 200 nested brackets, like CPython\'s tokenizer', () => {
    expect(kind('['.repeat(200) + ']'.repeat(200))).toBe('list');
    expect(parsePythonLiteral('['.repeat(201) + ']'.repeat(201))).toBeUndefined();
  });
});
