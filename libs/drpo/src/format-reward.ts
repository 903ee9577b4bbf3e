// The graded format score (QoQ-Med §3 "format"): +0.2 a fence, +0.1 a ```json fence, +0.2 the block
// parses as JSON (+0.1 if only the lenient parse works, else stop), +0.1 it is a list, +0.4 × the share
// of items with a 4-number `bbox_2d` and a `label`. Built by accumulation in this order, so the float
// values are the code's own (0.30000000000000004, 0.7000000000000001).
import { isPyNumber, type PyValue } from './py-value';
import { parsePythonJson } from './python-json';
import { parsePythonLiteral } from './python-literal';
import { pythonSplitlines, pythonStrip } from './python-text';

/**
 * The released format check finds its block line by line: the lines after the first line that equals
 * "```json" or strips to "```", up to the next such line (or the end). No such line: the whole text.
 * Unlike the IoU's regex, an inline or indented ```json is missed (json-021…024).
 */
export function formatBlock(text: string): string {
  const lines = pythonSplitlines(text);
  const isFence = (line: string): boolean => line === '```json' || pythonStrip(line) === '```';
  const start = lines.findIndex(isFence);
  if (start < 0) return text;
  const block: string[] = [];
  for (let i = start + 1; i < lines.length && !isFence(lines[i]); i++) block.push(lines[i]);
  return block.join('\n');
}

/** The lenient parse of the code: every ' replaced by ", then ast.literal_eval. */
export function lenientParse(text: string): PyValue | undefined {
  return parsePythonLiteral(text.split("'").join('"'));
}

function isValidObject(item: PyValue): boolean {
  if (item.kind !== 'dict' || !item.entries.has('label')) return false;
  const box = item.entries.get('bbox_2d');
  return box !== undefined && box.kind === 'list' && box.items.length === 4 && box.items.every(isPyNumber);
}

export function formatReward(text: string): number {
  let score = 0;
  if (text.includes('```')) score += 0.2;
  if (text.includes('```json')) score += 0.1;
  const block = formatBlock(text);
  // Every failure of json.loads here falls through to the lenient parse (the format check catches all),
  // so deep nesting or huge integers cost points but never raise.
  const strict = parsePythonJson(block);
  let parsed: PyValue;
  if (strict.ok) {
    parsed = strict.value;
    score += 0.2;
  } else {
    const lenient = lenientParse(block);
    if (lenient === undefined) return score;
    parsed = lenient;
    score += 0.1;
  }
  if (parsed.kind !== 'list') return score;
  score += 0.1;
  if (parsed.items.length > 0) {
    const valid = parsed.items.filter(isValidObject).length;
    score += (0.4 * valid) / parsed.items.length;
  }
  return score;
}
