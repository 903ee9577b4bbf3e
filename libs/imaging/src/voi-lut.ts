// The grayscale transforms of PS3.3 §C.11 as functions of one value: Modality LUT (§C.11.1: rescale
// or LUT), VOI LUT (§C.11.2: LINEAR, LINEAR_EXACT, SIGMOID windows, or a LUT), with 8-bit output
// (ymin = 0, ymax = 255). The display pipeline tabulates them once per stored value.
import type { LookupTable, ModalityLut } from '@qoq/dicom';

export const Y_MAX = 255;

/** Applies a LUT (PS3.3 §C.11.1.1): inputs below the first mapped value take the first entry, above the last the last. */
export function lookUp(lut: LookupTable, input: number): number {
  const index = Math.round(input) - lut.firstMapped;
  const last = lut.data.length - 1;
  return lut.data[index < 0 ? 0 : index > last ? last : index];
}

/** Modality LUT (PS3.3 §C.11.1): stored value → modality value (HU for CT). */
export function modalityFunction(modalityLut: ModalityLut): (stored: number) => number {
  if (modalityLut.kind === 'lut') {
    const lut = modalityLut.lut;
    return (stored) => lookUp(lut, stored);
  }
  const { slope, intercept } = modalityLut;
  return (stored) => stored * slope + intercept;
}

export type VoiFunctionName = 'LINEAR' | 'LINEAR_EXACT' | 'SIGMOID';

/** VOI LUT Function (0028,1056); anything unknown is read as LINEAR, the default (§C.11.2.1.3). */
export function voiFunctionName(text: string | undefined): VoiFunctionName {
  const name = (text ?? '').trim().toUpperCase();
  return name === 'LINEAR_EXACT' || name === 'SIGMOID' ? name : 'LINEAR';
}

/**
 * A window as a function from modality value to [0, 255] (not rounded).
 * LINEAR, PS3.3 §C.11.2.1.2.1:
 *   x ≤ c − 0.5 − (w − 1)/2 → ymin;  x > c − 0.5 + (w − 1)/2 → ymax;
 *   else ((x − (c − 0.5)) / (w − 1) + 0.5) · (ymax − ymin) + ymin          (w ≥ 1)
 * LINEAR_EXACT, §C.11.2.1.3.2: x ≤ c − w/2 → ymin; x > c + w/2 → ymax; else ((x − c)/w + 0.5)·(ymax − ymin) + ymin  (w > 0)
 * SIGMOID, §C.11.2.1.3.1: (ymax − ymin) / (1 + exp(−4 (x − c)/w)) + ymin  (w > 0)
 */
export function windowFunction(center: number, width: number, name: VoiFunctionName): (x: number) => number {
  if (name === 'SIGMOID') {
    const w = width > 0 ? width : 1;
    return (x) => Y_MAX / (1 + Math.exp((-4 * (x - center)) / w));
  }
  if (name === 'LINEAR_EXACT') {
    const w = width > 0 ? width : Number.MIN_VALUE;
    const low = center - w / 2;
    const high = center + w / 2;
    return (x) => (x <= low ? 0 : x > high ? Y_MAX : ((x - center) / w + 0.5) * Y_MAX);
  }
  // A LINEAR width below 1 is invalid (§C.11.2.1.2.1); read as 1, a threshold at c − 0.5.
  const w = width >= 1 ? width : 1;
  const low = center - 0.5 - (w - 1) / 2;
  const high = center - 0.5 + (w - 1) / 2;
  return (x) => (x <= low ? 0 : x > high ? Y_MAX : ((x - (center - 0.5)) / (w - 1) + 0.5) * Y_MAX);
}

/** VOI LUT (§C.11.2.1.1): modality value → LUT entry, scaled from the entry range 0 … 2^bits − 1 to [0, 255]. */
export function voiLutFunction(lut: LookupTable): (x: number) => number {
  const entryMax = 2 ** Math.min(Math.max(lut.bitsPerEntry, 1), 16) - 1;
  return (x) => (lookUp(lut, x) / entryMax) * Y_MAX;
}

/**
 * The window dcmtk's min-max algorithm sets (DiMonoPixelTemplate::getMinMaxWindow): c = (min + max + 1)/2,
 * w = max − min + 1, which with LINEAR maps min to 0 and max to 255 exactly.
 */
export function minMaxWindow(min: number, max: number): { center: number; width: number } {
  return { center: (min + max + 1) / 2, width: max - min + 1 };
}
