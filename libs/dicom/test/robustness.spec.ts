// Bad input is a typed DicomError with the right code — never another exception, a crash or a hang.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrames, DicomError, parseDicom, type DicomErrorCode } from '../src/index';
import { FIXTURES } from './oracle-compare';

const read = (fixture: string) => new Uint8Array(readFileSync(join(FIXTURES, fixture)));

/** Parses and decodes; returns the error code, or 'decoded'. Any non-DicomError fails the test. */
async function outcome(bytes: Uint8Array, limits?: { maxPixelsPerFrame?: number; maxDecodedBytes?: number }): Promise<DicomErrorCode | 'decoded'> {
  try {
    const dataset = parseDicom(bytes, { path: 'case.dcm' });
    await decodeFrames(dataset, 'all', { limits });
    return 'decoded';
  } catch (error) {
    if (!(error instanceof DicomError)) throw error;
    expect(error.path).toBe('case.dcm');
    expect(error.message.length).toBeGreaterThan(10);
    return error.code;
  }
}

/** A copy with the 16-bit value of an attribute replaced (little endian files). */
function withUint16(bytes: Uint8Array, keyword: 'Rows' | 'Columns', value: number): Uint8Array {
  const copy = bytes.slice();
  const element = parseDicom(bytes).element(keyword);
  if (element === undefined) throw new Error(`no ${keyword}`);
  new DataView(copy.buffer).setUint16(element.dataOffset, value, true);
  return copy;
}

