// The attributes that record de-identification (PS3.15 §E.1.1 items 3 and 4; PS3.3 C.12.1 SOP Common):
// Patient Identity Removed, De-identification Method and its Code Sequence (CID 7050), and Longitudinal
// Temporal Information Modified (PS3.3 C.12.1.1.7: MODIFIED when dates were shifted, REMOVED when dropped).
import type { DateMode } from './deidentify';
import type { DicomElement } from './element-tree';
import { CODING_SCHEME, type MethodCode } from './method-codes';

export const PATIENT_IDENTITY_REMOVED = '00120062';
export const DEIDENTIFICATION_METHOD = '00120063';
export const DEIDENTIFICATION_METHOD_CODE_SEQUENCE = '00120064';
export const LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED = '00280303';

export const METHOD_ELEMENT_NAMES: ReadonlyMap<string, string> = new Map([
  [PATIENT_IDENTITY_REMOVED, 'PatientIdentityRemoved'],
  [DEIDENTIFICATION_METHOD, 'DeidentificationMethod'],
  [DEIDENTIFICATION_METHOD_CODE_SEQUENCE, 'DeidentificationMethodCodeSequence'],
  [LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED, 'LongitudinalTemporalInformationModified'],
]);

export function methodElements(codes: readonly MethodCode[], dateMode: DateMode): DicomElement[] {
  return [
    { tag: PATIENT_IDENTITY_REMOVED, vr: 'CS', value: { kind: 'text', values: ['YES'] } },
    { tag: DEIDENTIFICATION_METHOD, vr: 'LO', value: { kind: 'text', values: methodValues(codes) } },
    {
      tag: DEIDENTIFICATION_METHOD_CODE_SEQUENCE,
      vr: 'SQ',
      value: {
        kind: 'items',
        items: codes.map((code) => [
          { tag: '00080100', vr: 'SH', value: { kind: 'text', values: [code.value] } },
          { tag: '00080102', vr: 'SH', value: { kind: 'text', values: [CODING_SCHEME] } },
          { tag: '00080104', vr: 'LO', value: { kind: 'text', values: [code.meaning] } },
        ]),
      },
    },
    {
      tag: LONGITUDINAL_TEMPORAL_INFORMATION_MODIFIED,
      vr: 'CS',
      value: { kind: 'text', values: [dateMode === 'shift' ? 'MODIFIED' : 'REMOVED'] },
    },
  ];
}

/** De-identification Method: one LO value (at most 64 characters, PS3.5 §6.2) per profile and option applied. */
function methodValues(codes: readonly MethodCode[]): string[] {
  return ['DICOM PS3.15 Annex E (QoQ Forge deid)', ...codes.map((code) => code.meaning.slice(0, 64))];
}
