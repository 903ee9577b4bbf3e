// Report sections as MIMIC-CXR and most US radiology reports write them: an upper-case heading with a
// colon ("FINDINGS:"), sometimes alone on its line ("FINAL REPORT"), sometimes mid-line after the
// previous section ("… stable. IMPRESSION: …"), in any case and spacing. The headings and their
// canonical names are data (./data/section-headings.json). Text before the first heading is the
// preamble; a report with no heading at all is one preamble.
import sectionHeadings from './data/section-headings.json';

export interface ReportSection {
  /** Canonical name (FINDINGS, IMPRESSION, …) or PREAMBLE for text before any heading. */
  readonly name: string;
  /** The heading as written, without the colon ('' for the preamble). */
  readonly heading: string;
  /** Offset of the heading (the body for the preamble) in the report. */
  readonly headingStart: number;
  /** [start, end) of the body, from after the heading's colon to the next heading. */
  readonly start: number;
  readonly end: number;
  /** The body with surrounding whitespace trimmed and inner line breaks kept. */
  readonly text: string;
}

const HEADINGS: Readonly<Record<string, string>> = sectionHeadings.headings;
// Longest first, so that "CLINICAL HISTORY" wins over "HISTORY".
const VARIANTS = Object.keys(HEADINGS).sort((a, b) => b.length - a.length);
const flexible = (heading: string) => heading.split(' ').join('[ \\t]+');
const ANY_CASE = VARIANTS.map(flexible).join('|');
const WRITTEN_CASE = VARIANTS.flatMap((h) => [h, titleCase(h)]).map(flexible).join('|');

// At a line start: a heading followed by a colon, or alone on its line.
const LINE_HEADING = new RegExp(String.raw`(?<=^|\n)[ \t]*(?<heading>${ANY_CASE})[ \t]*(?::|(?=[ \t]*(?:\r?\n|$)))`, 'gi');
// Mid-line: an upper-case heading with a colon, or a title-case one after a sentence end.
const INLINE_UPPER = new RegExp(String.raw`(?<=[ \t])(?<heading>${VARIANTS.map(flexible).join('|')})[ \t]*:`, 'g');
const INLINE_TITLE = new RegExp(String.raw`(?<=[.;!?][ \t]+)(?<heading>${WRITTEN_CASE})[ \t]*:`, 'g');

function titleCase(heading: string): string {
  return heading.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase());
}

interface HeadingMatch {
  readonly headingStart: number;
  readonly heading: string;
  readonly bodyStart: number;
}

export function splitSections(text: string): ReportSection[] {
  const matches: HeadingMatch[] = [];
  for (const pattern of [LINE_HEADING, INLINE_UPPER, INLINE_TITLE]) {
    for (const m of text.matchAll(pattern)) {
      const heading = m.groups?.heading ?? '';
      const headingStart = m.index + m[0].indexOf(heading);
      if (matches.some((h) => headingStart < h.bodyStart && h.headingStart < m.index + m[0].length)) continue;
      matches.push({ headingStart, heading, bodyStart: m.index + m[0].length });
    }
  }
  matches.sort((a, b) => a.headingStart - b.headingStart);

  const sections: ReportSection[] = [];
  const firstHeading = matches.length > 0 ? matches[0].headingStart : text.length;
  if (text.slice(0, firstHeading).trim() !== '') sections.push(section('PREAMBLE', '', 0, 0, firstHeading, text));
  matches.forEach((h, i) => {
    const end = i + 1 < matches.length ? matches[i + 1].headingStart : text.length;
    const canonical = HEADINGS[h.heading.toUpperCase().replace(/[ \t]+/g, ' ')] ?? h.heading.toUpperCase();
    sections.push(section(canonical, h.heading, h.headingStart, h.bodyStart, end, text));
  });
  return sections;
}

function section(name: string, heading: string, headingStart: number, start: number, end: number, text: string): ReportSection {
  return { name, heading, headingStart, start, end, text: text.slice(start, end).trim() };
}
