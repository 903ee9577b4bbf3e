// The de-identification step of ingest:dicom (issue 5), run in the worker before any pixel is decoded:
// the header goes through @qoq/deid (Basic Profile as data, private attributes removed, anything not on
// the keep-list removed, UIDs remapped, salted keys, dates shifted by the patient's offset or dropped),
// and the header columns of dicom.parquet are read from the de-identified data set only. The audit of
// what was done goes to provenance.parquet, the data owner's side (design.md "Provenance is kept apart").
import type { DicomDataset } from '@qoq/dicom';
import {
  deidentify,
  fromDicomDataset,
  isDeidError,
  summarizeAudit,
  type BurnedInPolicy,
  type DateMode,
  type DeidAuditSummary,
  type MetadataRow,
  type ProfileTables,
} from '@qoq/deid';
import type { Salt } from '@qoq/runtime';

/** How the stage de-identifies, the same for every file of a run. */
export interface DicomDeidSettings {
  readonly dateMode: DateMode;
  readonly burnedIn: BurnedInPolicy;
}

/** What provenance.parquet records of one file's de-identification (names and counts, never values). */
export interface DicomDeidProvenance {
  readonly patientKey: string;
  readonly audit: DeidAuditSummary;
  /** Why the header suggests burned-in text, for an image the policy let through; null when nothing does. */
  readonly burnedInRisk: string | null;
  readonly methodCodes: readonly string[];
}

export type DicomDeidOutcome =
  | { readonly kind: 'deidentified'; readonly metadata: MetadataRow; readonly provenance: DicomDeidProvenance }
  | { readonly kind: 'rejected'; readonly code: 'DICOM_BURNED_IN'; readonly message: string };

/**
 * MIMIC-CXR keeps images under files/pNN/p<subject>/s<study>/, and ingest:reports keys the study's report
 * by the same subject folder (libs/reports, reports-stage-discovery.ts): passing it as the patient
 * identity gives the images the report's patient key, and so the same date offset. Elsewhere the header's
 * Patient ID (else the study) identifies the patient.
 */
const MIMIC_IMAGE = /(?:^|\/)files\/p\d+\/(p\d+)\/s\d+\/[^/]+$/;

export function patientIdentityOfPath(path: string): string | undefined {
  return MIMIC_IMAGE.exec(path)?.[1];
}

/** `tables`: the Basic Profile tables when the caller has them (a worker gets them from its parent). */
export function deidentifyDicomHeader(dataset: DicomDataset, path: string, salt: Salt, settings: DicomDeidSettings, tables?: ProfileTables): DicomDeidOutcome {
  let result;
  try {
    result = deidentify(fromDicomDataset(dataset), {
      tables,
      salt,
      dateMode: settings.dateMode,
      burnedIn: settings.burnedIn,
      patientIdentity: patientIdentityOfPath(path),
      path,
    });
  } catch (error) {
    if (isDeidError(error) && error.code === 'DEID_BURNED_IN') return { kind: 'rejected', code: 'DICOM_BURNED_IN', message: error.message };
    throw error;
  }
  return {
    kind: 'deidentified',
    metadata: result.metadata,
    provenance: {
      patientKey: result.keys.patientKey,
      audit: summarizeAudit(result.audit),
      burnedInRisk: result.burnedInRisk?.reason ?? null,
      methodCodes: result.metadata.deidentification_method_codes,
    },
  };
}
