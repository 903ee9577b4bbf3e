// What was done, as PS3.15 §E.1.1 asks: Patient Identity Removed (0012,0062) = YES, the text
// De-identification Method (0012,0063) and the coded De-identification Method Code Sequence (0012,0064)
// with codes of PS3.16 CID 7050 "De-identification Method" (scheme DCM).

export interface MethodCode {
  readonly value: string;
  readonly meaning: string;
}

export const METHOD_CODES = {
  basicProfile: { value: '113100', meaning: 'Basic Application Confidentiality Profile' },
  cleanDescriptors: { value: '113105', meaning: 'Clean Descriptors Option' },
  modifiedDates: { value: '113107', meaning: 'Retain Longitudinal Temporal Information Modified Dates Option' },
  patientCharacteristics: { value: '113108', meaning: 'Retain Patient Characteristics Option' },
  safePrivate: { value: '113111', meaning: 'Retain Safe Private Option' },
} as const satisfies Record<string, MethodCode>;

export const CODING_SCHEME = 'DCM';
