// The display pipeline as a radiologist would check it: air is black, HU windows land where the
// presets say, the header's VOI precedence holds, and colour passes through.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { decodeFrames, parseDicom, type LookupTable, type ModalityLut, type VoiInputs } from '@qoq/dicom';
import { describe, expect, it } from 'vitest';
import { renderDisplayImage, type DisplayFrameInput, type DisplayImageInput } from './display-image';
import { WINDOW_PRESETS, parseWindowChoice, type WindowChoice } from './window-presets';

const fixtures = fileURLToPath(new URL('../../dicom/test-fixtures/', import.meta.url));
const NO_VOI: VoiInputs = { windows: [], luts: [], voiLutFunction: 'LINEAR' };
const IDENTITY: ModalityLut = { kind: 'rescale', slope: 1, intercept: 0 };

function grey(
  pixels: Int16Array | Uint16Array | Float32Array,
  options: { photometric?: string; modalityLut?: ModalityLut; voi?: VoiInputs; shape?: string; window?: WindowChoice } = {},
): number[] {
  const image: DisplayImageInput = {
    rows: 1,
    columns: pixels.length,
    samplesPerPixel: 1,
    photometricInterpretation: options.photometric ?? 'MONOCHROME2',
    bitsStored: 16,
    presentationLutShape: options.shape,
  };
  const frame: DisplayFrameInput = { pixels, modalityLut: options.modalityLut ?? IDENTITY, voi: options.voi ?? NO_VOI };
  return [...renderDisplayImage(image, frame, options.window ?? { kind: 'header' }).pixels];
}

describe('MONOCHROME1 and Presentation LUT Shape', () => {
  it('inverts MONOCHROME1 so that air is black', () => {
    // A MONOCHROME1 radiograph: the most exposed detector area (air, direct beam) has the highest
    // stored value and must display black; bone (little exposure, lowest value) white.
    const [bone, tissue, air] = grey(Uint16Array.of(200, 2000, 4000), { photometric: 'MONOCHROME1' });
    expect(air).toBe(0);
    expect(bone).toBe(255);
    expect(tissue).toBeGreaterThan(0);
    expect(tissue).toBeLessThan(255);
  });

  it('renders a real MONOCHROME1 file as the exact negative of the same pixels read as MONOCHROME2', async () => {
    const dataset = parseDicom(new Uint8Array(await readFile(`${fixtures}generated/mono1_explicit_le.dcm`)));
    const image = await decodeFrames(dataset, 'all');
    expect(image.photometricInterpretation).toBe('MONOCHROME1');
    const asStored = renderDisplayImage(image, image.frames[0], { kind: 'minmax' }).pixels;
    const asMonochrome2 = renderDisplayImage({ ...image, photometricInterpretation: 'MONOCHROME2' }, image.frames[0], { kind: 'minmax' }).pixels;
    expect(asStored.some((value, i) => value !== asMonochrome2[i])).toBe(true);
    expect(asStored.every((value, i) => value === 255 - asMonochrome2[i])).toBe(true);
  });

  it('inverts MONOCHROME2 with Presentation LUT Shape INVERSE, and MONOCHROME1 + INVERSE only once (PS3.3 §C.8.11.1.1.1)', () => {
    const pixels = Uint16Array.of(0, 1000, 3000, 4095);
    const identity = grey(pixels);
    expect(grey(pixels, { shape: 'INVERSE' })).toEqual(identity.map((value) => 255 - value));
    expect(grey(pixels, { photometric: 'MONOCHROME1', shape: 'INVERSE' })).toEqual(grey(pixels, { photometric: 'MONOCHROME1' }));
    expect(grey(pixels, { shape: 'IDENTITY' })).toEqual(identity);
  });
});

describe('Modality LUT then window: CT in Hounsfield units', () => {
  const hu = (values: number[], slope: number, intercept: number) => Int16Array.from(values, (v) => Math.round((v - intercept) / slope));
  const lung = { kind: 'fixed', ...WINDOW_PRESETS['lung'], name: 'lung' } as const;

  it('rescales stored values to HU, then the lung preset W1500/L−600 spans −1350 … +150 HU', () => {
    for (const [slope, intercept] of [[1, -1024], [2, -2048], [0.5, -1000]]) {
      const modalityLut: ModalityLut = { kind: 'rescale', slope, intercept };
      const [below, lower, middle, justBelowTop, upper, bone] = grey(hu([-2000, -1350, -600, 140, 150, 1000], slope, intercept), { modalityLut, window: lung });
      expect([below, lower, upper, bone]).toEqual([0, 0, 255, 255]);
      expect(justBelowTop).toBeLessThan(255);
      // −600 HU is the centre: (−600 − (−600.5))/1499 + 0.5 of full scale.
      expect(middle).toBe(Math.round((0.5 / 1499 + 0.5) * 255));
    }
  });

  it('shows air black and dense bone white in the mediastinum window, with fat darker than muscle', () => {
    const modalityLut: ModalityLut = { kind: 'rescale', slope: 1, intercept: -1024 };
    const [air, fat, muscle, bone] = grey(hu([-1000, -100, 50, 700], 1, -1024), { modalityLut, window: parseWindowChoice('mediastinum') });
    expect(air).toBe(0);
    expect(bone).toBe(255);
    expect(fat).toBeLessThan(muscle);
  });

  it('maps through a Modality LUT Sequence before the window (PS3.3 §C.11.1)', () => {
    const lut: LookupTable = { firstMapped: 10, bitsPerEntry: 16, data: Uint16Array.of(100, 200, 300, 400) };
    const window = { kind: 'fixed', center: 250.5, width: 200, name: 'test' } as const;
    // Stored 10 → 100, 11 → 200 …; below the first mapped value the first entry, past the end the last.
    const out = grey(Uint16Array.of(0, 10, 11, 12, 13, 99), { modalityLut: { kind: 'lut', lut }, window });
    expect(out).toEqual(grey(Uint16Array.of(100, 100, 200, 300, 400, 400), { window }));
  });
});

