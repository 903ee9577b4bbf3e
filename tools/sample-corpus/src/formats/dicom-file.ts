// DICOM Part-10 files written with dcmjs: the File Meta group, the data set in the transfer syntax
// asked for, and Pixel Data either native (PS3.5 §8.1.1) or encapsulated one fragment per frame
// (§A.4; RLE requires exactly that, §A.4.2).
import { createRequire } from 'node:module';
import { encodeJpeg2000Lossless, encodeJpegBaseline, encodeJpegLs } from './pixel-codecs';
import { encodeRleFrame } from './rle-encoder';

export type TransferSyntax = 'explicit-le' | 'implicit-le' | 'explicit-be' | 'rle' | 'jpeg-baseline' | 'jpeg-ls' | 'jpeg2000';

export const TRANSFER_SYNTAX_UID: Record<TransferSyntax, string> = {
  'implicit-le': '1.2.840.10008.1.2',
  'explicit-le': '1.2.840.10008.1.2.1',
  'explicit-be': '1.2.840.10008.1.2.2',
  rle: '1.2.840.10008.1.2.5',
  'jpeg-baseline': '1.2.840.10008.1.2.4.50',
  'jpeg-ls': '1.2.840.10008.1.2.4.80',
  jpeg2000: '1.2.840.10008.1.2.4.90',
};

interface DcmjsData {
  DicomDict: new (meta: unknown) => { dict: unknown; write(options: { fragmentMultiframe: boolean }): ArrayBuffer };
  DicomMetaDictionary: { denaturalizeDataset(dataset: Record<string, unknown>): unknown };
}
// dcmjs ships no type declarations; only the writer API used here is typed.
const dcmjs = createRequire(import.meta.url)('dcmjs') as { data: DcmjsData };

/** Our implementation's identity in the File Meta group (PS3.7 §D.3.3.2); a fixed 2.25 UID. */
const IMPLEMENTATION_CLASS_UID = '2.25.148326514908117722735186271357960718530';

export type PixelSamples = Uint8Array | Uint16Array | Int16Array;

export interface DicomImage {
  /** Every attribute but the image pixel module, in dcmjs' naturalized form (keyword → value). */
  readonly attributes: Record<string, string | number | number[] | string[]>;
  readonly rows: number;
  readonly columns: number;
  readonly bitsStored: number;
  readonly photometricInterpretation: 'MONOCHROME1' | 'MONOCHROME2';
  /** One array per frame; Uint8Array for 8-bit data, Uint16Array / Int16Array for 16-bit. */
  readonly frames: readonly PixelSamples[];
  readonly transferSyntax: TransferSyntax;
}

function byteSwapped16(samples: PixelSamples): Uint8Array {
  const bytes = new Uint8Array(samples.buffer.slice(samples.byteOffset, samples.byteOffset + samples.byteLength));
  for (let index = 0; index + 1 < bytes.length; index += 2) {
    const low = bytes[index];
    bytes[index] = bytes[index + 1];
    bytes[index + 1] = low;
  }
  return bytes;
}

function asArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

async function encodeFrame(image: DicomImage, frame: PixelSamples): Promise<ArrayBuffer> {
  const { rows, columns, bitsStored } = image;
  switch (image.transferSyntax) {
    case 'rle':
      return asArrayBuffer(encodeRleFrame(frame, 1));
    case 'jpeg-baseline':
      if (!(frame instanceof Uint8Array)) throw new Error('JPEG baseline needs 8-bit samples');
      return asArrayBuffer(await encodeJpegBaseline(frame, columns, rows, 1, 90));
    case 'jpeg-ls':
      if (frame instanceof Int16Array) throw new Error('the sample corpus encodes only unsigned data as JPEG-LS');
      return asArrayBuffer(await encodeJpegLs(frame, columns, rows, bitsStored));
    case 'jpeg2000':
      if (frame instanceof Int16Array) throw new Error('the sample corpus encodes only unsigned data as JPEG 2000');
      return asArrayBuffer(await encodeJpeg2000Lossless(frame, columns, rows, bitsStored));
    default:
      throw new Error(`${image.transferSyntax} is not encapsulated`);
  }
}

export async function encodeDicom(image: DicomImage): Promise<Uint8Array> {
  const { DicomDict, DicomMetaDictionary } = dcmjs.data;
  const first = image.frames[0];
  const bitsAllocated = first.BYTES_PER_ELEMENT * 8;
  const native = image.transferSyntax === 'explicit-le' || image.transferSyntax === 'implicit-le' || image.transferSyntax === 'explicit-be';
  let pixelData: ArrayBuffer[];
  if (native) {
    const joined = new Uint8Array(image.frames.reduce((sum, frame) => sum + frame.byteLength, 0));
    let offset = 0;
    for (const frame of image.frames) {
      // Native big endian stores each 16-bit sample most significant byte first (PS3.5 §7.3).
      const bytes = image.transferSyntax === 'explicit-be' && bitsAllocated === 16 ? byteSwapped16(frame) : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
      joined.set(bytes, offset);
      offset += bytes.length;
    }
    // Native Pixel Data of odd length is padded to even (PS3.5 §7.1.1).
    pixelData = [asArrayBuffer(joined.length % 2 === 0 ? joined : Uint8Array.from([...joined, 0]))];
  } else {
    pixelData = [];
    for (const frame of image.frames) pixelData.push(await encodeFrame(image, frame));
  }
  const dataset: Record<string, unknown> = {
    ...image.attributes,
    SamplesPerPixel: 1,
    PhotometricInterpretation: image.photometricInterpretation,
    Rows: image.rows,
    Columns: image.columns,
    BitsAllocated: bitsAllocated,
    BitsStored: image.bitsStored,
    HighBit: image.bitsStored - 1,
    PixelRepresentation: first instanceof Int16Array ? 1 : 0,
    PixelData: pixelData,
    _vrMap: { PixelData: native && bitsAllocated === 16 ? 'OW' : 'OB' },
  };
  if (image.frames.length > 1) dataset['NumberOfFrames'] = String(image.frames.length);
  if (image.transferSyntax === 'jpeg-baseline') dataset['LossyImageCompression'] = '01';
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: image.attributes['SOPClassUID'],
    MediaStorageSOPInstanceUID: image.attributes['SOPInstanceUID'],
    TransferSyntaxUID: TRANSFER_SYNTAX_UID[image.transferSyntax],
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'QOQ_SAMPLE_1',
    _vrMap: { FileMetaInformationVersion: 'OB' },
  };
  const file = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  file.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  return new Uint8Array(file.write({ fragmentMultiframe: false }));
}
