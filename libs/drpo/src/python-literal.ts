// A parser for the subset of Python that ast.literal_eval accepts, used by the released reward code as
// its lenient fallback (after replacing every ' by "): lists, tuples, dicts, sets, strings (with
// prefixes, implicit concatenation), int / float / complex numbers, True / False / None, one unary sign,
// comments and bracketed line breaks. Anything else is a failure (the code's except clause).
import type { PyValue } from './py-value';

/** CPython's tokenizer refuses more than 200 open brackets ("too many nested parentheses"). */
const MAX_BRACKET_LEVEL = 200;

class SyntaxFailure {}

interface Token {
  readonly type: 'op' | 'name' | 'number' | 'string' | 'newline' | 'end';
  readonly text: string;
  readonly value?: PyValue;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let level = 0;
  let atLineStart = true;
  let sawSignificant = false;
  while (pos < source.length) {
    const c = source[pos];
    if (atLineStart) {
      // Blank and comment-only lines are ignored; the first significant line must not be indented.
      let p = pos;
      while (p < source.length && (source[p] === ' ' || source[p] === '\t' || source[p] === '\f')) p++;
      const next = source[p];
      if (p >= source.length || next === '\n' || next === '\r' || next === '#') {
        pos = p;
        atLineStart = false;
        continue;
      }
      if (p !== pos && !sawSignificant && level === 0) throw new SyntaxFailure();
      pos = p;
      atLineStart = false;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f') {
      pos++;
      continue;
    }
    if (c === '#') {
      while (pos < source.length && source[pos] !== '\n' && source[pos] !== '\r') pos++;
      continue;
    }
    if (c === '\\' && (source[pos + 1] === '\n' || source[pos + 1] === '\r')) {
      pos += source[pos + 1] === '\r' && source[pos + 2] === '\n' ? 3 : 2;
      // A continuation at the very end is a SyntaxError.
      if (pos >= source.length) throw new SyntaxFailure();
      continue;
    }
    if (c === '\n' || c === '\r') {
      pos += c === '\r' && source[pos + 1] === '\n' ? 2 : 1;
      if (level === 0 && sawSignificant) tokens.push({ type: 'newline', text: '\n' });
      atLineStart = level === 0;
      continue;
    }
    if ('([{'.includes(c)) {
      level++;
      if (level > MAX_BRACKET_LEVEL) throw new SyntaxFailure();
      tokens.push({ type: 'op', text: c });
      sawSignificant = true;
      pos++;
      continue;
    }
    if (')]}'.includes(c)) {
      level--;
      if (level < 0) throw new SyntaxFailure();
      tokens.push({ type: 'op', text: c });
      pos++;
      continue;
    }
    if (',:+-'.includes(c)) {
      tokens.push({ type: 'op', text: c });
      sawSignificant = true;
      pos++;
      continue;
    }
    const stringMatch = /^([rRbBuU]|[rR][bB]|[bB][rR])?("""|'''|"|')/.exec(source.slice(pos, pos + 5));
    if (stringMatch) {
      const prefix = (stringMatch[1] ?? '').toLowerCase();
      const quote = stringMatch[2];
      pos += (stringMatch[1] ?? '').length + quote.length;
      const start = pos;
      let end = -1;
      while (pos < source.length) {
        if (source[pos] === '\\' && !prefix.includes('r')) {
          pos += 2;
          continue;
        }
        if (source[pos] === '\\') {
          pos += 2; // a raw string still cannot end on an escaped quote
          continue;
        }
        if (source.startsWith(quote, pos)) {
          end = pos;
          pos += quote.length;
          break;
        }
        if (quote.length === 1 && (source[pos] === '\n' || source[pos] === '\r')) throw new SyntaxFailure();
        pos++;
      }
      if (end < 0) throw new SyntaxFailure();
      const body = source.slice(start, end);
      const value = prefix.includes('r') ? body : unescape(body, prefix.includes('b'));
      tokens.push({ type: 'string', text: prefix.includes('b') ? 'b' : 's', value: { kind: 'str', value } });
      sawSignificant = true;
      continue;
    }
    NUMBER.lastIndex = pos;
    const numberMatch = /[.\d]/.test(c) ? NUMBER.exec(source) : null;
    if (numberMatch) {
      const text = numberMatch[0];
      pos += text.length;
      if (/^[A-Za-z0-9_]/.test(source[pos] ?? '')) throw new SyntaxFailure();
      tokens.push({ type: 'number', text, value: numberValue(text) });
      sawSignificant = true;
      continue;
    }
    const nameMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(pos, pos + 64));
    if (nameMatch) {
      tokens.push({ type: 'name', text: nameMatch[0] });
      pos += nameMatch[0].length;
      sawSignificant = true;
      continue;
    }
    throw new SyntaxFailure();
  }
  if (level !== 0) throw new SyntaxFailure();
  tokens.push({ type: 'end', text: '' });
  return tokens;
}

const NUMBER =
  /(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][-+]?\d(?:_?\d)*)?[jJ]?)/y;

function numberValue(text: string): PyValue {
  const clean = text.replace(/_/g, '');
  if (/[jJ]$/.test(clean)) return { kind: 'other', size: 0 };
  if (/^0[xX]/.test(clean)) return { kind: 'int', value: parseInt(clean.slice(2), 16), digits: clean.length - 2 };
  if (/^0[oO]/.test(clean)) return { kind: 'int', value: parseInt(clean.slice(2), 8), digits: clean.length - 2 };
  if (/^0[bB]/.test(clean)) return { kind: 'int', value: parseInt(clean.slice(2), 2), digits: clean.length - 2 };
  if (/[.eE]/.test(clean)) return { kind: 'float', value: Number(clean) };
  // Decimal integers with a leading zero are a SyntaxError unless all digits are zero.
  if (/^0\d/.test(clean) && !/^0+$/.test(clean)) throw new SyntaxFailure();
  if (clean.length > 4300) throw new SyntaxFailure();
  return { kind: 'int', value: Number(clean), digits: clean.length };
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

function unescape(body: string, bytes: boolean): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out += body[i];
      continue;
    }
    const e = body[i + 1];
    if (e in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[e];
      i++;
    } else if (/[0-7]/.test(e)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? e;
      out += String.fromCharCode(parseInt(octal, 8));
      i += octal.length;
    } else if (e === 'x' || (!bytes && (e === 'u' || e === 'U'))) {
      const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new SyntaxFailure();
      const codePoint = parseInt(hex, 16);
      if (codePoint > 0x10ffff) throw new SyntaxFailure();
      out += String.fromCodePoint(codePoint);
      i += 1 + width;
    } else if (e === 'N' && !bytes) {
      throw new SyntaxFailure(); // named escapes need the Unicode database; never in reward answers
    } else {
      out += '\\'; // unknown escapes stay as they are (a DeprecationWarning in Python)
    }
  }
  return out;
}

function isHashable(value: PyValue): boolean {
  if (value.kind === 'list' || value.kind === 'dict') return false;
  if (value.kind === 'tuple') return value.items.every(isHashable);
  return true;
}

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index];
  }
  private take(): Token {
    return this.tokens[this.index++];
  }
  private expectOp(text: string): void {
    const token = this.take();
    if (token.type !== 'op' || token.text !== text) throw new SyntaxFailure();
  }
  private isOp(text: string): boolean {
    const token = this.peek();
    return token.type === 'op' && token.text === text;
  }

  parseExpression(): PyValue {
    const token = this.peek();
    if (token.type === 'op' && (token.text === '+' || token.text === '-')) {
      this.take();
      const operand = this.take();
      if (operand.type !== 'number' || !operand.value) throw new SyntaxFailure(); // one sign on a number, nothing else
      return this.parseComplexTail(negate(operand.value, token.text === '-'));
    }
    if (token.type === 'number' && token.value) {
      this.take();
      return this.parseComplexTail(token.value);
    }
    return this.parseAtom();
  }

  /** `1 + 2j`: literal_eval accepts a real plus or minus an imaginary literal. */
  private parseComplexTail(left: PyValue): PyValue {
    if (!(this.isOp('+') || this.isOp('-'))) return left;
    this.take();
    const right = this.take();
    if (right.type !== 'number' || right.value?.kind !== 'other' || left.kind === 'other') throw new SyntaxFailure();
    return { kind: 'other', size: 0 };
  }

  private parseAtom(): PyValue {
    const token = this.take();
    if (token.type === 'string') {
      let value = (token.value as { value: string }).value;
      const isBytes = token.text === 'b';
      while (this.peek().type === 'string') {
        const next = this.take();
        if ((next.text === 'b') !== isBytes) throw new SyntaxFailure();
        value += (next.value as { value: string }).value;
      }
      return isBytes ? { kind: 'other', size: value.length } : { kind: 'str', value };
    }
    if (token.type === 'name') {
      if (token.text === 'True') return { kind: 'bool', value: true };
      if (token.text === 'False') return { kind: 'bool', value: false };
      if (token.text === 'None') return { kind: 'none' };
      if (token.text === 'set' && this.isOp('(')) {
        this.take();
        this.expectOp(')');
        return { kind: 'other', size: 0 };
      }
      throw new SyntaxFailure();
    }
    if (token.type !== 'op') throw new SyntaxFailure();
    if (token.text === '[') {
      const items = this.parseSequence(']');
      return { kind: 'list', items: items.values };
    }
    if (token.text === '(') {
      const items = this.parseSequence(')');
      if (items.values.length === 1 && !items.trailingComma) return items.values[0];
      return { kind: 'tuple', items: items.values };
    }
    if (token.text === '{') return this.parseBraces();
    throw new SyntaxFailure();
  }

  private parseSequence(close: string): { values: PyValue[]; trailingComma: boolean } {
    const values: PyValue[] = [];
    let trailingComma = false;
    while (!this.isOp(close)) {
      values.push(this.parseExpression());
      trailingComma = false;
      if (this.isOp(',')) {
        this.take();
        trailingComma = true;
      } else if (!this.isOp(close)) {
        throw new SyntaxFailure();
      }
    }
    if (values.length === 0 && trailingComma) throw new SyntaxFailure();
    this.take();
    return { values, trailingComma };
  }

  private parseBraces(): PyValue {
    if (this.isOp('}')) {
      this.take();
      return { kind: 'dict', entries: new Map(), size: 0 };
    }
    const first = this.parseExpression();
    if (this.isOp(':')) {
      const entries = new Map<string, PyValue>();
      const otherKeys = new Set<string>();
      let key = first;
      for (;;) {
        this.expectOp(':');
        const value = this.parseExpression();
        if (!isHashable(key)) throw new SyntaxFailure();
        if (key.kind === 'str') entries.set(key.value, value);
        else otherKeys.add(JSON.stringify(key));
        if (this.isOp(',')) this.take();
        else if (!this.isOp('}')) throw new SyntaxFailure();
        if (this.isOp('}')) break;
        key = this.parseExpression();
      }
      this.take();
      return { kind: 'dict', entries, size: entries.size + otherKeys.size };
    }
    // A set display.
    const members = [first];
    while (this.isOp(',')) {
      this.take();
      if (this.isOp('}')) break;
      members.push(this.parseExpression());
    }
    this.expectOp('}');
    if (!members.every(isHashable)) throw new SyntaxFailure();
    return { kind: 'other', size: new Set(members.map((m) => JSON.stringify(m))).size };
  }

  parseWhole(): PyValue {
    let value = this.parseExpression();
    if (this.isOp(',')) {
      // A bare `1, 2` at top level is a tuple.
      const items = [value];
      while (this.isOp(',')) {
        this.take();
        if (this.peek().type === 'newline' || this.peek().type === 'end') break;
        items.push(this.parseExpression());
      }
      value = { kind: 'tuple', items };
    }
    while (this.peek().type === 'newline') this.take();
    if (this.peek().type !== 'end') throw new SyntaxFailure();
    return value;
  }
}

function negate(value: PyValue, negative: boolean): PyValue {
  if (!negative) return value;
  if (value.kind === 'int') return { ...value, value: -value.value };
  if (value.kind === 'float') return { kind: 'float', value: -value.value };
  return value;
}

/** `ast.literal_eval(text)`, or undefined where it raises. */
export function parsePythonLiteral(text: string): PyValue | undefined {
  // literal_eval strips leading spaces and tabs before parsing in eval mode.
  let start = 0;
  while (start < text.length && (text[start] === ' ' || text[start] === '\t')) start++;
  try {
    const tokens = tokenize(text.slice(start));
    if (tokens.length === 1) return undefined;
    return new Parser(tokens).parseWhole();
  } catch (error) {
    if (error instanceof SyntaxFailure) return undefined;
    throw error;
  }
}
