// Python string semantics that the released reward code depends on (../shared/golden/README.md):
// str.strip(), str.splitlines() and len() in code points differ from their JavaScript look-alikes.

/** Code points for which Python's str.isspace() is true, i.e. what str.strip() removes. */
const PYTHON_WHITESPACE = new Set<number>([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

export function isPythonWhitespace(codeUnit: number): boolean {
  return PYTHON_WHITESPACE.has(codeUnit);
}

/** Python `str.strip()` with no argument: unlike String.prototype.trim it removes U+0085 and U+001C–U+001F and keeps U+FEFF. */
export function pythonStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PYTHON_WHITESPACE.has(text.charCodeAt(start))) start++;
  while (end > start && PYTHON_WHITESPACE.has(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

/** Line boundaries of Python `str.splitlines()`; `\r\n` counts as one. */
const LINE_BREAKS = new Set<number>([0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029]);

/** Python `str.splitlines()` (keepends=False): no empty last element after a final line break. */
export function pythonSplitlines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (LINE_BREAKS.has(c)) {
      lines.push(text.slice(start, i));
      i += c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      start = i;
    } else {
      i++;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Python `len()` of a str: code points, so an astral emoji counts once (two UTF-16 units in JS). */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point; lone surrogates count alone, as in Python.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    length++;
  }
  return length;
}
