// @qoq/reports: free-text reports (MIMIC-CXR .txt, CSV report columns) read, split into sections and
// scrubbed of PHI into typed placeholders (issue 5).
export { readMimicReport, decodeReportText, type MimicReport } from './mimic-report';
export { splitSections, type ReportSection } from './report-sections';
export { scrubPhi, type ScrubMode, type ScrubOptions, type ScrubbedReport } from './scrub-phi';
export { PHI_TYPES, PLACEHOLDERS, type PhiSpan, type PhiType } from './phi-types';
export { dateShiftDays, DATE_SHIFT_PURPOSE } from './date-shift-offset';
export {
  evaluateScrubber,
  truthType,
  type Scrubber,
  type ScrubberCase,
  type ScrubberEvaluation,
  type TruthSpan,
  type TypeScore,
} from './scrubber-evaluation';
export { csvRecords, csvReportColumn, type CsvReport } from './csv-records';
export type { ReportError, ReportErrorCode } from './report-error';
export { REPORTS_PROVENANCE_COLUMNS, REPORTS_TABLE_COLUMNS, REPORT_KEY_PURPOSE, runReportsStage, type PatientKeyOf, type ReportsStageIo } from './reports-stage';
export { REPORTS_STAGE_OPTIONS, REPORTS_STAGE_USAGE } from './reports-stage-options';
