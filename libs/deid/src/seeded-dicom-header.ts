// Realistic DICOM headers with identifying values in many places, for leak tests and tools/bench/deid:
// the patient's and clinicians' names (all PN roles), IDs (Patient ID, Other Patient IDs Sequence,
// accession, request IDs), instance UIDs, dates, an age over 89, institution, addresses and phone
// numbers, names inside free-text comments, and private blocks (text, a private sequence, a UN
// element). Where each value sits (top level, a sequence item, a private block) is drawn from a seed,
// and the header carries the non-identifying attributes a pipeline needs (the keep-list), whose values
// must survive. Every identifying value is unique within its header, so a leak is attributable.
import { mulberry32 } from '@qoq/runtime';
import { latin1, uint16s, writePart10, type RawElement } from './part10-test-writer';

/** What kind of identifier a seeded value is (the rows of the benchmark's recall table). */
export const SEEDED_IDENTIFIER_TYPES = ['NAME', 'ID', 'UID', 'DATE', 'AGE', 'INSTITUTION', 'CONTACT', 'FREE_TEXT'] as const;
export type SeededIdentifierType = (typeof SEEDED_IDENTIFIER_TYPES)[number];

export const SEEDED_PLACEMENTS = ['top', 'sequence', 'private'] as const;
export type SeededPlacement = (typeof SEEDED_PLACEMENTS)[number];

export interface SeededIdentifier {
  readonly type: SeededIdentifierType;
  readonly placement: SeededPlacement;
  /** Keyword path of where it was written, e.g. `OtherPatientIDsSequence>PatientID`. */
  readonly attribute: string;
  /** Strings any of which, found in an output (case-insensitively), means the identifier leaked. */
  readonly probes: readonly string[];
}

export interface SeededKeptValue {
  readonly keyword: string;
  /** GGGGEEEE. */
  readonly tag: string;
  /** The value as DICOM text (multiple values joined by `\`), or the number of a binary element. */
  readonly value: string | number;
}

export interface SeededDicomHeader {
  readonly bytes: Uint8Array;
  readonly identifiers: readonly SeededIdentifier[];
  /** Non-identifying top-level values a de-identifier should keep unchanged. */
  readonly kept: readonly SeededKeptValue[];
  readonly patientId: string;
  /** YYYYMMDD of Study, Series, Acquisition and Content Date. */
  readonly studyDate: string;
}

export interface SeededHeaderOptions {
  /** Image size; the pixel data is a ramp (16 bits allocated, 12 stored). Default 8 × 8. */
  readonly rows?: number;
  readonly columns?: number;
  /** Instead of the drawn image kind's SOP class (e.g. a secondary capture). */
  readonly sopClassUid?: string;
  /** Image Type values instead of ORIGINAL\PRIMARY. */
  readonly imageType?: readonly string[];
  /** Burned In Annotation (0028,0301); absent by default. */
  readonly burnedInAnnotation?: 'YES' | 'NO';
}

const GIVEN = [
  'Beatriz', 'Ottilie', 'Grace', 'Ahmed', 'Dmitri', 'Fatima', 'Hiroshi', 'Ingrid', 'Joaquin', 'Katarzyna', 'Lucian', 'Matteo', 'Nadia',
  'Oluwaseun', 'Priya', 'Rafael', 'Svenja', 'Tatiana', 'Wilhelmina', 'Xavier', 'Yusuf', 'Zainab', 'Bartholomew', 'Cornelius',
  'Desmond', 'Evangeline', 'Florian', 'Gwendolyn', 'Horatio', 'Isadora',
];
const FAMILY = [
  'Okafor', 'Lindqvist', 'Fitzgerald', 'Mbeki', 'Nakamura', 'Castellano', 'Duchesne', 'Haraldsen', 'Kowalczyk', 'Abernathy',
  'Ferreira', 'Goldberg', 'Ivanova', 'Jablonski', 'Kuznetsov', 'Moreau', 'Oyelaran', 'Petrakis', 'Quintero', 'Rasmussen',
  'Santangelo', 'Takahashi', 'Underwood', 'Vasquez', 'Whitfield', 'Yamamoto', 'Zielinski', 'Brennan', 'Chowdhury', 'Delacroix',
  'Esposito', 'Gallagher', 'Hendricks', 'Ishikawa', 'Lombardi', 'Marchetti', 'Nieminen', 'Ostrowski', 'Pellegrini', 'Schreiber',
];
const TOWNS = ['Westbrook', 'Ashcombe', 'Brightwater', 'Cranford', 'Dunmore', 'Elmhurst', 'Fairhaven', 'Glenrock', 'Hollisford', 'Kingsmere'];
const STREETS = ['Marlowe', 'Juniper', 'Hawthorne', 'Larkspur', 'Sycamore', 'Wexford', 'Alderney', 'Bramble'];

