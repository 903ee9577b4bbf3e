// One report scrubbed into its reports.parquet columns: the full scrubbed text, the six sections the
// issue names as columns of their own, every section (in order) as parallel lists, and how many
// identifiers of each kind were scrubbed. Sections are split from the SCRUBBED text, so no section can
// hold what scrubbing removed.
import type { ColumnSpec } from '@qoq/dataset-io';
import { PHI_TYPES, type PhiType } from './phi-types';
import { splitSections } from './report-sections';
import { scrubPhi, type ScrubMode } from './scrub-phi';
import type { ScrubbedReportRow } from './reports-stage-types';

/** The sections issue 5 names; each gets a column (null when the report has none). */
export const REPORT_SECTION_COLUMNS = ['EXAMINATION', 'INDICATION', 'TECHNIQUE', 'COMPARISON', 'FINDINGS', 'IMPRESSION'] as const;

/** `phi_name`, `phi_date`, …: scrubbed identifiers per kind (dates count whether shifted or replaced). */
export function phiCountColumn(type: PhiType): string {
  return `phi_${type.toLowerCase()}`;
}

export const SCRUBBED_REPORT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'text', type: 'string', nullable: false },
  ...REPORT_SECTION_COLUMNS.map((name): ColumnSpec => ({ name: name.toLowerCase(), type: 'string', nullable: true })),
  { name: 'section_names', type: 'list<string>', nullable: false },
  { name: 'section_texts', type: 'list<string>', nullable: false },
  ...PHI_TYPES.map((type): ColumnSpec => ({ name: phiCountColumn(type), type: 'int32', nullable: false })),
];

export function scrubbedReportRow(text: string, mode: ScrubMode, dateShiftDays: number): ScrubbedReportRow {
  const scrubbed = scrubPhi(text, mode === 'shift-dates' ? { mode, dateShiftDays } : { mode });
  const sections = splitSections(scrubbed.text);
  const row: ScrubbedReportRow = {
    text: scrubbed.text,
    section_names: sections.map((section) => section.name),
    section_texts: sections.map((section) => section.text),
  };
  // A section written twice (two IMPRESSIONs, an addendum's FINDINGS) is joined with a blank line.
  for (const name of REPORT_SECTION_COLUMNS) {
    const bodies = sections.filter((section) => section.name === name).map((section) => section.text);
    row[name.toLowerCase()] = bodies.length === 0 ? null : bodies.join('\n\n');
  }
  for (const type of PHI_TYPES) row[phiCountColumn(type)] = scrubbed.spans.filter((span) => span.type === type).length;
  return row;
}
