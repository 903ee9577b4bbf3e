// Parsers for the Python literals some CSVs hold (written by pandas from Python objects): PTB-XL's
// `scp_codes` dict `{'NORM': 100.0, 'SR': 0.0}` and VinDr-Mammo's `finding_categories` list
// `['Mass', 'Suspicious Calcification']`. A real tokenizer, never eval: single or double quotes,
// backslash escapes, any spacing, trailing commas, ints/floats/None/True/False as values.

export type PythonScalar = string | number | boolean | null;

export class PythonLiteralError extends Error {
  readonly code = 'ADAPTER_BAD_PYTHON_LITERAL';
}

class Scanner {
  index = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.index < this.text.length && /\s/.test(this.text[this.index])) this.index++;
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.index] ?? '';
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected "${char}"`);
    this.index++;
  }

  fail(what: string): never {
    throw new PythonLiteralError(`${what} at character ${this.index} of ${JSON.stringify(this.text)}`);
  }

  string(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail('expected a quoted string');
    this.index++;
    let value = '';
    for (;;) {
      const char = this.text[this.index++];
      if (char === undefined) this.fail('unterminated string');
      if (char === quote) return value;
      if (char === '\\') {
        const escaped = this.text[this.index++];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"' };
        if (escaped === undefined) this.fail('unterminated escape');
        value += simple[escaped] ?? `\\${escaped}`;
      } else value += char;
    }
  }

  scalar(): PythonScalar {
    const next = this.peek();
    if (next === "'" || next === '"') return this.string();
    const match = /^(None|True|False|nan|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(this.text.slice(this.index));
    if (!match) this.fail('expected a value');
    this.index += match[0].length;
    if (match[0] === 'None') return null;
    if (match[0] === 'True') return true;
    if (match[0] === 'False') return false;
    return Number(match[0]);
  }

  end(): void {
    if (this.peek() !== '') this.fail('unexpected text after the literal');
  }
}

/** `{'NORM': 100.0, 'SR': 0.0}` → Map in source order; keys must be strings. */
export function parsePythonDict(text: string): Map<string, PythonScalar> {
  const scanner = new Scanner(text);
  const entries = new Map<string, PythonScalar>();
  scanner.expect('{');
  while (scanner.peek() !== '}') {
    const key = scanner.string();
    scanner.expect(':');
    entries.set(key, scanner.scalar());
    if (scanner.peek() === ',') scanner.index++;
    else if (scanner.peek() !== '}') scanner.fail('expected "," or "}"');
  }
  scanner.index++;
  scanner.end();
  return entries;
}

/** `['Mass', 'Suspicious Calcification']` → string[]; every element must be a string. */
export function parsePythonStringList(text: string): string[] {
  const scanner = new Scanner(text);
  const items: string[] = [];
  scanner.expect('[');
  while (scanner.peek() !== ']') {
    items.push(scanner.string());
    if (scanner.peek() === ',') scanner.index++;
    else if (scanner.peek() !== ']') scanner.fail('expected "," or "]"');
  }
  scanner.index++;
  scanner.end();
  return items;
}
