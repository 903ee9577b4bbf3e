// Part-10 framing (PS3.10 §7.1: preamble, "DICM", File Meta Information in explicit VR little endian)
// is read here, and the data set walked by data-set-parser.ts. dicom-parser's parseDicom is not used:
// it throws strings, needs a Transfer Syntax UID in the meta header (files without one exist), misses
// "DICM" at offset 0, inflates with Node Buffers and mis-reads the 64-bit VRs (see data-set-parser.ts).
// Its DataSet value readers and its meta element reader are what we reuse.
import dicomParser, { type DataSet, type Element } from 'dicom-parser';
import { inflateRawSync } from 'node:zlib';
import { DataSetTruncated, walkDataSet } from './data-set-parser';
import { DicomDataset } from './dicom-dataset';
import { DicomError } from './dicom-error';
import { TransferSyntax, transferSyntaxByUid, type TransferSyntaxInfo } from './transfer-syntax';

export interface ParseOptions {
  /** Only for error messages; never logged. */
  path?: string;
}

const VALID_VRS = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(' '),
);

interface Framing {
  /** Where the first element after the meta header starts. */
  readonly dataSetOffset: number;
  readonly meta: Record<string, Element>;
  readonly transferSyntaxUid: string | undefined;
}

/** Parses a DICOM file (Part 10, or a bare data set without preamble and meta header). */
export function parseDicom(bytes: Uint8Array, options: ParseOptions = {}): DicomDataset {
  const { path } = options;
  const framing = readFraming(bytes, path);
  const uid = framing.transferSyntaxUid ?? guessRawSyntax(bytes, framing.dataSetOffset, path).uid;
  const syntax = transferSyntaxByUid(uid);
  if (syntax === undefined) {
    throw new DicomError('DICOM_UNSUPPORTED_SYNTAX', `Transfer Syntax ${uid} is not supported.`, path);
  }
  let byteArray = bytes;
  let offset = framing.dataSetOffset;
  if (syntax.deflated) {
    // PS3.5 §A.5: everything after the meta header is one raw deflate stream.
    try {
      // Node's zlib rather than pako: built in, typed, and native speed.
      const inflated = inflateRawSync(bytes.subarray(offset));
      byteArray = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
    } catch {
      throw new DicomError('DICOM_TRUNCATED', 'The deflated data set does not inflate (truncated or corrupt).', path);
    }
    offset = 0;
  }
  const raw = parseDataSet(byteArray, offset, syntax, path);
  for (const [tag, element] of Object.entries(framing.meta)) raw.elements[tag] ??= element;
  if (syntax.deflated) {
    // Meta elements point into the original bytes; keep only their decoded values reachable.
    for (const tag of Object.keys(framing.meta)) delete raw.elements[tag];
  }
  const characterSet = readCharacterSet(raw);
  let pixelRepresentation = -1;
  const dataset: DicomDataset = new DicomDataset(
    raw,
    syntax,
    characterSet,
    () => {
      if (pixelRepresentation < 0) pixelRepresentation = raw.uint16('x00280103') ?? 0;
      return pixelRepresentation;
    },
    path,
  );
  if (Object.keys(raw.elements).length === 0) {
    throw new DicomError('DICOM_NOT_DICOM', 'The file holds no DICOM data elements.', path);
  }
  return dataset;
}

