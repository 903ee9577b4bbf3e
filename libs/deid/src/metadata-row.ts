// The de-identified columns the pipeline takes from an image (design.md "Words": `dicom_modality` is
// the DICOM Modality, apart from the `modality` folder): read from the de-identified tree only, plus the
// salted keys, so nothing here can carry a value de-identification removed.
import type { DateMode } from './deidentify';
import { findElement, firstNumber, firstText, textValues, type DataSetTree } from './element-tree';
import { DEIDENTIFICATION_METHOD, DEIDENTIFICATION_METHOD_CODE_SEQUENCE } from './method-elements';
import { retainAge } from './patient-age';
import { isoDate } from './temporal-values';

export interface DeidKeys {
  readonly patientKey: string;
  readonly studyKey: string | null;
  readonly seriesKey: string | null;
}

export interface MetadataRow {
  readonly dicom_modality: string | null;
  readonly sop_class_uid: string | null;
  readonly rows: number | null;
  readonly columns: number | null;
  readonly photometric_interpretation: string | null;
  /** Row spacing, column spacing in mm: Pixel Spacing, else Imager Pixel Spacing (at the detector). */
  readonly pixel_spacing_mm: readonly [number, number] | null;
  readonly view_position: string | null;
  readonly laterality: string | null;
  readonly body_part_examined: string | null;
  readonly patient_key: string;
  readonly study_key: string | null;
  readonly series_key: string | null;
  /** ISO 8601; the shifted Study Date, or null when dates are dropped. */
  readonly study_date: string | null;
  /** Whole years as text, or "90+" (the data set says "090Y"); null when not retained. */
  readonly patient_age: string | null;
  readonly patient_sex: string | null;
  readonly date_mode: DateMode;
  readonly patient_identity_removed: 'YES';
  readonly deidentification_method: string;
  /** `DCM:113100` … (PS3.16 CID 7050). */
  readonly deidentification_method_codes: readonly string[];
}

export function metadataRow(elements: DataSetTree, keys: DeidKeys, dateMode: DateMode): MetadataRow {
  const spacing = numbers(elements, '00280030');
  const imagerSpacing = numbers(elements, '00181164');
  const pixelSpacing = spacing.length >= 2 ? spacing : imagerSpacing;
  const studyDate = firstText(elements, '00080020');
  const age = firstText(elements, '00101010');
  const methodCodes = findElement(elements, DEIDENTIFICATION_METHOD_CODE_SEQUENCE);
  return {
    dicom_modality: firstText(elements, '00080060') ?? null,
    sop_class_uid: firstText(elements, '00080016') ?? firstText(elements, '00020002') ?? null,
    rows: firstNumber(elements, '00280010') ?? null,
    columns: firstNumber(elements, '00280011') ?? null,
    photometric_interpretation: firstText(elements, '00280004') ?? null,
    pixel_spacing_mm: pixelSpacing.length >= 2 ? [pixelSpacing[0] ?? 0, pixelSpacing[1] ?? 0] : null,
    view_position: firstText(elements, '00185101') ?? null,
    laterality: firstText(elements, '00200062') ?? firstText(elements, '00200060') ?? null,
    body_part_examined: firstText(elements, '00180015') ?? null,
    patient_key: keys.patientKey,
    study_key: keys.studyKey,
    series_key: keys.seriesKey,
    study_date: dateMode === 'shift' && studyDate !== undefined ? (isoDate(studyDate) ?? null) : null,
    patient_age: age === undefined ? null : (retainAge(age)?.label ?? null),
    patient_sex: firstText(elements, '00100040') ?? null,
    date_mode: dateMode,
    patient_identity_removed: 'YES',
    deidentification_method: textValues(elements, DEIDENTIFICATION_METHOD).join('; '),
    deidentification_method_codes:
      methodCodes?.value.kind === 'items'
        ? methodCodes.value.items.map((item) => `${firstText(item, '00080102') ?? ''}:${firstText(item, '00080100') ?? ''}`)
        : [],
  };
}

function numbers(elements: DataSetTree, tag: string): number[] {
  return textValues(elements, tag)
    .map(Number)
    .filter((value) => Number.isFinite(value) && value > 0);
}
