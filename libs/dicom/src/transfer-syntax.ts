// PS3.5 §10 and Annex A: the transfer syntaxes in clinical use, with how their pixel data is carried.

export type PixelEncoding =
  | 'native'
  | 'rle'
  | 'jpeg-baseline'
  | 'jpeg-extended'
  | 'jpeg-lossless'
  | 'jpeg-ls'
  | 'jpeg-2000'
  | 'htj2k';

export interface TransferSyntaxInfo {
  readonly uid: string;
  readonly name: string;
  /** Explicit VR (every syntax except Implicit VR Little Endian, PS3.5 §A.1). */
  readonly explicitVr: boolean;
  readonly littleEndian: boolean;
  /** The data set after the meta header is raw-deflated (PS3.5 §A.5). */
  readonly deflated: boolean;
  readonly encoding: PixelEncoding;
  /** Pixel values may differ from the original (lossy compression). */
  readonly lossy: boolean;
}

function syntax(
  uid: string,
  name: string,
  encoding: PixelEncoding,
  options: { explicitVr?: boolean; littleEndian?: boolean; deflated?: boolean; lossy?: boolean } = {},
): TransferSyntaxInfo {
  return {
    uid,
    name,
    encoding,
    explicitVr: options.explicitVr ?? true,
    littleEndian: options.littleEndian ?? true,
    deflated: options.deflated ?? false,
    lossy: options.lossy ?? false,
  };
}

export const TransferSyntax = {
  ImplicitVRLittleEndian: syntax('1.2.840.10008.1.2', 'Implicit VR Little Endian', 'native', { explicitVr: false }),
  ExplicitVRLittleEndian: syntax('1.2.840.10008.1.2.1', 'Explicit VR Little Endian', 'native'),
  DeflatedExplicitVRLittleEndian: syntax('1.2.840.10008.1.2.1.99', 'Deflated Explicit VR Little Endian', 'native', {
    deflated: true,
  }),
  ExplicitVRBigEndian: syntax('1.2.840.10008.1.2.2', 'Explicit VR Big Endian', 'native', { littleEndian: false }),
  RLELossless: syntax('1.2.840.10008.1.2.5', 'RLE Lossless', 'rle'),
  JPEGBaseline8Bit: syntax('1.2.840.10008.1.2.4.50', 'JPEG Baseline (Process 1)', 'jpeg-baseline', { lossy: true }),
  JPEGExtended12Bit: syntax('1.2.840.10008.1.2.4.51', 'JPEG Extended (Process 2 & 4)', 'jpeg-extended', {
    lossy: true,
  }),
  JPEGLossless: syntax('1.2.840.10008.1.2.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)', 'jpeg-lossless'),
  JPEGLosslessSV1: syntax(
    '1.2.840.10008.1.2.4.70',
    'JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])',
    'jpeg-lossless',
  ),
  JPEGLSLossless: syntax('1.2.840.10008.1.2.4.80', 'JPEG-LS Lossless', 'jpeg-ls'),
  JPEGLSNearLossless: syntax('1.2.840.10008.1.2.4.81', 'JPEG-LS Lossy (Near-Lossless)', 'jpeg-ls', { lossy: true }),
  JPEG2000Lossless: syntax('1.2.840.10008.1.2.4.90', 'JPEG 2000 (Lossless Only)', 'jpeg-2000'),
  JPEG2000: syntax('1.2.840.10008.1.2.4.91', 'JPEG 2000', 'jpeg-2000', { lossy: true }),
  HTJ2KLossless: syntax('1.2.840.10008.1.2.4.201', 'High-Throughput JPEG 2000 (Lossless Only)', 'htj2k'),
  HTJ2KLosslessRPCL: syntax(
    '1.2.840.10008.1.2.4.202',
    'High-Throughput JPEG 2000 with RPCL Options (Lossless Only)',
    'htj2k',
  ),
  HTJ2K: syntax('1.2.840.10008.1.2.4.203', 'High-Throughput JPEG 2000', 'htj2k', { lossy: true }),
} as const satisfies Record<string, TransferSyntaxInfo>;

const byUid = new Map<string, TransferSyntaxInfo>(Object.values(TransferSyntax).map((ts) => [ts.uid, ts]));

/** The table entry for a Transfer Syntax UID, or undefined when we do not support it. */
export function transferSyntaxByUid(uid: string): TransferSyntaxInfo | undefined {
  return byUid.get(uid);
}
