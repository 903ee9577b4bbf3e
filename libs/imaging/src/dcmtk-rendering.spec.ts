// Rendering at original size with min-max windowing is within ±1 grey level of dcmtk (issue 4):
// `dcmj2pnm +Wm`, `dcml2pnm` for JPEG-LS, and for JPEG 2000 dcmj2pnm after `gdcmconv --raw` (dcmtk
// has no JPEG 2000 codec). One assertion per file.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { decodeFrames, parseDicom } from '@qoq/dicom';
import { requireOracle } from '@qoq/testing';
import { describe, expect, it } from 'vitest';
import { dcmtkMinMaxRendering, type DcmtkRoute } from '../test/dcmtk-oracle';
import { renderDisplayImage } from './display-image';

const fixtures = fileURLToPath(new URL('../../dicom/test-fixtures/', import.meta.url));

const CASES: ReadonlyArray<readonly [file: string, what: string, route: DcmtkRoute]> = [
  ['pydicom/MR_small.dcm', 'MONOCHROME2, 16-bit signed', 'dcmj2pnm'],
  ['generated/signed12_clean.dcm', 'MONOCHROME2, 12 of 16 bits signed', 'dcmj2pnm'],
  ['generated/mono1_explicit_le.dcm', 'MONOCHROME1', 'dcmj2pnm'],
  ['pydicom/CT_small.dcm', 'CT with rescale slope/intercept', 'dcmj2pnm'],
  ['generated/mono12_lut_sequences.dcm', 'Modality LUT Sequence, Presentation LUT Shape INVERSE', 'dcmj2pnm'],
  ['generated/rgb8_explicit_le.dcm', 'RGB', 'dcmj2pnm'],
  ['generated/palette_color_8bit_first_mapped.dcm', 'PALETTE COLOR', 'dcmj2pnm'],
  ['pydicom/MR_small_RLE.dcm', 'RLE', 'dcmj2pnm'],
  ['pydicom/SC_rgb_jpeg_dcmtk.dcm', 'JPEG baseline, YCbCr', 'dcmj2pnm'],
  ['pydicom/JPEG-lossy.dcm', 'JPEG extended 12-bit', 'dcmj2pnm'],
  ['generated/mono12_jpeg_lossless_sv1.dcm', 'JPEG lossless SV1', 'dcmj2pnm'],
  ['pydicom/MR_small_jpeg_ls_lossless.dcm', 'JPEG-LS lossless, signed', 'dcml2pnm'],
  ['generated/mono12_jpegls_near_lossless.dcm', 'JPEG-LS near-lossless', 'dcml2pnm'],
  ['pydicom/MR_small_jp2klossless.dcm', 'JPEG 2000 lossless', 'gdcmconv-raw'],
  ['pydicom/JPEG2000.dcm', 'JPEG 2000 lossy', 'gdcmconv-raw'],
  ['generated/mono12_j2k_lossless.dcm', 'JPEG 2000 lossless, 12-bit', 'gdcmconv-raw'],
];

const haveOracles = requireOracle('dcmtk') && requireOracle('gdcmconv');

describe('min-max rendering against dcmtk', () => {
  it.runIf(haveOracles).each(CASES)('%s (%s) is within ±1 grey level of dcmtk', async (file, _what, route) => {
    const path = `${fixtures}${file}`;
    const dataset = parseDicom(new Uint8Array(await readFile(path)), { path: file });
    const image = await decodeFrames(dataset, 'all');
    const ours = renderDisplayImage(image, image.frames[0], { kind: 'minmax' });
    const theirs = dcmtkMinMaxRendering(path, route);
    let worst = { difference: 0, index: -1 };
    for (let i = 0; i < theirs.samples.length; i++) {
      const difference = Math.abs(theirs.samples[i] - ours.pixels[i]);
      if (difference > worst.difference) worst = { difference, index: i };
    }
    const agreement = worst.difference <= 1 ? 'within ±1' : `${worst.difference} grey levels apart at sample ${worst.index}`;
    expect({ width: ours.width, height: ours.height, channels: ours.channels, agreement }).toEqual({
      width: theirs.width,
      height: theirs.height,
      channels: theirs.channels,
      agreement: 'within ±1',
    });
  });
});
