// decodeFrames behaviour on real files: output types and photometrics, frame selection, display inputs
// (checked against pydicom's reading of the same attributes), the icon image left alone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requireOracle, runPython } from '@qoq/testing';
import { decodeFrames, parseDicom, type DecodedImage } from '../src/index';
import { compareWithOracle, FIXTURES, pydicomArrays } from './oracle-compare';

const open = (fixture: string) => parseDicom(new Uint8Array(readFileSync(join(FIXTURES, fixture))), { path: fixture });
const decode = (fixture: string, selection: Parameters<typeof decodeFrames>[1] = 'all') => decodeFrames(open(fixture), selection);
const samplesOf = (image: DecodedImage) => image.frames.flatMap((frame) => Array.from(frame.pixels));

describe('decodeFrames', () => {
  it('gives the same samples for the same image in every lossless transfer syntax', async () => {
    const reference = samplesOf(await decode('generated/mono12_explicit_le.dcm'));
    for (const fixture of [
      'generated/mono12_jpeg_lossless_sv6.dcm',
      'generated/mono12_jpeg_lossless_sv1.dcm',
      'generated/mono12_jpeg_lossless_fragmented_nobot.dcm',
      'generated/mono12_jpegls_lossless.dcm',
      'generated/mono12_jpegls_extended_offset_table.dcm',
      'generated/mono12_j2k_lossless.dcm',
      'generated/mono12_htj2k_lossless.dcm',
      'generated/mono12_htj2k_lossless_rpcl.dcm',
    ]) {
      expect(samplesOf(await decode(fixture)), fixture).toEqual(reference);
    }
  });

  it('keeps JPEG-LS near-lossless within NEAR = 2 of the original samples', async () => {
    const original = samplesOf(await decode('generated/mono12_explicit_le.dcm'));
    const near = samplesOf(await decode('generated/mono12_jpegls_near_lossless.dcm'));
    const worst = Math.max(...near.map((value, i) => Math.abs(value - original[i])));
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(2);
  });

  it('returns the typed array of Bits Allocated and Pixel Representation', async () => {
    expect((await decode('pydicom/CT_small.dcm')).frames[0].pixels).toBeInstanceOf(Int16Array);
    expect((await decode('generated/mono12_explicit_le.dcm')).frames[0].pixels).toBeInstanceOf(Uint16Array);
    expect((await decode('pydicom/rtdose.dcm')).frames[0].pixels).toBeInstanceOf(Uint32Array);
    expect((await decode('pydicom/SC_rgb_rle.dcm')).frames[0].pixels).toBeInstanceOf(Uint8Array);
    const bits = await decode('pydicom/liver_1frame.dcm');
    expect(bits.frames[0].pixels).toBeInstanceOf(Uint8Array);
    expect(new Set(bits.frames[0].pixels)).toEqual(new Set([0, 1]));
  });

  it('converts YCbCr, RCT and palette colour to RGB and says so', async () => {
    for (const fixture of [
      'pydicom/SC_rgb_dcmtk_+eb+cy+np.dcm',
      'pydicom/SC_ybr_full_422_uncompressed.dcm',
      'pydicom/GDCMJ2K_TextGBR.dcm',
      'generated/rgb8_htj2k_lossless_rct.dcm',
      'generated/ybr_full_planar1.dcm',
      'generated/palette_color_16bit.dcm',
    ]) {
      const image = await decode(fixture);
      expect(image.photometricInterpretation, fixture).toBe('RGB');
      expect(image.samplesPerPixel).toBe(3);
      expect(image.frames[0].pixels.length).toBe(image.rows * image.columns * 3);
    }
    const palette = await decode('generated/palette_color_16bit.dcm');
    expect([palette.storedPhotometricInterpretation, palette.bitsStored]).toEqual(['PALETTE COLOR', 16]);
  });

  it('keeps MONOCHROME1 as stored so that the display pipeline inverts it', async () => {
    const image = await decode('generated/mono1_explicit_le.dcm');
    expect(image.photometricInterpretation).toBe('MONOCHROME1');
  });

  it('decodes only the selected frames, in order', async () => {
    const all = await decode('pydicom/rtdose_rle.dcm');
    const four = await decode('pydicom/rtdose_rle.dcm', 4);
    expect(four.frames.map((frame) => frame.frameIndex)).toEqual([0, 4, 9, 14]);
    four.frames.forEach((frame) => expect(frame.pixels).toEqual(all.frames[frame.frameIndex].pixels));
    const middle = await decode('pydicom/rtdose.dcm', 'middle');
    expect(middle.frames.map((frame) => frame.frameIndex)).toEqual([7]);
    expect(middle.frames[0].pixels).toEqual(all.frames[7].pixels);
  });

  it('never decodes the icon image', async () => {
    const image = await decode('generated/mono8_with_icon.dcm');
    expect([image.rows, image.columns, image.frames[0].pixels.length]).toEqual([32, 32, 32 * 32]);
    expect(open('generated/mono8_with_icon.dcm').sequence('IconImageSequence')).toHaveLength(1);
  });

  it('decodes a bare implicit VR data set (no preamble, no meta header) like its Part-10 original', async () => {
    const part10 = new Uint8Array(readFileSync(join(FIXTURES, 'pydicom/MR_small_implicit.dcm')));
    // PS3.10 §7.1: the meta group starts at 132 with its group length (UL, value at 140).
    const metaEnd = 144 + new DataView(part10.buffer, part10.byteOffset).getUint32(140, true);
    const bare = parseDicom(part10.subarray(metaEnd));
    expect(bare.transferSyntax.uid).toBe('1.2.840.10008.1.2');
    expect(samplesOf(await decodeFrames(bare))).toEqual(samplesOf(await decode('pydicom/MR_small_implicit.dcm')));
  });

  it('marks lossy transfer syntaxes', async () => {
    expect((await decode('pydicom/JPGExtended.dcm')).lossy).toBe(true);
    expect((await decode('pydicom/MR_small_jpeg_ls_lossless.dcm')).lossy).toBe(false);
  });
});