/** SOP class, Modality, body part, view: a few common radiographic and cross-sectional images. */
const IMAGE_KINDS = [
  { sopClass: '1.2.840.10008.5.1.4.1.1.1.1', modality: 'DX', bodyPart: 'CHEST', view: 'PA' },
  { sopClass: '1.2.840.10008.5.1.4.1.1.1', modality: 'CR', bodyPart: 'CHEST', view: 'AP' },
  { sopClass: '1.2.840.10008.5.1.4.1.1.2', modality: 'CT', bodyPart: 'CHEST', view: '' },
  { sopClass: '1.2.840.10008.5.1.4.1.1.4', modality: 'MR', bodyPart: 'BRAIN', view: '' },
  { sopClass: '1.2.840.10008.5.1.4.1.1.1.2', modality: 'MG', bodyPart: 'BREAST', view: 'MLO' },
] as const;
const MANUFACTURERS = [
  ['SIEMENS', 'SOMATOM Force'],
  ['GE MEDICAL SYSTEMS', 'Revolution CT'],
  ['Philips', 'DigitalDiagnost'],
  ['FUJIFILM Corporation', 'FDR D-EVO II'],
] as const;

const DAY_MS = 86_400_000;

function yyyymmdd(time: number): string {
  const day = new Date(time);
  return `${day.getUTCFullYear()}${String(day.getUTCMonth() + 1).padStart(2, '0')}${String(day.getUTCDate()).padStart(2, '0')}`;
}

