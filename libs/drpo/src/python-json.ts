// Python's json.loads, as far as the reward code can tell the difference from JSON.parse: it accepts
// NaN / Infinity / -Infinity, tells int from float, raises RecursionError on deep nesting and ValueError
// on an integer of more than 4300 digits (Python >= 3.11). These two are not JSONDecodeError, so the
// released extract_json_from_response lets them escape (golden err-001, err-002).
import type { PyValue } from './py-value';

/** Why a parse failed: `decode` is JSONDecodeError; the others are the exceptions the code does not catch. */
export type PythonJsonFailure = 'decode' | 'recursion' | 'int-digits';

export type PythonJsonResult = { readonly ok: true; readonly value: PyValue } | { readonly ok: false; readonly failure: PythonJsonFailure };

/**
 * Nesting at which CPython's C scanner hits the default recursion limit (1000) when called from a few
 * frames deep: 995 containers fail at top level; the trainer's stack is deeper still. 900 parses
 * (err-004), 3000 does not (err-001). The exact figure depends on the caller's stack depth.
 */
export const PYTHON_JSON_MAX_DEPTH = 990;
/** sys.get_int_max_str_digits() default of Python 3.11. */
export const PYTHON_INT_MAX_DIGITS = 4300;

class Failure {
  constructor(readonly failure: PythonJsonFailure) {}
}

const WHITESPACE = ' \t\n\r';
const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;

export function parsePythonJson(text: string): PythonJsonResult {
  let pos = 0;
  const skipWhitespace = (): void => {
    while (pos < text.length && WHITESPACE.includes(text[pos])) pos++;
  };
  const parseString = (): string => {
    // pos is on the opening quote.
    pos++;
    let out = '';
    for (;;) {
      if (pos >= text.length) throw new Failure('decode');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        return out;
      }
      if (c < 0x20) throw new Failure('decode'); // strict=True: no raw control characters
      if (c !== 0x5c) {
        out += text[pos++];
        continue;
      }
      const e = text[pos + 1];
      pos += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = text.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Failure('decode');
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        default:
          throw new Failure('decode');
      }
    }
  };
  const parseValue = (depth: number): PyValue => {
    skipWhitespace();
    const c = text[pos];
    if (c === '[' || c === '{') {
      if (depth + 1 >= PYTHON_JSON_MAX_DEPTH) throw new Failure('recursion');
      pos++;
      skipWhitespace();
      if (c === '[') {
        const items: PyValue[] = [];
        if (text[pos] === ']') {
          pos++;
          return { kind: 'list', items };
        }
        for (;;) {
          items.push(parseValue(depth + 1));
          skipWhitespace();
          if (text[pos] === ',') {
            pos++;
            continue;
          }
          if (text[pos] === ']') {
            pos++;
            return { kind: 'list', items };
          }
          throw new Failure('decode');
        }
      }
      const entries = new Map<string, PyValue>();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'dict', entries, size: 0 };
      }
      for (;;) {
        skipWhitespace();
        if (text[pos] !== '"') throw new Failure('decode');
        const key = parseString();
        skipWhitespace();
        if (text[pos] !== ':') throw new Failure('decode');
        pos++;
        entries.set(key, parseValue(depth + 1));
        skipWhitespace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return { kind: 'dict', entries, size: entries.size };
        }
        throw new Failure('decode');
      }
    }
    if (c === '"') return { kind: 'str', value: parseString() };
    for (const [word, value] of CONSTANTS) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = pos;
    const match = NUMBER.exec(text);
    if (!match) throw new Failure('decode');
    pos += match[0].length;
    if (match[1] === undefined && match[2] === undefined) {
      const digits = match[0].length - (match[0].startsWith('-') ? 1 : 0);
      if (digits > PYTHON_INT_MAX_DIGITS) throw new Failure('int-digits');
      return { kind: 'int', value: Number(match[0]), digits };
    }
    return { kind: 'float', value: Number(match[0]) };
  };
  try {
    const value = parseValue(0);
    skipWhitespace();
    if (pos !== text.length) return { ok: false, failure: 'decode' };
    return { ok: true, value };
  } catch (error) {
    if (error instanceof Failure) return { ok: false, failure: error.failure };
    throw error;
  }
}

const CONSTANTS: ReadonlyArray<readonly [string, PyValue]> = [
  ['null', { kind: 'none' }],
  ['true', { kind: 'bool', value: true }],
  ['false', { kind: 'bool', value: false }],
  ['NaN', { kind: 'float', value: Number.NaN }],
  ['Infinity', { kind: 'float', value: Number.POSITIVE_INFINITY }],
  ['-Infinity', { kind: 'float', value: Number.NEGATIVE_INFINITY }],
];