describe('VOI precedence with --window=header', () => {
  const windows = [{ center: 100, width: 50 }, { center: 2000, width: 4000 }];
  const lut: LookupTable = { firstMapped: 0, bitsPerEntry: 8, data: Uint16Array.from({ length: 256 }, (_, i) => 255 - i) };
  const pixels = Uint16Array.of(0, 100, 125, 255);

  it('uses the VOI LUT Sequence first', () => {
    expect(grey(pixels, { voi: { windows, luts: [lut], voiLutFunction: 'LINEAR' } })).toEqual([255, 155, 130, 0]);
  });

  it('else the first Window Center/Width, with its VOI LUT Function', () => {
    const first = grey(pixels, { voi: { windows, luts: [], voiLutFunction: 'LINEAR' } });
    expect(first).toEqual(grey(pixels, { window: { kind: 'fixed', center: 100, width: 50, name: 'x' } }));
    const sigmoid = grey(pixels, { voi: { windows, luts: [], voiLutFunction: 'SIGMOID' } });
    expect(sigmoid[1]).toBe(128);
    // One half-width above the centre: LINEAR saturates, SIGMOID gives 255/(1 + e^−2) ≈ 224.6.
    expect(first[2]).toBe(255);
    expect(sigmoid[2]).toBe(225);
  });

  it('else the min-max window', () => {
    expect(grey(Uint16Array.of(500, 600, 700))).toEqual([0, 128, 255]);
  });

  it('is overridden by a preset or an explicit window', () => {
    const voi: VoiInputs = { windows, luts: [lut], voiLutFunction: 'LINEAR' };
    expect(grey(pixels, { voi, window: parseWindowChoice('100,50') })).toEqual(grey(pixels, { voi: { windows, luts: [], voiLutFunction: 'LINEAR' } }));
  });
});

describe('data-driven windows', () => {
  it('percentile ignores a few hot pixels that min-max lets dominate', () => {
    const pixels = new Uint16Array(1000).map((_, i) => 1000 + (i % 100));
    pixels[0] = 60000;
    const minmax = grey(pixels, { window: { kind: 'minmax' } });
    const percentile = grey(pixels, { window: parseWindowChoice('percentile') });
    expect(Math.max(...minmax.slice(1))).toBeLessThan(5);
    expect(Math.max(...percentile.slice(1))).toBe(255);
    expect(percentile[0]).toBe(255);
  });

  it('gives the same image from float pixel data as from the same integers', () => {
    const values = [-1024, -500, 0, 40, 80, 1200, 3071];
    const modalityLut: ModalityLut = { kind: 'rescale', slope: 1.5, intercept: -20 };
    for (const window of [{ kind: 'minmax' }, { kind: 'header' }, parseWindowChoice('brain')] as WindowChoice[]) {
      expect(grey(Float32Array.from(values), { modalityLut, window })).toEqual(grey(Int16Array.from(values), { modalityLut, window }));
    }
  });
});

describe('colour', () => {
  it('passes 8-bit RGB through untouched and keeps the top 8 bits of deeper RGB, whatever the window', () => {
    const rgb8 = Uint8Array.of(0, 128, 255, 10, 20, 30);
    const image: DisplayImageInput = { rows: 1, columns: 2, samplesPerPixel: 3, photometricInterpretation: 'RGB', bitsStored: 8 };
    const out = renderDisplayImage(image, { pixels: rgb8, modalityLut: IDENTITY, voi: NO_VOI }, parseWindowChoice('lung') as WindowChoice);
    expect(out.channels).toBe(3);
    expect([...out.pixels]).toEqual([...rgb8]);
    const rgb16 = Uint16Array.of(0, 0x8000, 0xffff, 0x0100, 0x00ff, 0x1234);
    const deep = renderDisplayImage({ ...image, bitsStored: 16 }, { pixels: rgb16, modalityLut: IDENTITY, voi: NO_VOI }, { kind: 'header' });
    expect([...deep.pixels]).toEqual([0, 0x80, 0xff, 0x01, 0x00, 0x12]);
  });

  it('refuses a colour space the decoder left as stored, as a typed error', () => {
    const image: DisplayImageInput = { rows: 1, columns: 1, samplesPerPixel: 3, photometricInterpretation: 'YBR_PARTIAL_420', bitsStored: 8 };
    expect(() => renderDisplayImage(image, { pixels: Uint8Array.of(1, 2, 3), modalityLut: IDENTITY, voi: NO_VOI }, { kind: 'header' })).toThrow(
      expect.objectContaining({ code: 'IMAGING_UNSUPPORTED_PHOTOMETRIC' }),
    );
  });
});

describe('--window', () => {
  it('parses header, minmax, percentile, the presets and <center>,<width>; rejects the rest', () => {
    expect(parseWindowChoice('header')).toEqual({ kind: 'header' });
    expect(parseWindowChoice('minmax')).toEqual({ kind: 'minmax' });
    expect(parseWindowChoice('percentile')).toMatchObject({ kind: 'percentile', low: 0.5, high: 99.5 });
    expect(parseWindowChoice('lung')).toEqual({ kind: 'fixed', center: -600, width: 1500, name: 'lung' });
    expect(parseWindowChoice('-600,1500')).toEqual({ kind: 'fixed', center: -600, width: 1500, name: '-600,1500' });
    for (const bad of ['lungs', '40', '40,0', '40,-5', 'toString', '']) expect(parseWindowChoice(bad), bad).toBeUndefined();
  });
});
