import { describe, expect, it } from 'vitest';
import { codePointLength, pythonSplitlines, pythonStrip } from './python-text';

describe('Python str semantics', () => {
  it('strips what str.strip() strips: NBSP, U+3000, U+0085, U+001C–U+001F', () => {
    expect(pythonStrip('\u00a0\u3000\u0085\u001c\u001f Pneumonia \t\n')).toBe('Pneumonia');
  });
  it('keeps U+FEFF and U+200B, which String.prototype.trim treats differently or not at all', () => {
    expect(pythonStrip('\ufeffPneumonia\u200b')).toBe('\ufeffPneumonia\u200b');
    expect('\ufeffx'.trim()).toBe('x'); // the JavaScript behaviour we must not use
  });
  it('splits lines on every boundary of str.splitlines(), \\r\\n as one', () => {
    expect(pythonSplitlines('a\r\nb\rc\vd\fe\u001cf\u0085g\u2028h\u2029i\n')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
  });
  it('gives no trailing empty line, but keeps inner empty ones', () => {
    expect(pythonSplitlines('a\n\nb\n')).toEqual(['a', '', 'b']);
    expect(pythonSplitlines('')).toEqual([]);
  });
  it('counts code points, so an astral emoji is one character', () => {
    expect(codePointLength('a\u{1fac1}b')).toBe(3);
    expect('a\u{1fac1}b'.length).toBe(4);
    expect(codePointLength('\ud800x')).toBe(2); // a lone surrogate counts alone
  });
});