function readFraming(bytes: Uint8Array, path: string | undefined): Framing {
  const hasMagicAt = (at: number) =>
    bytes.length >= at + 4 && bytes[at] === 0x44 && bytes[at + 1] === 0x49 && bytes[at + 2] === 0x43 && bytes[at + 3] === 0x4d;
  let metaOffset: number;
  if (hasMagicAt(128)) metaOffset = 132;
  else if (hasMagicAt(0)) metaOffset = 4;
  else if (bytes.length >= 8 && bytes[0] === 0x02 && bytes[1] === 0x00 && VALID_VRS.has(ascii(bytes, 4, 2))) metaOffset = 0;
  else return { dataSetOffset: 0, meta: {}, transferSyntaxUid: undefined };

  const stream = new dicomParser.ByteStream(dicomParser.littleEndianByteArrayParser, bytes, metaOffset);
  const meta: Record<string, Element> = {};
  let position = metaOffset;
  try {
    while (position + 8 <= bytes.length && bytes[position] === 0x02 && bytes[position + 1] === 0x00) {
      const element = dicomParser.readDicomElementExplicit(stream, []);
      if (element.dataOffset + element.length > bytes.length) throw new Error('element past the end');
      meta[element.tag] = element;
      position = stream.position;
    }
  } catch {
    throw new DicomError('DICOM_TRUNCATED', 'The File Meta Information ends before its last element.', path);
  }
  const tsElement = meta['x00020010'];
  const transferSyntaxUid =
    tsElement === undefined || tsElement.length === 0
      ? undefined
      : ascii(bytes, tsElement.dataOffset, tsElement.length).replace(/[\0 ]+$/, '');
  return { dataSetOffset: position, meta, transferSyntaxUid };
}

/**
 * A data set without meta header (PS3.10 allows none in non-Part-10 interchange): the first element
 * tells the encoding. A big-endian group reads as 0x0800 little-endian; explicit VR has two upper-case
 * letters of a known VR at offset 4. Anything else that does not start like a DICOM group is not DICOM.
 */
function guessRawSyntax(bytes: Uint8Array, offset: number, path: string | undefined): TransferSyntaxInfo {
  if (bytes.length < offset + 8) {
    throw new DicomError('DICOM_NOT_DICOM', 'The file is too short to hold a DICOM data element.', path);
  }
  const groupLittle = bytes[offset] | (bytes[offset + 1] << 8);
  const groupBig = (bytes[offset] << 8) | bytes[offset + 1];
  const explicitVr = VALID_VRS.has(ascii(bytes, offset + 4, 2));
  const plausible = (group: number) => group % 2 === 0 && group <= 0x0010;
  if (plausible(groupLittle) && explicitVr) return TransferSyntax.ExplicitVRLittleEndian;
  if (plausible(groupBig) && groupBig !== 0 && explicitVr) return TransferSyntax.ExplicitVRBigEndian;
  if (plausible(groupLittle)) {
    const length = bytes[offset + 4] | (bytes[offset + 5] << 8) | (bytes[offset + 6] << 16) | (bytes[offset + 7] * 0x1000000);
    if (length === 0xffffffff || offset + 8 + length <= bytes.length) return TransferSyntax.ImplicitVRLittleEndian;
  }
  throw new DicomError('DICOM_NOT_DICOM', 'The file has no DICM magic and does not start with a DICOM data element.', path);
}

function parseDataSet(byteArray: Uint8Array, offset: number, syntax: TransferSyntaxInfo, path: string | undefined): DataSet {
  // Some writers declare explicit VR and write implicit VR (pydicom reads these too): trust the bytes.
  const explicitVr = syntax.explicitVr && (offset + 6 > byteArray.length || VALID_VRS.has(ascii(byteArray, offset + 4, 2)));
  try {
    return walkDataSet(byteArray, offset, { explicitVr, littleEndian: syntax.littleEndian });
  } catch (cause) {
    if (!(cause instanceof DataSetTruncated)) throw cause;
    throw new DicomError('DICOM_TRUNCATED', `The data set is cut off: ${cause.message}.`, path);
  }
}

function readCharacterSet(raw: DataSet): string[] {
  const element = raw.elements['x00080005'];
  if (element === undefined || element.length === 0) return [];
  return ascii(raw.byteArray, element.dataOffset, element.length)
    .split('\\')
    .map((term) => term.trim());
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  let text = '';
  const end = Math.min(offset + length, bytes.length);
  for (let i = offset; i < end; i++) text += String.fromCharCode(bytes[i]);
  return text;
}
