// The inputs of the display pipeline, read as plain values: Modality LUT (PS3.3 §C.11.1), VOI LUT
// (§C.11.2), Presentation LUT Shape (§C.11.6), and for enhanced multi-frame images their per-frame
// and shared functional groups (§C.7.6.16: Pixel Value Transformation, Frame VOI LUT). The
// precedence (per-frame, then shared, then the top level) is PS3.3 §C.7.6.16.1.
import type { DicomDataset } from './dicom-dataset';

export type ModalityLut =
  | { readonly kind: 'rescale'; readonly slope: number; readonly intercept: number; readonly rescaleType?: string }
  | { readonly kind: 'lut'; readonly lut: LookupTable; readonly modalityLutType?: string };

export interface LookupTable {
  /** The stored pixel value that maps to the first entry (Second value of LUT Descriptor). */
  readonly firstMapped: number;
  readonly bitsPerEntry: number;
  readonly data: Uint16Array;
  readonly explanation?: string;
}

export interface VoiWindow {
  readonly center: number;
  readonly width: number;
  readonly explanation?: string;
}

export interface VoiInputs {
  /** Window Center / Width pairs in file order (the first is the default, PS3.3 §C.11.2.1.2). */
  readonly windows: readonly VoiWindow[];
  /** VOI LUT Function (0028,1056): LINEAR when absent. */
  readonly voiLutFunction: string;
  /** VOI LUT Sequence items in file order. */
  readonly luts: readonly LookupTable[];
}

export interface DisplayInputs {
  readonly modalityLut: ModalityLut;
  readonly voi: VoiInputs;
}

/** Reads a LUT item: LUT Descriptor (entries, first mapped, bits) and LUT Data. */
export function readLookupTable(item: DicomDataset): LookupTable | undefined {
  const descriptor = item.numbers('LUTDescriptor');
  if (descriptor.length < 3 || !item.has('LUTData')) return undefined;
  // PS3.3 §C.11.1.1: 0 entries means 2^16; the count and bits are unsigned whatever the VR.
  const entries = (descriptor[0] & 0xffff) === 0 ? 65536 : descriptor[0] & 0xffff;
  const words = item.numbers('LUTData');
  const data = Uint16Array.from(words.slice(0, entries));
  return {
    firstMapped: descriptor[1],
    bitsPerEntry: descriptor[2] & 0xffff,
    data,
    explanation: item.string('LUTExplanation'),
  };
}

function readModalityLut(level: DicomDataset): ModalityLut | undefined {
  const lutItem = level.sequence('ModalityLUTSequence')[0];
  if (lutItem !== undefined) {
    const lut = readLookupTable(lutItem);
    if (lut !== undefined) return { kind: 'lut', lut, modalityLutType: lutItem.string('ModalityLUTType') };
  }
  const slope = level.number('RescaleSlope');
  const intercept = level.number('RescaleIntercept');
  if (slope === undefined && intercept === undefined) return undefined;
  return { kind: 'rescale', slope: slope ?? 1, intercept: intercept ?? 0, rescaleType: level.string('RescaleType') };
}

function readVoi(level: DicomDataset): VoiInputs | undefined {
  const centers = level.numbers('WindowCenter');
  const widths = level.numbers('WindowWidth');
  const explanations = level.strings('WindowCenterWidthExplanation');
  const windows: VoiWindow[] = [];
  for (let i = 0; i < Math.min(centers.length, widths.length); i++) {
    windows.push({ center: centers[i], width: widths[i], explanation: explanations[i] });
  }
  const luts = level.sequence('VOILUTSequence').flatMap((item) => readLookupTable(item) ?? []);
  if (windows.length === 0 && luts.length === 0) return undefined;
  return { windows, luts, voiLutFunction: level.string('VOILUTFunction') ?? 'LINEAR' };
}

const IDENTITY: ModalityLut = { kind: 'rescale', slope: 1, intercept: 0 };
const NO_VOI: VoiInputs = { windows: [], luts: [], voiLutFunction: 'LINEAR' };

/**
 * Reads the Modality LUT and VOI inputs of frames (0-based), functional groups first. The per-frame
 * items are read once, so asking for each of thousands of frames stays linear.
 */
export function displayInputsReader(dataset: DicomDataset): (frameIndex: number) => DisplayInputs {
  const perFrameItems = dataset.sequence('PerFrameFunctionalGroupsSequence');
  const shared = dataset.sequence('SharedFunctionalGroupsSequence')[0];
  const topLevel = { modalityLut: readModalityLut(dataset), voi: readVoi(dataset) };
  return (frameIndex) => displayInputsOf(perFrameItems[frameIndex], shared, topLevel);
}

function displayInputsOf(
  perFrame: DicomDataset | undefined,
  shared: DicomDataset | undefined,
  topLevel: { modalityLut: ModalityLut | undefined; voi: VoiInputs | undefined },
): DisplayInputs {
  const levels = (sequence: 'PixelValueTransformationSequence' | 'FrameVOILUTSequence') =>
    [perFrame?.sequence(sequence)[0], shared?.sequence(sequence)[0]].filter((x): x is DicomDataset => x !== undefined);
  const modalityLut =
    levels('PixelValueTransformationSequence').map(readModalityLut).find((x) => x !== undefined) ??
    topLevel.modalityLut ??
    IDENTITY;
  const voi = levels('FrameVOILUTSequence').map(readVoi).find((x) => x !== undefined) ?? topLevel.voi ?? NO_VOI;
  return { modalityLut, voi };
}