const isoOf = (date: string): string => `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;

/** One header; the same seed gives the same bytes. */
export function seededDicomHeader(seed: number, options: SeededHeaderOptions = {}): SeededDicomHeader {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const digits = (count: number): string => Array.from({ length: count }, (_, i) => String(Math.floor(random() * (i === 0 ? 9 : 10)) + (i === 0 ? 1 : 0))).join('');
  const maybe = (probability: number): boolean => random() < probability;
  // Names without repetition inside the header, so that each probe belongs to one identifier.
  const freeGiven = [...GIVEN];
  const freeFamily = [...FAMILY];
  const draw = (pool: string[]): string => pool.splice(Math.floor(random() * pool.length), 1)[0] as string;
  const person = () => ({ given: draw(freeGiven), family: draw(freeFamily) });

  const identifiers: SeededIdentifier[] = [];
  const elements: RawElement[] = [];
  const add = (element: RawElement, identifier?: Omit<SeededIdentifier, 'placement'> & { placement?: SeededPlacement }): void => {
    elements.push(element);
    if (identifier) identifiers.push({ placement: 'top', ...identifier });
  };
  const text = (tag: number, vr: string, value: string): RawElement => ({ tag, vr, bytes: latin1(value) });
  const uid = (): string => `1.2.826.0.1.3680043.10.${digits(4)}.${digits(6)}.${digits(8)}`;
  const personName = (p: { given: string; family: string }): { value: string; probes: string[] } => ({
    value: `${p.family}^${p.given}`,
    probes: [`${p.family}^${p.given}`, p.family, p.given],
  });
  const nameAt = (tag: number, attribute: string, placement: SeededPlacement = 'top'): { element: RawElement; identifier: SeededIdentifier } => {
    const name = personName(person());
    return { element: text(tag, 'PN', name.value), identifier: { type: 'NAME', placement, attribute, probes: name.probes } };
  };
  const addName = (tag: number, attribute: string): void => {
    const { element, identifier } = nameAt(tag, attribute);
    add(element, identifier);
  };

  const drawn = pick(IMAGE_KINDS);
  const kind = { ...drawn, sopClass: options.sopClassUid ?? drawn.sopClass };
  const [manufacturer, model] = pick(MANUFACTURERS);
  const rows = options.rows ?? 8;
  const columns = options.columns ?? 8;
  const studyTime = Date.UTC(2008, 0, 1) + Math.floor(random() * 5000) * DAY_MS;
  const studyDate = yyyymmdd(studyTime);
  const over89 = maybe(0.35);
  // 91 and over: 090Y, the capped form, must differ from the original.
  const ageYears = over89 ? 91 + Math.floor(random() * 12) : 18 + Math.floor(random() * 70);
  const birthDate = yyyymmdd(studyTime - (ageYears * 365.25 + Math.floor(random() * 300)) * DAY_MS);
  const patientId = `MRN${digits(7)}`;
  const sopInstanceUid = uid();
  const dateProbes = (date: string): string[] => [date, isoOf(date)];

  // Patient module and the patient's other identities.
  addName(0x00100010, 'PatientName');
  add(text(0x00100020, 'LO', patientId), { type: 'ID', attribute: 'PatientID', probes: [patientId] });
  const issuer = `${pick(TOWNS).slice(0, 4).toUpperCase()}${digits(3)}`;
  add(text(0x00100021, 'LO', issuer), { type: 'INSTITUTION', attribute: 'IssuerOfPatientID', probes: [issuer] });
  add(text(0x00100030, 'DA', birthDate), { type: 'DATE', attribute: 'PatientBirthDate', probes: dateProbes(birthDate) });
  const sex = pick(['F', 'M']);
  add(text(0x00100040, 'CS', sex));
  const age = `${String(ageYears).padStart(3, '0')}Y`;
  add(text(0x00101010, 'AS', age), over89 ? { type: 'AGE', attribute: 'PatientAge', probes: [age] } : undefined);
  if (maybe(0.6)) addName(0x00101001, 'OtherPatientNames');
  if (maybe(0.5)) addName(0x00101005, 'PatientBirthName');
  if (maybe(0.5)) addName(0x00101060, 'PatientMotherBirthName');
  if (maybe(0.7)) {
    const other = `${digits(3)}-${digits(2)}-${digits(4)}`;
    add(text(0x00101000, 'LO', other), { type: 'ID', attribute: 'OtherPatientIDs', probes: [other] });
  }
  {
    const otherId = `H${digits(8)}`;
    const otherIssuer = `CLINIC-${digits(5)}`;
    add({ tag: 0x00101002, vr: 'SQ', items: [[text(0x00100020, 'LO', otherId), text(0x00100021, 'LO', otherIssuer), text(0x00100022, 'CS', 'TEXT')]] });
    identifiers.push({ type: 'ID', placement: 'sequence', attribute: 'OtherPatientIDsSequence>PatientID', probes: [otherId] });
    identifiers.push({ type: 'INSTITUTION', placement: 'sequence', attribute: 'OtherPatientIDsSequence>IssuerOfPatientID', probes: [otherIssuer] });
  }
  const street = `${digits(3)} ${pick(STREETS)} Street`;
  const town = pick(TOWNS);
  if (maybe(0.7)) add(text(0x00101040, 'LO', `${street}^^${town}^MA^0${digits(4)}`), { type: 'CONTACT', attribute: 'PatientAddress', probes: [street] });
  const phone = `(${digits(3)}) 555-${digits(4)}`;
  if (maybe(0.7)) add(text(0x00102154, 'SH', phone), { type: 'CONTACT', attribute: 'PatientTelephoneNumbers', probes: [phone] });
  if (maybe(0.5)) {
    // Occupation is identifying in context; its probe is the employer's name.
    const employer = draw(freeFamily);
    add(text(0x00102180, 'SH', `${employer} Ltd`), { type: 'FREE_TEXT', attribute: 'Occupation', probes: [employer] });
  }

  // Study, series, equipment: clinicians, institution, IDs, UIDs, dates.
  addName(0x00080090, 'ReferringPhysicianName');
  if (maybe(0.6)) {
    const address = `${digits(4)} ${pick(STREETS)} Avenue`;
    add(text(0x00080092, 'ST', `${address}, ${town}`), { type: 'CONTACT', attribute: 'ReferringPhysicianAddress', probes: [address] });
  }
  if (maybe(0.6)) {
    const office = `${digits(3)}-555-${digits(4)}`;
    add(text(0x00080094, 'SH', office), { type: 'CONTACT', attribute: 'ReferringPhysicianTelephoneNumbers', probes: [office] });
  }
  if (maybe(0.7)) addName(0x00081050, 'PerformingPhysicianName');
  if (maybe(0.7)) addName(0x00081060, 'NameOfPhysiciansReadingStudy');
  if (maybe(0.7)) addName(0x00081070, 'OperatorsName');
  if (maybe(0.5)) addName(0x00081048, 'PhysiciansOfRecord');
  if (maybe(0.5)) addName(0x00321032, 'RequestingPhysician');
  const hospital = `${town} General Hospital`;
  add(text(0x00080080, 'LO', hospital), { type: 'INSTITUTION', attribute: 'InstitutionName', probes: [hospital] });
  if (maybe(0.7)) {
    const address = `${digits(2)} ${pick(STREETS)} Road`;
    add(text(0x00080081, 'ST', `${address}, ${town}, MA`), { type: 'CONTACT', attribute: 'InstitutionAddress', probes: [address] });
  }
  if (maybe(0.6)) {
    const wing = `${draw(freeFamily)} Imaging Pavilion`;
    add(text(0x00081040, 'LO', wing), { type: 'INSTITUTION', attribute: 'InstitutionalDepartmentName', probes: [wing] });
  }
  if (maybe(0.7)) {
    const station = `RAD${digits(3)}X${digits(2)}`;
    add(text(0x00081010, 'SH', station), { type: 'INSTITUTION', attribute: 'StationName', probes: [station] });
  }
  if (maybe(0.6)) {
    const serial = `SN${digits(7)}`;
    add(text(0x00181000, 'LO', serial), { type: 'ID', attribute: 'DeviceSerialNumber', probes: [serial] });
  }
  const accession = `A${digits(9)}`;
  add(text(0x00080050, 'SH', accession), { type: 'ID', attribute: 'AccessionNumber', probes: [accession] });
  const studyId = `S${digits(7)}`;
  add(text(0x00200010, 'SH', studyId), { type: 'ID', attribute: 'StudyID', probes: [studyId] });
  const studyUid = uid();
  const seriesUid = uid();
  add(text(0x0020000d, 'UI', studyUid), { type: 'UID', attribute: 'StudyInstanceUID', probes: [studyUid] });
  add(text(0x0020000e, 'UI', seriesUid), { type: 'UID', attribute: 'SeriesInstanceUID', probes: [seriesUid] });
  add(text(0x00080018, 'UI', sopInstanceUid), { type: 'UID', attribute: 'SOPInstanceUID', probes: [sopInstanceUid] });
  if (maybe(0.7)) {
    const frame = uid();
    add(text(0x00200052, 'UI', frame), { type: 'UID', attribute: 'FrameOfReferenceUID', probes: [frame] });
  }
  // One study day for every date of the study: a shift of it can never produce another of its dates.
  add(text(0x00080020, 'DA', studyDate), { type: 'DATE', attribute: 'StudyDate', probes: dateProbes(studyDate) });
  add(text(0x00080021, 'DA', studyDate), { type: 'DATE', attribute: 'SeriesDate', probes: dateProbes(studyDate) });
  if (maybe(0.7)) add(text(0x00080022, 'DA', studyDate), { type: 'DATE', attribute: 'AcquisitionDate', probes: dateProbes(studyDate) });
  add(text(0x00080023, 'DA', studyDate), { type: 'DATE', attribute: 'ContentDate', probes: dateProbes(studyDate) });
  if (maybe(0.6)) add(text(0x0008002a, 'DT', `${studyDate}101523.000000`), { type: 'DATE', attribute: 'AcquisitionDateTime', probes: dateProbes(studyDate) });
  add(text(0x00080030, 'TM', '101500'));
  if (maybe(0.5)) {
    const calibration = yyyymmdd(studyTime - (400 + Math.floor(random() * 300)) * DAY_MS);
    add(text(0x00181200, 'DA', calibration), { type: 'DATE', attribute: 'DateOfLastCalibration', probes: dateProbes(calibration) });
  }

  // Free text that names people: comments, history, descriptions (X in the Basic Profile, C with Clean Descriptors).
  const mention = () => person();
  {
    const relative = mention();
    add(text(0x00204000, 'LT', `Pt accompanied by daughter ${relative.given} ${relative.family}; prior films at outside hospital.`), {
      type: 'FREE_TEXT',
      attribute: 'ImageComments',
      probes: [relative.given, relative.family],
    });
  }
  if (maybe(0.6)) {
    const doctor = mention();
    add(text(0x001021b0, 'LT', `Cough for 3 weeks. Seen by Dr. ${doctor.family} at clinic.`), { type: 'FREE_TEXT', attribute: 'AdditionalPatientHistory', probes: [doctor.family] });
  }
  if (maybe(0.5)) {
    const contact = mention();
    add(text(0x00104000, 'LT', `Contact ${contact.given} ${contact.family} before results are released.`), {
      type: 'FREE_TEXT',
      attribute: 'PatientComments',
      probes: [contact.given, contact.family],
    });
  }
  if (maybe(0.6)) {
    const who = mention();
    add(text(0x00081030, 'LO', `CHEST PA LAT ${who.family}`), { type: 'FREE_TEXT', attribute: 'StudyDescription', probes: [who.family] });
  }
  if (maybe(0.5)) {
    const who = mention();
    add(text(0x0008103e, 'LO', `PA ${who.given} repeat`), { type: 'FREE_TEXT', attribute: 'SeriesDescription', probes: [who.given] });
  }

  // Sequences, some two levels deep.
  {
    const referenced = uid();
    add({ tag: 0x00081110, vr: 'SQ', items: [[text(0x00081150, 'UI', '1.2.840.10008.3.1.2.3.1'), text(0x00081155, 'UI', referenced)]] });
    identifiers.push({ type: 'UID', placement: 'sequence', attribute: 'ReferencedStudySequence>ReferencedSOPInstanceUID', probes: [referenced] });
  }
  {
    const referenced = uid();
    add({ tag: 0x00081140, vr: 'SQ', items: [[text(0x00081150, 'UI', kind.sopClass), text(0x00081155, 'UI', referenced)]] });
    identifiers.push({ type: 'UID', placement: 'sequence', attribute: 'ReferencedImageSequence>ReferencedSOPInstanceUID', probes: [referenced] });
  }
  {
    const requestId = `RQ${digits(7)}`;
    const stepId = `SPS${digits(6)}`;
    const innerAccession = `B${digits(9)}`;
    const innerStudy = uid();
    const requester = nameAt(0x00400006, 'RequestAttributesSequence>ScheduledPerformingPhysicianName', 'sequence');
    add({
      tag: 0x00400275,
      vr: 'SQ',
      items: [
        [
          text(0x00080050, 'SH', innerAccession),
          { tag: 0x00081110, vr: 'SQ', items: [[text(0x00081150, 'UI', '1.2.840.10008.3.1.2.3.1'), text(0x00081155, 'UI', innerStudy)]] },
          requester.element,
          text(0x00400009, 'SH', stepId),
          text(0x00401001, 'SH', requestId),
        ],
      ],
    });
    identifiers.push(
      { type: 'ID', placement: 'sequence', attribute: 'RequestAttributesSequence>AccessionNumber', probes: [innerAccession] },
      { type: 'UID', placement: 'sequence', attribute: 'RequestAttributesSequence>ReferencedStudySequence>ReferencedSOPInstanceUID', probes: [innerStudy] },
      requester.identifier,
      { type: 'ID', placement: 'sequence', attribute: 'RequestAttributesSequence>ScheduledProcedureStepID', probes: [stepId] },
      { type: 'ID', placement: 'sequence', attribute: 'RequestAttributesSequence>RequestedProcedureID', probes: [requestId] },
    );
  }
  if (maybe(0.6)) {
    const reader = mention();
    // A structured-report style content item: Content Sequence (D) keeps its items, Text Value is not known-safe.
    add({ tag: 0x0040a730, vr: 'SQ', items: [[text(0x0040a040, 'CS', 'TEXT'), text(0x0040a160, 'UT', `Read by ${reader.given} ${reader.family}`)]] });
    identifiers.push({ type: 'NAME', placement: 'sequence', attribute: 'ContentSequence>TextValue', probes: [reader.given, reader.family] });
  }

  // Private blocks: text, a person name, an ID, a private sequence holding a Patient Name, a UN element, a date.
  {
    const alias = person();
    const privateId = `PV${digits(8)}`;
    const inner = nameAt(0x00100010, '(0029,1020)>PatientName', 'private');
    const unknown = mention();
    const privateDate = studyDate;
    add(text(0x00290010, 'LO', 'ACME IMAGING 1.0'));
    add(text(0x00291008, 'LO', `${alias.given} ${alias.family}`), { type: 'NAME', placement: 'private', attribute: '(0029,1008)', probes: [alias.given, alias.family] });
    add(text(0x00291009, 'LO', privateId), { type: 'ID', placement: 'private', attribute: '(0029,1009)', probes: [privateId] });
    add({ tag: 0x00291020, vr: 'SQ', items: [[inner.element]] }, inner.identifier);
    add({ tag: 0x00291030, vr: 'UN', bytes: latin1(`${unknown.family}^${unknown.given}`) }, {
      type: 'NAME',
      placement: 'private',
      attribute: '(0029,1030)',
      probes: [unknown.family, unknown.given],
    });
    add(text(0x00090010, 'LO', 'GEMS_IDEN_01'));
    add(text(0x00091027, 'DA', privateDate), { type: 'DATE', placement: 'private', attribute: '(0009,1027)', probes: dateProbes(privateDate) });
  }

  // What a pipeline needs, none of it identifying: the keep-list's values, checked unchanged.
  const kept: SeededKeptValue[] = [];
  const keep = (tag: number, keyword: string, vr: string, value: string | number): void => {
    if (typeof value === 'number') elements.push({ tag, vr, bytes: uint16s([value]) });
    else elements.push(text(tag, vr, value));
    kept.push({ keyword, tag: tag.toString(16).toUpperCase().padStart(8, '0'), value });
  };
  keep(0x00080005, 'SpecificCharacterSet', 'CS', 'ISO_IR 100');
  keep(0x00080008, 'ImageType', 'CS', (options.imageType ?? ['ORIGINAL', 'PRIMARY']).join('\\'));
  keep(0x00080016, 'SOPClassUID', 'UI', kind.sopClass);
  keep(0x00080060, 'Modality', 'CS', kind.modality);
  keep(0x00080070, 'Manufacturer', 'LO', manufacturer);
  keep(0x00081090, 'ManufacturerModelName', 'LO', model);
  keep(0x00180015, 'BodyPartExamined', 'CS', kind.bodyPart);
  keep(0x00180060, 'KVP', 'DS', String(70 + Math.floor(random() * 60)));
  if (kind.modality === 'CT' || kind.modality === 'MR') keep(0x00180050, 'SliceThickness', 'DS', pick(['1.25', '2.5', '5']));
  if (kind.view !== '') keep(0x00185101, 'ViewPosition', 'CS', kind.view);
  keep(0x00200011, 'SeriesNumber', 'IS', String(1 + Math.floor(random() * 9)));
  keep(0x00200013, 'InstanceNumber', 'IS', String(1 + Math.floor(random() * 200)));
  if (kind.modality === 'MG') keep(0x00200062, 'ImageLaterality', 'CS', pick(['L', 'R']));
  if (!over89) kept.push({ keyword: 'PatientAge', tag: '00101010', value: age });
  kept.push({ keyword: 'PatientSex', tag: '00100040', value: sex });
  keep(0x00280002, 'SamplesPerPixel', 'US', 1);
  keep(0x00280004, 'PhotometricInterpretation', 'CS', 'MONOCHROME2');
  keep(0x00280010, 'Rows', 'US', rows);
  keep(0x00280011, 'Columns', 'US', columns);
  const spacing = pick(['0.139', '0.1', '0.7421875']);
  keep(0x00280030, 'PixelSpacing', 'DS', `${spacing}\\${spacing}`);
  keep(0x00280100, 'BitsAllocated', 'US', 16);
  keep(0x00280101, 'BitsStored', 'US', 12);
  keep(0x00280102, 'HighBit', 'US', 11);
  keep(0x00280103, 'PixelRepresentation', 'US', 0);
  if (options.burnedInAnnotation !== undefined) keep(0x00280301, 'BurnedInAnnotation', 'CS', options.burnedInAnnotation);
  keep(0x00281050, 'WindowCenter', 'DS', '2048');
  keep(0x00281051, 'WindowWidth', 'DS', '4096');
  keep(0x00281052, 'RescaleIntercept', 'DS', '0');
  keep(0x00281053, 'RescaleSlope', 'DS', '1');
  const pixels = Array.from({ length: rows * columns }, (_, i) => Math.round((4095 * i) / Math.max(1, rows * columns - 1)));
  elements.push({ tag: 0x7fe00010, vr: 'OW', bytes: uint16s(pixels) });

  return { bytes: writePart10({ sopClassUid: kind.sopClass, sopInstanceUid }, elements), identifiers, kept, patientId, studyDate };
}