describe.runIf(requireOracle('pydicom'))('display inputs read as pydicom reads them', () => {
  it('gives each frame of an enhanced multi-frame image its functional-group rescale and window', async () => {
    const fixture = join(FIXTURES, 'generated/enhanced_mono12_functional_groups.dcm');
    const script = [
      'import json, sys, pydicom',
      'ds = pydicom.dcmread(sys.argv[1])',
      'shared = ds.SharedFunctionalGroupsSequence[0]',
      'out = []',
      'for item in ds.PerFrameFunctionalGroupsSequence:',
      '    t = item.PixelValueTransformationSequence[0]',
      '    voi = (item.FrameVOILUTSequence if "FrameVOILUTSequence" in item else shared.FrameVOILUTSequence)[0]',
      '    out.append([float(t.RescaleSlope), float(t.RescaleIntercept), float(voi.WindowCenter), float(voi.WindowWidth)])',
      'print(json.dumps(out))',
    ].join('\n');
    const expected = JSON.parse(runPython(script, [fixture]).stdout) as number[][];
    const image = await decode('generated/enhanced_mono12_functional_groups.dcm');
    const ours = image.frames.map((frame) => {
      if (frame.modalityLut.kind !== 'rescale') throw new Error('expected a rescale');
      return [frame.modalityLut.slope, frame.modalityLut.intercept, frame.voi.windows[0].center, frame.voi.windows[0].width];
    });
    expect(ours).toEqual(expected);
    expect(new Set(ours.map((values) => values.join()))).toHaveProperty('size', 3);
  });

  it('exposes the Modality LUT Sequence, VOI LUT Sequence, windows, VOI LUT Function and Presentation LUT Shape', async () => {
    const fixture = join(FIXTURES, 'generated/mono12_lut_sequences.dcm');
    const script = [
      'import json, sys, pydicom',
      'ds = pydicom.dcmread(sys.argv[1])',
      'm = ds.ModalityLUTSequence[0]; v = ds.VOILUTSequence[0]',
      'print(json.dumps({"modality": [list(m.LUTDescriptor), list(m.LUTData), m.ModalityLUTType],',
      '  "voi": [list(v.LUTDescriptor), list(v.LUTData), v.LUTExplanation],',
      '  "windows": [[float(c), float(w)] for c, w in zip(ds.WindowCenter, ds.WindowWidth)],',
      '  "function": ds.VOILUTFunction, "shape": ds.PresentationLUTShape}))',
    ].join('\n');
    const expected = JSON.parse(runPython(script, [fixture]).stdout) as {
      modality: [number[], number[], string];
      voi: [number[], number[], string];
      windows: number[][];
      function: string;
      shape: string;
    };
    const image = await decode('generated/mono12_lut_sequences.dcm');
    const [frame] = image.frames;
    if (frame.modalityLut.kind !== 'lut') throw new Error('expected the Modality LUT Sequence to win over rescale');
    const { lut } = frame.modalityLut;
    expect([lut.data.length, lut.firstMapped, lut.bitsPerEntry]).toEqual(expected.modality[0]);
    expect(Array.from(lut.data)).toEqual(expected.modality[1]);
    expect(frame.modalityLut.modalityLutType).toBe(expected.modality[2]);
    const voi = frame.voi.luts[0];
    expect([voi.data.length, voi.firstMapped, voi.bitsPerEntry]).toEqual(expected.voi[0]);
    expect(Array.from(voi.data)).toEqual(expected.voi[1]);
    expect(voi.explanation).toBe(expected.voi[2]);
    expect(frame.voi.windows.map((w) => [w.center, w.width])).toEqual(expected.windows);
    expect(frame.voi.windows.map((w) => w.explanation)).toEqual(['FULL', 'NARROW']);
    expect(frame.voi.voiLutFunction).toBe(expected.function);
    expect(image.presentationLutShape).toBe(expected.shape);
  });

  it('reads rescale slope and intercept of a CT', async () => {
    const image = await decode('pydicom/CT_small.dcm');
    const { stdout } = runPython('import sys, pydicom; ds = pydicom.dcmread(sys.argv[1]); print(float(ds.RescaleSlope), float(ds.RescaleIntercept))', [
      join(FIXTURES, 'pydicom/CT_small.dcm'),
    ]);
    const [slope, intercept] = stdout.trim().split(' ').map(Number);
    expect(image.frames[0].modalityLut).toMatchObject({ kind: 'rescale', slope, intercept });
  });
});

