// Attributes every synthetic DICOM image carries (patient, study, series, instance, equipment).
// Dates are fixed per study so that files never depend on the day they were generated.

export const SOP_CLASS = {
  digitalXRayPresentation: '1.2.840.10008.5.1.4.1.1.1.1',
  digitalMammographyPresentation: '1.2.840.10008.5.1.4.1.1.1.2',
  ct: '1.2.840.10008.5.1.4.1.1.2',
} as const;

export interface StudyIdentity {
  readonly patientId: string;
  readonly patientName: string;
  readonly patientSex: 'M' | 'F';
  readonly patientAge: number;
  readonly studyInstanceUid: string;
  readonly seriesInstanceUid: string;
  readonly sopInstanceUid: string;
  readonly studyDate: string;
  readonly accessionNumber: string;
}

export function imageAttributes(identity: StudyIdentity, sopClassUid: string, modality: string, extra: Record<string, string | number | number[] | string[]> = {}) {
  return {
    SpecificCharacterSet: 'ISO_IR 100',
    ImageType: ['ORIGINAL', 'PRIMARY'],
    SOPClassUID: sopClassUid,
    SOPInstanceUID: identity.sopInstanceUid,
    StudyDate: identity.studyDate,
    SeriesDate: identity.studyDate,
    ContentDate: identity.studyDate,
    StudyTime: '101500',
    ContentTime: '101523',
    AccessionNumber: identity.accessionNumber,
    Modality: modality,
    Manufacturer: 'QoQ Forge synthetic',
    InstitutionName: 'Synthetic General Hospital',
    ReferringPhysicianName: 'Doe^Jane',
    PatientName: identity.patientName,
    PatientID: identity.patientId,
    PatientBirthDate: '',
    PatientSex: identity.patientSex,
    PatientAge: `${String(identity.patientAge).padStart(3, '0')}Y`,
    StudyInstanceUID: identity.studyInstanceUid,
    SeriesInstanceUID: identity.seriesInstanceUid,
    StudyID: '1',
    SeriesNumber: '1',
    InstanceNumber: '1',
    ...extra,
  };
}

/** A DICOM DA value on a fixed synthetic calendar: day `n` after 2015-01-01. */
export function dicomDate(dayNumber: number): string {
  const date = new Date(Date.UTC(2015, 0, 1) + dayNumber * 86_400_000);
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

export function hexId(prng: { int(n: number): number }, length: number): string {
  let text = '';
  for (let index = 0; index < length; index += 1) text += '0123456789abcdef'[prng.int(16)];
  return text;
}
