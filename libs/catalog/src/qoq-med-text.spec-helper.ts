// Test-only: text quoted by ../shared/qoq-med.md, extracted at test time so that the catalog is compared with
// the paper's facts as the shared docs state them, not with a copy of them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const QOQ_MED_MD = fileURLToPath(new URL('../../../../shared/qoq-med.md', import.meta.url));

/** The inline code span (single backticks; runs of ``` inside do not close it) that follows `marker`. */
export function codeSpanAfter(markdown: string, marker: string): string {
  const markerAt = markdown.indexOf(marker);
  if (markerAt < 0) throw new Error(`qoq-med.md no longer contains ${JSON.stringify(marker)}`);
  const open = markdown.indexOf('`', markerAt + marker.length);
  let index = open + 1;
  for (;;) {
    const tick = markdown.indexOf('`', index);
    if (tick < 0) throw new Error('unclosed code span');
    let run = 1;
    while (markdown[tick + run] === '`') run += 1;
    if (run === 1) return markdown.slice(open + 1, tick);
    index = tick + run;
  }
}

/** Markdown soft line breaks (newline + indentation) read as one space; the literal "\n" is a newline. */
export function unwrapQuoted(text: string): string {
  return text.replace(/\n[ \t]*/g, ' ').replace(/\\n/g, '\n');
}

export function readQoqMed(): string {
  return readFileSync(QOQ_MED_MD, 'utf8');
}

/** The format suffix as qoq-med.md §1 quotes it. */
export function formatSuffixFromPaper(): string {
  return unwrapQuoted(codeSpanAfter(readQoqMed(), 'the released model was trained on it):'));
}

/** The example prompt of qoq-med.md §1, up to (without) its trailing "…". */
export function chestXrayExampleFromPaper(): string {
  const example = unwrapQuoted(codeSpanAfter(readQoqMed(), 'Prompt = modality cue + task + the list of allowed labels, e.g.'));
  if (!example.endsWith('…')) throw new Error('the example prompt no longer ends with "…"');
  return example.slice(0, -1);
}

/** A parenthesised, comma-separated list after `marker` in §1 (e.g. the 14 CheXpert labels). */
export function listAfter(marker: string): string[] {
  const markdown = readQoqMed();
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`qoq-med.md no longer contains ${JSON.stringify(marker)}`);
  const open = markdown.indexOf('(', at);
  const close = markdown.indexOf(')', open);
  return unwrapQuoted(markdown.slice(open + 1, close)).split(', ').map((item) => item.trim());
}
