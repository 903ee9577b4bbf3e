// The two answer parsers of the released code (QoQ-Med §3 and §4; ../shared/golden/README.md).
import { pythonStrip } from './python-text';

/** What the training extractor (mathruler's extract_boxed_content) returns when there is no answer. */
export const NO_ANSWER = 'None';

/**
 * Training-time extraction: the LAST `\boxed{`, brace-matched to its closing `}`, stripped; the string
 * "None" when there is no `\boxed{` or it is never closed (mathruler behaviour, box-021, box-023).
 */
export function extractLastBoxed(text: string): string {
  const start = text.lastIndexOf('\\boxed{');
  if (start < 0) return NO_ANSWER;
  let depth = 1;
  const contentStart = start + '\\boxed{'.length;
  for (let i = contentStart; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return pythonStrip(text.slice(contentStart, i));
    }
  }
  return NO_ANSWER;
}

/**
 * Evaluation-time extraction (evaluation.py): the FIRST `\boxed{…}` by the regex `\\boxed{([^}]*)}`
 * (no nesting), else the first `[…]` on one line (`\[(.*?)\]`, `.` not crossing `\n`), else the whole text.
 * Nothing is stripped here.
 */
export function extractEvaluationAnswer(text: string): string {
  const boxed = /\\boxed\{([^}]*)\}/.exec(text);
  if (boxed) return boxed[1];
  // Python's `.` excludes only '\n' (JavaScript's also excludes '\r', U+2028, U+2029).
  const bracketed = /\[([^\n]*?)\]/.exec(text);
  if (bracketed) return bracketed[1];
  return text;
}

/** Label separators, in the order the code tries them: the first one present splits the whole string. */
export const LABEL_SEPARATORS = [', ', ' and ', ' & ', ',', '&'] as const;

/**
 * parse_conditions: delete every `\boxed{` and every `}`, split on the first separator present, strip
 * each piece (Python str.strip), and make a set. Empty pieces stay (a trailing separator adds '').
 */
export function parseConditions(text: string): Set<string> {
  const cleaned = text.split('\\boxed{').join('').split('}').join('');
  const separator = LABEL_SEPARATORS.find((candidate) => cleaned.includes(candidate));
  const pieces = separator === undefined ? [cleaned] : cleaned.split(separator);
  return new Set(pieces.map(pythonStrip));
}
