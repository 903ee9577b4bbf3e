// Burned-in text (PS3.15 §E.1.1: the Basic Profile does not clean pixel data, so identifying text drawn
// into the pixels survives it). Without a Clean Pixel Data step, such images are refused: those flagged
// Burned In Annotation = YES (PS3.3 C.7.6.1.1.4), and by default every ultrasound and secondary-capture
// image, whose pixels habitually carry names and dates (scanner overlays, screenshots).
import { deidError } from './deid-error';
import { firstText, type DataSetTree } from './element-tree';

const BURNED_IN_ANNOTATION = '00280301';
const MODALITY = '00080060';
const SOP_CLASS_UID = '00080016';
const MEDIA_STORAGE_SOP_CLASS_UID = '00020002';

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

/** Throws DEID_BURNED_IN when the image may carry burned-in text. */
export function rejectBurnedIn(dataSet: DataSetTree, path?: string): void {
  if (firstText(dataSet, BURNED_IN_ANNOTATION)?.toUpperCase() === 'YES') {
    throw deidError('DEID_BURNED_IN', 'Burned In Annotation is YES: the pixels carry text (use --allow-burned-in after cleaning them).', path);
  }
  if (firstText(dataSet, MODALITY)?.toUpperCase() === 'US') {
    throw deidError('DEID_BURNED_IN', 'Ultrasound images usually carry burned-in text; refused unless --allow-burned-in.', path);
  }
  const sopClass = firstText(dataSet, SOP_CLASS_UID) ?? firstText(dataSet, MEDIA_STORAGE_SOP_CLASS_UID);
  const kind = sopClass === undefined ? undefined : BURNED_IN_PRONE_SOP_CLASSES.get(sopClass);
  if (kind !== undefined) {
    throw deidError('DEID_BURNED_IN', `${kind} images usually carry burned-in text; refused unless --allow-burned-in.`, path);
  }
}