describe('robustness', () => {
  it('rejects files that are not DICOM', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(200).fill(7)]);
    expect(await outcome(png)).toBe('DICOM_NOT_DICOM');
    expect(await outcome(new TextEncoder().encode('patient,label\n1,normal\n'.repeat(20)))).toBe('DICOM_NOT_DICOM');
    expect(await outcome(new Uint8Array(0))).toBe('DICOM_NOT_DICOM');
    const noise = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251);
    expect(await outcome(noise)).toBe('DICOM_NOT_DICOM');
  });

  it('reports a file cut inside its header as truncated', async () => {
    const ct = read('pydicom/CT_small.dcm');
    expect(await outcome(ct.subarray(0, 1000))).toBe('DICOM_TRUNCATED');
    expect(await outcome(ct.subarray(0, 140))).toBe('DICOM_TRUNCATED');
  });

  it('reports pixel data shorter than Rows × Columns × frames as short', async () => {
    expect(await outcome(read('pydicom/MR_truncated.dcm'))).toBe('DICOM_PIXEL_DATA_SHORT');
    // CT_small ends with 134 bytes of Data Set Trailing Padding after its Pixel Data: cut into the pixels.
    const ct = read('pydicom/CT_small.dcm');
    expect(await outcome(ct.subarray(0, ct.length - 300))).toBe('DICOM_PIXEL_DATA_SHORT');
  });

  it('reports a data set without Pixel Data', async () => {
    expect(await outcome(read('pydicom/rtplan.dcm'))).toBe('DICOM_NO_PIXEL_DATA');
  });

  it('rejects 65,535 × 65,535 frames before allocating anything', async () => {
    // 8 GiB of 16-bit samples: allocating would crash the process, so passing proves the order.
    const huge = withUint16(withUint16(read('pydicom/CT_small.dcm'), 'Rows', 65535), 'Columns', 65535);
    expect(await outcome(huge)).toBe('DICOM_TOO_LARGE');
    const jpeg = withUint16(withUint16(read('pydicom/JPGExtended.dcm'), 'Rows', 65535), 'Columns', 65535);
    expect(await outcome(jpeg)).toBe('DICOM_TOO_LARGE');
  });

  it('applies caller limits on frame size and on the decoded total', async () => {
    expect(await outcome(read('pydicom/CT_small.dcm'), { maxPixelsPerFrame: 128 * 128 - 1 })).toBe('DICOM_TOO_LARGE');
    expect(await outcome(read('pydicom/CT_small.dcm'), { maxPixelsPerFrame: 128 * 128 })).toBe('decoded');
    expect(await outcome(read('pydicom/rtdose.dcm'), { maxDecodedBytes: 15 * 100 * 4 - 1 })).toBe('DICOM_TOO_LARGE');
  });

  it('reports an unsupported transfer syntax', async () => {
    const bytes = read('pydicom/MR_small_jp2klossless.dcm').slice();
    const text = new TextDecoder('latin1').decode(bytes);
    const at = text.indexOf('1.2.840.10008.1.2.4.90');
    bytes.set(new TextEncoder().encode('1.2.840.10008.1.2.4.99'), at); // JPIP-like, not ours
    expect(await outcome(bytes)).toBe('DICOM_UNSUPPORTED_SYNTAX');
  });

  it('reports corrupt codestreams', async () => {
    expect(await outcome(read('pydicom/JPEG2000-embedded-sequence-delimiter.dcm'))).toBe('DICOM_CORRUPT_CODESTREAM');
    for (const fixture of ['pydicom/JPGExtended.dcm', 'pydicom/MR_small_jpeg_ls_lossless.dcm', 'pydicom/MR_small_RLE.dcm', 'pydicom/SC_rgb_jpeg_dcmtk.dcm']) {
      const bytes = read(fixture).slice();
      const pixelData = parseDicom(bytes).element('PixelData');
      if (pixelData === undefined) throw new Error(`${fixture} has no Pixel Data`);
      // First fragment follows the (possibly empty) Basic Offset Table item: break its first bytes.
      const table = new DataView(bytes.buffer).getUint32(pixelData.dataOffset + 4, true);
      const fragment = pixelData.dataOffset + 8 + table + 8;
      bytes.fill(0x00, fragment, fragment + 4);
      expect(await outcome(bytes), fixture).toBe('DICOM_CORRUPT_CODESTREAM');
    }
  });

  it('never throws anything but a DicomError on a file cut at any point', { timeout: 120_000 }, async () => {
    const fixtures = [
      'pydicom/CT_small.dcm',
      'pydicom/MR_small_RLE.dcm',
      'pydicom/MR_small_jpeg_ls_lossless.dcm',
      'pydicom/MR_small_jp2klossless.dcm',
      'pydicom/SC_rgb_jpeg_dcmtk.dcm',
      'pydicom/JPGExtended.dcm',
      'pydicom/SC_rgb_jpeg_gdcm.dcm',
      'pydicom/image_dfl.dcm',
      'generated/mono12_htj2k_lossless.dcm',
      'generated/palette_color_segmented.dcm',
    ];
    const seen = new Set<string>();
    for (const fixture of fixtures) {
      const bytes = read(fixture);
      const step = Math.max(1, Math.floor(bytes.length / 40));
      for (let cut = 0; cut < bytes.length; cut += step) seen.add(await outcome(bytes.subarray(0, cut)));
    }
    // The outcomes seen are typed codes only (outcome() rethrows anything else).
    expect([...seen].every((code) => code === 'decoded' || code.startsWith('DICOM_'))).toBe(true);
    expect(seen).toContain('DICOM_TRUNCATED');
  });

  it('never throws anything but a DicomError on codestreams with random bytes overwritten', { timeout: 120_000 }, async () => {
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const fixtures = [
      'pydicom/MR_small_RLE.dcm',
      'pydicom/MR_small_jpeg_ls_lossless.dcm',
      'pydicom/MR_small_jp2klossless.dcm',
      'pydicom/SC_rgb_jpeg_dcmtk.dcm',
      'pydicom/JPGExtended.dcm',
      'pydicom/SC_rgb_jpeg_gdcm.dcm',
      'generated/mono12_htj2k_lossless.dcm',
    ];
    const seen = new Set<string>();
    for (const fixture of fixtures) {
      const original = read(fixture);
      const start = (parseDicom(original).element('PixelData')?.dataOffset ?? 0) + 16;
      for (let trial = 0; trial < 10; trial++) {
        const bytes = original.slice();
        for (let k = 0; k < 1 + Math.floor(random() * 8); k++) {
          bytes[start + Math.floor(random() * (bytes.length - start - 4))] = Math.floor(random() * 256);
        }
        seen.add(await outcome(bytes));
      }
    }
    expect(seen).toContain('DICOM_CORRUPT_CODESTREAM');
  });

  it('still decodes good files after a codec rejected a corrupt one', async () => {
    expect(await outcome(read('pydicom/JPEG2000-embedded-sequence-delimiter.dcm'))).toBe('DICOM_CORRUPT_CODESTREAM');
    expect(await outcome(read('pydicom/MR_small_jp2klossless.dcm'))).toBe('decoded');
  });
});