describe.runIf(requireOracle('openjph') && requireOracle('opj') && requireOracle('pydicom'))('reduced-resolution JPEG 2000 decoding', () => {
  it('skips wavelet levels exactly as opj_decompress -r and ojph_expand -skip_res do', async () => {
    const cases = [
      ['opj@1', 'generated/mono12_j2k_lossless.dcm', 1],
      ['opj@2', 'generated/mono12_j2k_lossless.dcm', 2],
      ['ojph@1', 'generated/mono12_htj2k_lossless.dcm', 1],
      ['ojph@2', 'generated/rgb8_htj2k_lossless_rct.dcm', 2],
    ] as const;
    const oracle = pydicomArrays(cases.map(([tool, fixture]) => `${tool}:${join(FIXTURES, fixture)}`));
    for (const [tool, fixture, level] of cases) {
      const reference = oracle.get(`${tool}:${join(FIXTURES, fixture)}`);
      expect(reference?.error, fixture).toBeUndefined();
      const image = await decodeFrames(open(fixture), 'all', { resolutionLevel: level });
      const full = open(fixture);
      expect(image.resolutionLevel).toBe(level);
      expect([image.rows, image.columns]).toEqual([
        Math.ceil((full.number('Rows') ?? 0) / 2 ** level),
        Math.ceil((full.number('Columns') ?? 0) / 2 ** level),
      ]);
      const difference = compareWithOracle(image, reference?.values ?? new Float64Array(0));
      expect(difference.maxAbs, `${fixture} at level ${level}`).toBe(0);
    }
  });

  it('decodes other syntaxes at full size whatever level is asked', async () => {
    const image = await decodeFrames(open('generated/mono12_jpegls_lossless.dcm'), 'middle', { resolutionLevel: 2 });
    expect([image.rows, image.columns, image.resolutionLevel]).toEqual([96, 83, 0]);
  });
});
