// @qoq/imaging: the display pipeline (Modality LUT, VOI, presentation), resize and PNG encoding, and
// the ingest:dicom stage that runs them over DICOM datasets.
export { renderDisplayImage, DisplayError, type AppliedWindow, type DisplayImage, type DisplayFrameInput, type DisplayImageInput } from './display-image';
export { lookUp, minMaxWindow, modalityFunction, voiFunctionName, voiLutFunction, windowFunction, type VoiFunctionName } from './voi-lut';
export { WINDOW_PRESETS, DEFAULT_PERCENTILES, parseWindowChoice, windowChoiceFromCatalog, type NamedWindow, type WindowChoice } from './window-presets';
export { DEFAULT_MAX_PIXELS, RESIZE_KERNEL, encodePng, resolutionLevelFor, targetSize, type ImageSize } from './png-encoding';
export { runDicomStage, DICOM_TABLE_COLUMNS, DICOM_PROVENANCE_COLUMNS, type DicomStageIo } from './dicom-stage';
export { DICOM_STAGE_USAGE } from './dicom-stage-options';
export { renderDicomImage, type RenderedFrame, type RenderedImage } from './dicom-rendering';
export type { DicomRenderOptions } from './dicom-stage-types';
export { runImageStage, IMAGE_TABLE_COLUMNS, IMAGE_PROVENANCE_COLUMNS, type ImageStageIo } from './image-stage';
export { IMAGE_STAGE_USAGE } from './image-stage-options';
export {
  ImageError,
  IMAGE_FILE_EXTENSIONS,
  decodeImageBytes,
  isImageFileCandidate,
  normalizeImageBytes,
  normalizeImageFile,
  sniffImageFormat,
  type DecodedSourceImage,
  type ImageErrorCode,
  type ImageNormalizeOptions,
  type NormalizedImage,
  type SourceImageFormat,
  type SourceImageInfo,
} from './image-file-decoding';
export { renderMaskPng, resizeNearest } from './mask-rendering';
export { iccProfileDescription } from './icc-profile';
export { orientPoint, orientedSize, storedBoxToOutput, type ExifOrientation, type ImageGeometry } from './exif-orientation';
