// The attributes the imaging pipeline reads, by PS3.6 keyword: tag (as dicom-parser names it) and VR.
// 'xs' is US or SS by Pixel Representation (PS3.6 §6, note on US or SS); implicit VR files need the
// VR from here, explicit VR files carry their own.

export type DictionaryVr =
  | 'AE' | 'AS' | 'AT' | 'CS' | 'DA' | 'DS' | 'DT' | 'FD' | 'FL' | 'IS' | 'LO' | 'LT' | 'OB' | 'OD' | 'OF'
  | 'OL' | 'OV' | 'OW' | 'PN' | 'SH' | 'SL' | 'SQ' | 'SS' | 'ST' | 'SV' | 'TM' | 'UC' | 'UI' | 'UL' | 'UN'
  | 'UR' | 'US' | 'UT' | 'UV' | 'xs' | 'ox';

export const DICTIONARY = {
  MediaStorageSOPClassUID: ['x00020002', 'UI'],
  TransferSyntaxUID: ['x00020010', 'UI'],
  SpecificCharacterSet: ['x00080005', 'CS'],
  ImageType: ['x00080008', 'CS'],
  SOPClassUID: ['x00080016', 'UI'],
  SOPInstanceUID: ['x00080018', 'UI'],
  StudyDate: ['x00080020', 'DA'],
  Modality: ['x00080060', 'CS'],
  Manufacturer: ['x00080070', 'LO'],
  InstitutionName: ['x00080080', 'LO'],
  StudyDescription: ['x00081030', 'LO'],
  SeriesDescription: ['x0008103e', 'LO'],
  PatientName: ['x00100010', 'PN'],
  PatientID: ['x00100020', 'LO'],
  PatientBirthDate: ['x00100030', 'DA'],
  PatientSex: ['x00100040', 'CS'],
  PatientAge: ['x00101010', 'AS'],
  BodyPartExamined: ['x00180015', 'CS'],
  ImagerPixelSpacing: ['x00181164', 'DS'],
  ViewPosition: ['x00185101', 'CS'],
  StudyInstanceUID: ['x0020000d', 'UI'],
  SeriesInstanceUID: ['x0020000e', 'UI'],
  InstanceNumber: ['x00200013', 'IS'],
  Laterality: ['x00200060', 'CS'],
  ImageLaterality: ['x00200062', 'CS'],
  SamplesPerPixel: ['x00280002', 'US'],
  PhotometricInterpretation: ['x00280004', 'CS'],
  PlanarConfiguration: ['x00280006', 'US'],
  NumberOfFrames: ['x00280008', 'IS'],
  Rows: ['x00280010', 'US'],
  Columns: ['x00280011', 'US'],
  PixelSpacing: ['x00280030', 'DS'],
  PixelAspectRatio: ['x00280034', 'IS'],
  BitsAllocated: ['x00280100', 'US'],
  BitsStored: ['x00280101', 'US'],
  HighBit: ['x00280102', 'US'],
  PixelRepresentation: ['x00280103', 'US'],
  PixelPaddingValue: ['x00280120', 'xs'],
  PixelIntensityRelationship: ['x00281040', 'CS'],
  WindowCenter: ['x00281050', 'DS'],
  WindowWidth: ['x00281051', 'DS'],
  RescaleIntercept: ['x00281052', 'DS'],
  RescaleSlope: ['x00281053', 'DS'],
  RescaleType: ['x00281054', 'LO'],
  WindowCenterWidthExplanation: ['x00281055', 'LO'],
  VOILUTFunction: ['x00281056', 'CS'],
  RedPaletteColorLookupTableDescriptor: ['x00281101', 'xs'],
  GreenPaletteColorLookupTableDescriptor: ['x00281102', 'xs'],
  BluePaletteColorLookupTableDescriptor: ['x00281103', 'xs'],
  RedPaletteColorLookupTableData: ['x00281201', 'OW'],
  GreenPaletteColorLookupTableData: ['x00281202', 'OW'],
  BluePaletteColorLookupTableData: ['x00281203', 'OW'],
  SegmentedRedPaletteColorLookupTableData: ['x00281221', 'OW'],
  SegmentedGreenPaletteColorLookupTableData: ['x00281222', 'OW'],
  SegmentedBluePaletteColorLookupTableData: ['x00281223', 'OW'],
  LossyImageCompression: ['x00282110', 'CS'],
  ModalityLUTSequence: ['x00283000', 'SQ'],
  LUTDescriptor: ['x00283002', 'xs'],
  LUTExplanation: ['x00283003', 'LO'],
  ModalityLUTType: ['x00283004', 'LO'],
  LUTData: ['x00283006', 'ox'],
  VOILUTSequence: ['x00283010', 'SQ'],
  PixelMeasuresSequence: ['x00289110', 'SQ'],
  FrameVOILUTSequence: ['x00289132', 'SQ'],
  PixelValueTransformationSequence: ['x00289145', 'SQ'],
  IconImageSequence: ['x00880200', 'SQ'],
  PresentationLUTShape: ['x20500020', 'CS'],
  SharedFunctionalGroupsSequence: ['x52009229', 'SQ'],
  PerFrameFunctionalGroupsSequence: ['x52009230', 'SQ'],
  ExtendedOffsetTable: ['x7fe00001', 'OV'],
  ExtendedOffsetTableLengths: ['x7fe00002', 'OV'],
  FloatPixelData: ['x7fe00008', 'OF'],
  DoubleFloatPixelData: ['x7fe00009', 'OD'],
  PixelData: ['x7fe00010', 'ox'],
} as const satisfies Record<string, readonly [string, DictionaryVr]>;

export type Keyword = keyof typeof DICTIONARY;

const SEQUENCE_TAGS = new Set<string>(
  Object.values(DICTIONARY)
    .filter(([, vr]) => vr === 'SQ')
    .map(([tag]) => tag),
);

/** For implicit VR: dicom-parser asks which tags are sequences so that it parses their items. */
export function isKnownSequenceTag(tag: string): boolean {
  return SEQUENCE_TAGS.has(tag);
}

const VR_BY_TAG = new Map<string, DictionaryVr>(Object.values(DICTIONARY).map(([tag, vr]) => [tag, vr]));

export function dictionaryVr(tag: string): DictionaryVr | undefined {
  return VR_BY_TAG.get(tag);
}
