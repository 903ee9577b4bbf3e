// The options of `ingest:reports`, as text on the command line and as typed values for the stage.
import { parseChoice, type OptionSpecs, type ParsedOptions } from '@qoq/runtime';
import type { ScrubMode } from './scrub-phi';

export const REPORTS_STAGE_OPTIONS = {
  'date-mode': { type: 'string' },
} as const satisfies OptionSpecs;

export const REPORTS_STAGE_USAGE = `usage: nx run ingest:reports [options]
  --input=DIR --dataset=KEY | --sources=FILE   inputs (default: the sample's sources.json)
                            reads MIMIC-CXR reports (files/pNN/pSUBJECT/sSTUDY.txt), the report column
                            of PTB-XL's ptbxl_database.csv, and every .txt file of local/ folders
  --output=DIR              output folder (default data/sample/reports for the sample)
  --salt-file=FILE          secret salt for keys and date offsets (required for real data)
  --date-mode=shift|replace shift: every date of a patient moves by the patient's salted offset, the
                            same one the DICOM stage uses (default); replace: dates become [DATE]
  --workers=N --fail-on-reject`;

export type ReportsDateMode = 'shift' | 'replace';

export function reportsDateModeFrom(parsed: ParsedOptions<typeof REPORTS_STAGE_OPTIONS>): ReportsDateMode {
  const text = parsed['date-mode'];
  return text === undefined ? 'shift' : parseChoice('date-mode', text, ['shift', 'replace'] as const);
}

export function scrubModeOf(dateMode: ReportsDateMode): ScrubMode {
  return dateMode === 'shift' ? 'shift-dates' : 'placeholders';
}
