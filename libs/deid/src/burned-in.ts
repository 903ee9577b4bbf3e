// Burned-in text (PS3.15 §E.1.1: the Basic Profile does not clean pixel data, so identifying text drawn
// into the pixels survives it). Without a Clean Pixel Data step, the header is screened for the kinds of
// image that carry such text, and the policy decides which are refused:
//   flagged  Burned In Annotation = YES (PS3.3 §C.7.6.1.1.4), every ultrasound image (scanner overlays
//            with name and date, on nearly every frame), images whose Image Type names a screen
//            capture (SCREEN SAVE, SCREENSHOT, DOSE REPORT / DOSE INFO pages), and the secondary-capture
//            SOP classes (screenshots, scanned documents, annotated key images) unless the header says
//            Burned In Annotation = NO.
//   strict   also Image Type value 2 SECONDARY (created after the examination: reformats, MIPs, key
//            images — common and mostly text-free, hence not refused by flagged) unless Burned In
//            Annotation = NO.
//   allow    nothing refused (the pixels were cleaned upstream); the risk is still reported.
// Image Type DERIVED alone (subtractions, MIPs, reformats) is not a risk of its own: the text risk of a
// derived image is that it is a screen capture, which the rules above catch.
import { deidError } from './deid-error';
import { firstText, textValues, type DataSetTree } from './element-tree';

const BURNED_IN_ANNOTATION = '00280301';
const IMAGE_TYPE = '00080008';
const MODALITY = '00080060';
const SOP_CLASS_UID = '00080016';
const MEDIA_STORAGE_SOP_CLASS_UID = '00020002';

/** Which images are refused; see the file comment. */
export type BurnedInPolicy = 'flagged' | 'strict' | 'allow';

export type BurnedInReason = 'annotation-yes' | 'ultrasound' | 'screen-capture' | 'secondary-capture' | 'secondary-image';

export interface BurnedInRisk {
  readonly reason: BurnedInReason;
  /** The weakest policy that refuses it: `flagged` (refused by flagged and strict) or `strict`. */
  readonly refusedFrom: Exclude<BurnedInPolicy, 'allow'>;
  readonly message: string;
}

const ULTRASOUND_SOP_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.6.1', // Ultrasound Image Storage
  '1.2.840.10008.5.1.4.1.1.6.2', // Enhanced US Volume Storage
  '1.2.840.10008.5.1.4.1.1.3.1', // Ultrasound Multi-frame Image Storage
  '1.2.840.10008.5.1.4.1.1.6', // Ultrasound Image Storage (Retired)
  '1.2.840.10008.5.1.4.1.1.3', // Ultrasound Multi-frame Image Storage (Retired)
]);

/** PS3.4 Annex B.5: the Secondary Capture and Ultrasound storage SOP classes. */
export const BURNED_IN_PRONE_SOP_CLASSES: ReadonlyMap<string, string> = new Map([
  ['1.2.840.10008.5.1.4.1.1.7', 'Secondary Capture Image Storage'],
  ['1.2.840.10008.5.1.4.1.1.7.1', 'Multi-frame Single Bit Secondary Capture Image Storage'],
  ['1.2.840.10008.5.1.4.1.1.7.2', 'Multi-frame Grayscale Byte Secondary Capture Image Storage'],
  ['1.2.840.10008.5.1.4.1.1.7.3', 'Multi-frame Grayscale Word Secondary Capture Image Storage'],
  ['1.2.840.10008.5.1.4.1.1.7.4', 'Multi-frame True Color Secondary Capture Image Storage'],
  ['1.2.840.10008.5.1.4.1.1.6.1', 'Ultrasound Image Storage'],
  ['1.2.840.10008.5.1.4.1.1.6.2', 'Enhanced US Volume Storage'],
  ['1.2.840.10008.5.1.4.1.1.3.1', 'Ultrasound Multi-frame Image Storage'],
  ['1.2.840.10008.5.1.4.1.1.6', 'Ultrasound Image Storage (Retired)'],
  ['1.2.840.10008.5.1.4.1.1.3', 'Ultrasound Multi-frame Image Storage (Retired)'],
]);

/** Image Type values (usually value 3 or later) that vendors use for screen captures and dose pages. */
const SCREEN_CAPTURE_TYPES = /^(?:SCREEN[ _]?(?:SAVE|SHOT|CAPTURE)|DOSE[ _]?(?:REPORT|INFO|SR))$/;

/** What the header says about text in the pixels; null when nothing does. */
export function screenBurnedIn(dataSet: DataSetTree): BurnedInRisk | null {
  const annotation = firstText(dataSet, BURNED_IN_ANNOTATION)?.toUpperCase();
  if (annotation === 'YES') {
    return { reason: 'annotation-yes', refusedFrom: 'flagged', message: 'Burned In Annotation is YES: the pixels carry text (use --allow-burned-in after cleaning them).' };
  }
  const sopClass = firstText(dataSet, SOP_CLASS_UID) ?? firstText(dataSet, MEDIA_STORAGE_SOP_CLASS_UID);
  if (firstText(dataSet, MODALITY)?.toUpperCase() === 'US' || (sopClass !== undefined && ULTRASOUND_SOP_CLASSES.has(sopClass))) {
    return { reason: 'ultrasound', refusedFrom: 'flagged', message: 'Ultrasound images usually carry burned-in text; refused unless --allow-burned-in.' };
  }
  const imageType = textValues(dataSet, IMAGE_TYPE).map((value) => value.toUpperCase());
  if (imageType.some((value) => SCREEN_CAPTURE_TYPES.test(value))) {
    return { reason: 'screen-capture', refusedFrom: 'flagged', message: 'Image Type names a screen capture, whose pixels carry text; refused unless --allow-burned-in.' };
  }
  // The header's own statement that there is no text settles the merely probable cases.
  if (annotation === 'NO') return null;
  const kind = sopClass === undefined ? undefined : BURNED_IN_PRONE_SOP_CLASSES.get(sopClass);
  if (kind !== undefined) {
    return { reason: 'secondary-capture', refusedFrom: 'flagged', message: `${kind} images usually carry burned-in text; refused unless --allow-burned-in.` };
  }
  if (imageType[1] === 'SECONDARY') {
    return { reason: 'secondary-image', refusedFrom: 'strict', message: 'Image Type SECONDARY (made after the examination) may carry burned-in text; refused unless --allow-burned-in.' };
  }
  return null;
}

/** Screens the header and throws DEID_BURNED_IN when the policy refuses what it found. */
export function rejectBurnedIn(dataSet: DataSetTree, policy: BurnedInPolicy, path?: string): BurnedInRisk | null {
  const risk = screenBurnedIn(dataSet);
  if (risk !== null && policy !== 'allow' && (policy === 'strict' || risk.refusedFrom === 'flagged')) {
    throw deidError('DEID_BURNED_IN', risk.message, path);
  }
  return risk;
}
