// @qoq/deid: PS3.15 Annex E Basic Application Level Confidentiality Profile over a parsed DICOM data set,
// with the attribute table as data (data-specs/deid), salted keys, dates dropped or shifted, an audit.
export { deidentify, type DateMode, type DeidOptions, type DeidResult, type DeidAudit, type AuditEntry, type AuditAction, type AuditRule } from './deidentify';
export { AUDIT_ACTIONS, summarizeAudit, type DeidAuditSummary } from './audit-summary';
export { screenBurnedIn, BURNED_IN_PRONE_SOP_CLASSES, type BurnedInPolicy, type BurnedInReason, type BurnedInRisk } from './burned-in';
export { fromDicomDataset } from './from-dicom-dataset';
export type { DataSetTree, DicomElement, ElementValue, Tag } from './element-tree';
export {
  loadProfileTables,
  profileTablesFrom,
  readProfileTableFiles,
  type KeepEntry,
  type ProfileAction,
  type ProfileAttribute,
  type ProfileTableFiles,
  type ProfileTables,
} from './profile-table';
export { metadataRow, type MetadataRow, type DeidKeys } from './metadata-row';
export { remapUid } from './uid-remap';
export { patientKey } from './identity-keys';
export { METHOD_CODES, type MethodCode } from './method-codes';
export type { SafePrivateAttribute } from './private-attributes';
export { isDeidError, type DeidError, type DeidErrorCode } from './deid-error';
// Leak tests and tools/bench/deid: headers with identifying values in many places, and what must survive.
export {
  seededDicomHeader,
  SEEDED_IDENTIFIER_TYPES,
  SEEDED_PLACEMENTS,
  type SeededDicomHeader,
  type SeededHeaderOptions,
  type SeededIdentifier,
  type SeededIdentifierType,
  type SeededKeptValue,
  type SeededPlacement,
} from './seeded-dicom-header';
// Issue 5's canary: a marker in every attribute of the Annex E table, for the stage-level leak test.
export { buildCanary, JAPANESE_NAME_PARTS, type Canary, type CanaryCharset } from './canary-dicom';
