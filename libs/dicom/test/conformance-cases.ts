// The conformance table: one row per fixture, with the oracle that decides it. CONFORMANCE.md is
// rendered from these rows (write-conformance.ts) and conformance.spec.ts checks that it is current,
// that every row's syntax/photometric/bits are what the file says, and that every transfer syntax of
// TransferSyntax has a row.

export type OracleKind =
  /** pydicom 2.3 `pixel_array` with the GDCM handler (python3-pydicom, python3-gdcm). */
  | 'pydicom+gdcm'
  /** OpenJPH's ojph_expand on each frame's codestream (openjph-tools): HTJ2K, which GDCM 3.0 lacks. */
  | 'ojph_expand'
  /** pydicom+gdcm on a twin file: the same values stored without the quirk under test. */
  | 'pydicom twin';

export interface ConformanceCase {
  /** Under test-fixtures/. */
  readonly fixture: string;
  readonly transferSyntax: string;
  readonly photometric: string;
  readonly bitsAllocated: number;
  readonly bitsStored: number;
  readonly frames: number;
  readonly oracle: OracleKind;
  /** Largest allowed |ours − oracle|: 0 for lossless; 1 for lossy JPEG and YCbCr→RGB rounding. */
  readonly tolerance: number;
  readonly twin?: string;
  readonly note?: string;
}

const row = (
  fixture: string,
  transferSyntax: string,
  photometric: string,
  bits: [number, number],
  frames: number,
  oracle: OracleKind,
  tolerance: number,
  extra: { twin?: string; note?: string } = {},
): ConformanceCase => ({
  fixture,
  transferSyntax,
  photometric,
  bitsAllocated: bits[0],
  bitsStored: bits[1],
  frames,
  oracle,
  tolerance,
  ...extra,
});

const P = 'pydicom+gdcm' as const;

