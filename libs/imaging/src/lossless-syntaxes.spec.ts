// "The output depends only on pixel data and options: the same image in any lossless transfer syntax
// gives byte-identical PNGs" (issue 4), on real files of one image in several syntaxes.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseDicom } from '@qoq/dicom';
import { describe, expect, it } from 'vitest';
import { renderDicomImage } from './dicom-rendering';
import { DEFAULT_MAX_PIXELS } from './png-encoding';

const fixtures = fileURLToPath(new URL('../../dicom/test-fixtures/', import.meta.url));

async function pngOf(file: string, window: 'header' | 'minmax'): Promise<string> {
  const dataset = parseDicom(new Uint8Array(await readFile(`${fixtures}${file}`)), { path: file });
  const rendered = await renderDicomImage(dataset, { frames: 'middle', maxPixels: DEFAULT_MAX_PIXELS, reducedResolutionDecode: true }, { kind: window });
  expect(rendered.frames).toHaveLength(1);
  return Buffer.from(rendered.frames[0].png).toString('base64');
}

const SAME_IMAGE: Record<string, readonly string[]> = {
  '12-bit grayscale (dcmtk / OpenJPH / CharLS encodings)': [
    'generated/mono12_explicit_le.dcm',
    'generated/mono12_jpeg_lossless_sv1.dcm',
    'generated/mono12_jpeg_lossless_sv6.dcm',
    'generated/mono12_jpeg_lossless_fragmented_nobot.dcm',
    'generated/mono12_jpegls_lossless.dcm',
    'generated/mono12_jpegls_extended_offset_table.dcm',
    'generated/mono12_j2k_lossless.dcm',
    'generated/mono12_htj2k_lossless.dcm',
    'generated/mono12_htj2k_lossless_rpcl.dcm',
  ],
  'signed 16-bit MR (pydicom test files)': [
    'pydicom/MR_small.dcm',
    'pydicom/MR_small_implicit.dcm',
    'pydicom/MR_small_bigendian.dcm',
    'pydicom/MR_small_expb.dcm',
    'pydicom/MR_small_padded.dcm',
    'pydicom/MR_small_RLE.dcm',
    'pydicom/MR_small_jpeg_ls_lossless.dcm',
    'pydicom/MR_small_jp2klossless.dcm',
  ],
  'RGB (interleaved, planar, RLE, HTJ2K with RCT)': [
    'generated/rgb8_explicit_le.dcm',
    'generated/rgb8_planar1.dcm',
    'generated/rgb8_rle.dcm',
    'generated/rgb8_htj2k_lossless_rct.dcm',
  ],
  'RGB secondary capture (RLE, lossless JPEG)': ['pydicom/SC_rgb_rle.dcm', 'pydicom/SC_rgb_jpeg_gdcm.dcm'],
};

describe('the same image in any lossless transfer syntax', () => {
  for (const [image, files] of Object.entries(SAME_IMAGE)) {
    for (const window of ['header', 'minmax'] as const) {
      it(`gives byte-identical PNGs: ${image}, --window=${window}`, async () => {
        const [reference, ...others] = files;
        const expected = await pngOf(reference, window);
        for (const file of others) expect(await pngOf(file, window), `${file} vs ${reference}`).toBe(expected);
      });
    }
  }
});