export const CASES: readonly ConformanceCase[] = [
  // Debian python3-pydicom test files.
  row('pydicom/CT_small.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME2', [16, 16], 1, P, 0),
  row('pydicom/MR_small.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME2', [16, 16], 1, P, 0),
  row('pydicom/MR_small_padded.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME2', [16, 16], 1, P, 0, { note: 'pixel data longer than needed' }),
  row('pydicom/MR_small_implicit.dcm', '1.2.840.10008.1.2', 'MONOCHROME2', [16, 16], 1, P, 0),
  row('pydicom/MR_small_bigendian.dcm', '1.2.840.10008.1.2.2', 'MONOCHROME2', [16, 16], 1, P, 0),
  row('pydicom/MR_small_expb.dcm', '1.2.840.10008.1.2.2', 'MONOCHROME2', [16, 16], 1, P, 0),
  row('pydicom/ExplVR_BigEnd.dcm', '1.2.840.10008.1.2.2', 'RGB', [8, 8], 1, P, 0),
  row('pydicom/image_dfl.dcm', '1.2.840.10008.1.2.1.99', 'MONOCHROME2', [8, 8], 1, P, 0),
  row('pydicom/liver_1frame.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME2', [1, 1], 1, P, 0),
  row('pydicom/liver_expb_1frame.dcm', '1.2.840.10008.1.2.2', 'MONOCHROME2', [1, 1], 1, P, 0),
  row('pydicom/rtdose.dcm', '1.2.840.10008.1.2', 'MONOCHROME2', [32, 32], 15, P, 0),
  row('pydicom/rtdose_1frame.dcm', '1.2.840.10008.1.2', 'MONOCHROME2', [32, 32], 1, P, 0),
  row('pydicom/rtdose_expb.dcm', '1.2.840.10008.1.2.2', 'MONOCHROME2', [32, 32], 15, P, 0),
  row('pydicom/rtdose_expb_1frame.dcm', '1.2.840.10008.1.2.2', 'MONOCHROME2', [32, 32], 1, P, 0),
  row('pydicom/SC_rgb_small_odd.dcm', '1.2.840.10008.1.2.1', 'RGB', [8, 8], 1, P, 0),
  row('pydicom/SC_ybr_full_422_uncompressed.dcm', '1.2.840.10008.1.2.1', 'YBR_FULL_422', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_jpeg_dcmd.dcm', '1.2.840.10008.1.2', 'RGB', [8, 8], 1, P, 0),
  row('pydicom/MR_small_RLE.dcm', '1.2.840.10008.1.2.5', 'MONOCHROME2', [16, 16], 1, P, 0),
  row('pydicom/rtdose_rle.dcm', '1.2.840.10008.1.2.5', 'MONOCHROME2', [32, 32], 15, P, 0),
  row('pydicom/rtdose_rle_1frame.dcm', '1.2.840.10008.1.2.5', 'MONOCHROME2', [32, 32], 1, P, 0),
  row('pydicom/SC_rgb_rle.dcm', '1.2.840.10008.1.2.5', 'RGB', [8, 8], 1, P, 0),
  row('pydicom/SC_rgb_rle_2frame.dcm', '1.2.840.10008.1.2.5', 'RGB', [8, 8], 2, P, 0),
  row('pydicom/SC_rgb_rle_16bit.dcm', '1.2.840.10008.1.2.5', 'RGB', [16, 16], 1, P, 0),
  row('pydicom/SC_rgb_rle_16bit_2frame.dcm', '1.2.840.10008.1.2.5', 'RGB', [16, 16], 2, P, 0),
  row('pydicom/SC_rgb_rle_32bit.dcm', '1.2.840.10008.1.2.5', 'RGB', [32, 32], 1, P, 0),
  row('pydicom/SC_rgb_rle_32bit_2frame.dcm', '1.2.840.10008.1.2.5', 'RGB', [32, 32], 2, P, 0),
  row('pydicom/SC_rgb_jpeg_dcmtk.dcm', '1.2.840.10008.1.2.4.50', 'YBR_FULL', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_dcmtk_+eb+cr.dcm', '1.2.840.10008.1.2.4.50', 'RGB', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_dcmtk_+eb+cy+n1.dcm', '1.2.840.10008.1.2.4.50', 'YBR_FULL', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_dcmtk_+eb+cy+n2.dcm', '1.2.840.10008.1.2.4.50', 'YBR_FULL', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_dcmtk_+eb+cy+np.dcm', '1.2.840.10008.1.2.4.50', 'YBR_FULL_422', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_dcmtk_+eb+cy+s2.dcm', '1.2.840.10008.1.2.4.50', 'YBR_FULL_422', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_dcmtk_+eb+cy+s4.dcm', '1.2.840.10008.1.2.4.50', 'YBR_FULL', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_small_odd_jpeg.dcm', '1.2.840.10008.1.2.4.50', 'YBR_FULL', [8, 8], 1, P, 1),
  row('pydicom/SC_jpeg_no_color_transform.dcm', '1.2.840.10008.1.2.4.50', 'RGB', [8, 8], 1, P, 1, { note: 'RGB JPEG without JFIF/Adobe' }),
  row('pydicom/SC_jpeg_no_color_transform_2.dcm', '1.2.840.10008.1.2.4.50', 'RGB', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_jpeg_app14_dcmd.dcm', '1.2.840.10008.1.2.4.50', 'RGB', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_jpeg_lossy_gdcm.dcm', '1.2.840.10008.1.2.4.50', 'RGB', [8, 8], 1, P, 1),
  row('pydicom/SC_rgb_jpeg.dcm', '1.2.840.10008.1.2.4.50', 'RGB', [8, 8], 1, P, 1, { note: 'declares explicit VR, is implicit' }),
  row('pydicom/JPEG-lossy.dcm', '1.2.840.10008.1.2.4.51', 'MONOCHROME2', [16, 12], 1, P, 1),
  row('pydicom/JPGExtended.dcm', '1.2.840.10008.1.2.4.51', 'MONOCHROME2', [16, 12], 1, P, 1),
  row('pydicom/SC_rgb_jpeg_gdcm.dcm', '1.2.840.10008.1.2.4.70', 'RGB', [8, 8], 1, P, 0),
  row('pydicom/MR_small_jpeg_ls_lossless.dcm', '1.2.840.10008.1.2.4.80', 'MONOCHROME2', [16, 16], 1, P, 0),
  row('pydicom/MR_small_jp2klossless.dcm', '1.2.840.10008.1.2.4.90', 'MONOCHROME2', [16, 16], 1, P, 0),
  row('pydicom/J2K_pixelrep_mismatch.dcm', '1.2.840.10008.1.2.4.90', 'MONOCHROME2', [16, 13], 1, P, 0, { note: 'unsigned J2K, signed data set' }),
  row('pydicom/GDCMJ2K_TextGBR.dcm', '1.2.840.10008.1.2.4.90', 'YBR_RCT', [8, 8], 1, P, 0, { note: 'JP2 header' }),
  row('pydicom/693_J2KI.dcm', '1.2.840.10008.1.2.4.91', 'MONOCHROME2', [16, 14], 1, P, 1),
  row('pydicom/JPEG2000.dcm', '1.2.840.10008.1.2.4.91', 'MONOCHROME2', [16, 16], 1, P, 1),
  row('pydicom/SC_rgb_gdcm_KY.dcm', '1.2.840.10008.1.2.4.91', 'RGB', [8, 8], 1, P, 1),
  // Generated by test-fixtures/generate.py with dcmtk, GDCM and OpenJPH.
  row('generated/mono12_explicit_le.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME2', [16, 12], 3, P, 0),
  row('generated/mono1_explicit_le.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME1', [8, 8], 1, P, 0),
  row('generated/rgb8_planar1.dcm', '1.2.840.10008.1.2.1', 'RGB', [8, 8], 1, P, 0, { note: 'planar configuration 1' }),
  row('generated/ybr_full_planar1.dcm', '1.2.840.10008.1.2.1', 'YBR_FULL', [8, 8], 1, P, 1, { note: 'planar configuration 1' }),
  row('generated/palette_color_16bit.dcm', '1.2.840.10008.1.2.1', 'PALETTE COLOR', [8, 8], 1, P, 0, { note: '16-bit LUT' }),
  row('generated/palette_color_8bit_first_mapped.dcm', '1.2.840.10008.1.2.1', 'PALETTE COLOR', [8, 8], 1, P, 0, { note: '8-bit LUT, first mapped 16' }),
  row('generated/palette_color_segmented.dcm', '1.2.840.10008.1.2.1', 'PALETTE COLOR', [8, 8], 1, P, 0, { note: 'segmented LUT' }),
  row('generated/signed12_junk_high_bits.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME2', [16, 12], 1, 'pydicom twin', 0, {
    twin: 'generated/signed12_clean.dcm',
    note: 'junk above the high bit, signed',
  }),
  row('generated/enhanced_mono12_functional_groups.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME2', [16, 12], 3, P, 0),
  row('generated/mono12_lut_sequences.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME2', [16, 12], 1, P, 0, { note: 'Modality/VOI LUT Sequences' }),
  row('generated/mono8_with_icon.dcm', '1.2.840.10008.1.2.1', 'MONOCHROME2', [8, 8], 1, P, 0, { note: 'icon image ignored' }),
  row('generated/rgb8_rle.dcm', '1.2.840.10008.1.2.5', 'RGB', [8, 8], 1, P, 0),
  row('generated/mono12_jpeg_extended.dcm', '1.2.840.10008.1.2.4.51', 'MONOCHROME2', [16, 12], 3, P, 1),
  row('generated/mono12_jpeg_lossless_sv6.dcm', '1.2.840.10008.1.2.4.57', 'MONOCHROME2', [16, 12], 3, P, 0),
  row('generated/mono12_jpeg_lossless_fragmented_nobot.dcm', '1.2.840.10008.1.2.4.57', 'MONOCHROME2', [16, 12], 3, P, 0, {
    note: '1 KiB fragments, empty BOT',
  }),
  row('generated/mono12_jpeg_lossless_sv1.dcm', '1.2.840.10008.1.2.4.70', 'MONOCHROME2', [16, 12], 3, P, 0),
  row('generated/mono12_jpegls_lossless.dcm', '1.2.840.10008.1.2.4.80', 'MONOCHROME2', [16, 12], 3, P, 0),
  row('generated/mono12_jpegls_extended_offset_table.dcm', '1.2.840.10008.1.2.4.80', 'MONOCHROME2', [16, 12], 3, P, 0, {
    note: 'Extended Offset Table',
  }),
  row('generated/mono12_jpegls_near_lossless.dcm', '1.2.840.10008.1.2.4.81', 'MONOCHROME2', [16, 12], 3, P, 0),
  row('generated/rgb8_jpegls_near_lossless.dcm', '1.2.840.10008.1.2.4.81', 'RGB', [8, 8], 1, P, 0),
  row('generated/mono12_j2k_lossless.dcm', '1.2.840.10008.1.2.4.90', 'MONOCHROME2', [16, 12], 3, P, 0),
  row('generated/mono12_j2k_lossy.dcm', '1.2.840.10008.1.2.4.91', 'MONOCHROME2', [16, 12], 3, P, 1),
  row('generated/mono12_htj2k_lossless.dcm', '1.2.840.10008.1.2.4.201', 'MONOCHROME2', [16, 12], 3, 'ojph_expand', 0),
  row('generated/rgb8_htj2k_lossless_rct.dcm', '1.2.840.10008.1.2.4.201', 'YBR_RCT', [8, 8], 1, 'ojph_expand', 0),
  row('generated/mono12_htj2k_lossless_rpcl.dcm', '1.2.840.10008.1.2.4.202', 'MONOCHROME2', [16, 12], 3, 'ojph_expand', 0),
  row('generated/mono12_htj2k_lossy.dcm', '1.2.840.10008.1.2.4.203', 'MONOCHROME2', [16, 12], 3, 'ojph_expand', 1, {
    note: 'OpenJPH WASM vs Debian build',
  }),
];
