// One source sample + its normalized media → one instruction pair (design.md "The corpus").
import type { SourceBox, SourceSample } from '@qoq/adapters';
import { INSTRUCTION_PAIR_SCHEMA_VERSION, type Catalog, type InstructionPair, type Split } from '@qoq/catalog';
import { storedBoxToOutput, type ExifOrientation } from '@qoq/imaging';
import type { IngestedMedia } from './stage-media-index';

export type PixelBox = readonly [number, number, number, number];

/**
 * The one gold box of a row (the official `bbox` holds one): among the boxes whose label is one of the
 * row's labels (all boxes if none is), the one of the earliest label in catalog order; among that label's
 * boxes the largest; ties by coordinates. The other boxes stay in the source; a user who needs every box
 * uses `segmentation_path` or the adapters directly.
 */
export function selectGoldBox(boxes: readonly SourceBox[], labels: readonly string[], labelSet: readonly string[]): SourceBox | null {
  if (boxes.length === 0) return null;
  const ofLabels = boxes.filter((box) => labels.includes(box.label));
  const candidates = ofLabels.length > 0 ? ofLabels : boxes;
  const rank = (box: SourceBox) => {
    const at = labelSet.indexOf(box.label);
    return at < 0 ? labelSet.length : at;
  };
  const area = (box: SourceBox) => Math.max(0, box.x_max - box.x_min) * Math.max(0, box.y_max - box.y_min);
  return [...candidates].sort(
    (a, b) => rank(a) - rank(b) || area(b) - area(a) || a.x_min - b.x_min || a.y_min - b.y_min || a.x_max - b.x_max || a.y_max - b.y_max,
  )[0];
}

/**
 * A box in source (stored) pixels → pixels of the written image: oriented as the images stage oriented
 * the pixels (EXIF), scaled, rounded and clamped to the image.
 */
export function scaleBox(
  box: SourceBox,
  media: Pick<IngestedMedia, 'sourceWidth' | 'sourceHeight' | 'outputWidth' | 'outputHeight'> & { exifOrientation?: number },
): PixelBox | null {
  const { sourceWidth, sourceHeight, outputWidth, outputHeight } = media;
  if (sourceWidth === null || sourceHeight === null || outputWidth === null || outputHeight === null || sourceWidth <= 0 || sourceHeight <= 0) return null;
  const ordered: [number, number, number, number] = [Math.min(box.x_min, box.x_max), Math.min(box.y_min, box.y_max), Math.max(box.x_min, box.x_max), Math.max(box.y_min, box.y_max)];
  const [x1, y1, x2, y2] = storedBoxToOutput(ordered, { sourceWidth, sourceHeight, outputWidth, outputHeight, exifOrientation: (media.exifOrientation ?? 1) as ExifOrientation });
  const clamp = (value: number, limit: number) => Math.min(Math.max(Math.round(value), 0), limit);
  return [clamp(x1, outputWidth), clamp(y1, outputHeight), clamp(x2, outputWidth), clamp(y2, outputHeight)];
}

/**
 * The images of a row from the media of its source files: every written frame for datasets sampled as
 * N uniform frames (the DICOM stage already chose them), else one image per source file (the middle
 * frame of a multi-frame file: RSPECT's labelled slice sits in the middle of its slab).
 */
export function rowImages(catalog: Catalog, datasetKey: string, media: readonly IngestedMedia[]): string[] {
  const frames = catalog.dataset(datasetKey).frames;
  const images: string[] = [];
  for (const item of media) {
    if (frames?.kind === 'uniform') images.push(...item.mediaPaths);
    else images.push(item.mediaPaths[Math.floor((item.mediaPaths.length - 1) / 2)]);
  }
  return images;
}

export interface PairRowInput {
  readonly sample: SourceSample;
  readonly media: readonly IngestedMedia[];
  readonly id: string;
  readonly patientKey: string;
  readonly split: Split;
  readonly segmentationPath: string | null;
}

/** The row; media paths are the stages' (`<modality>/<dataset>/<name>.<ext>`), copied as they are into the corpus. */
export function buildPairRow(catalog: Catalog, input: PairRowInput): InstructionPair {
  const { sample, media } = input;
  const spec = catalog.dataset(sample.datasetKey);
  const isEcg = spec.media_kind === 'ecg';
  const images = isEcg ? [] : rowImages(catalog, sample.datasetKey, media);
  // An ECG row holds the record's first window: records longer than the window are cut by ingest:ecg, and
  // the label belongs to the whole record, which a 10 s window represents (PTB-XL and PhysioNet are 10 s).
  const timeSeries = isEcg ? [media[0].mediaPaths[0]] : null;
  const labels = catalog.inCatalogOrder(sample.datasetKey, sample.labels);
  const gold = selectGoldBox(sample.boxes, labels, spec.label_set);
  const bbox = gold === null || isEcg ? null : scaleBox(gold, media[0]);
  return {
    problem: catalog.renderPrompt(sample.datasetKey, isEcg ? { timeSeriesCount: 1 } : { imageCount: images.length }),
    answer: catalog.answerFor(sample.datasetKey, labels),
    images,
    'time-series': timeSeries,
    dataset: spec.dataset,
    bbox: bbox === null ? null : [bbox[0], bbox[1], bbox[2], bbox[3]],
    segmentation_path: input.segmentationPath,
    id: input.id,
    dataset_key: sample.datasetKey,
    domain: spec.domain,
    modality: spec.modality,
    split: input.split,
    patient_key: input.patientKey,
    labels,
    label_set: [...spec.label_set],
    source_sha256: media[0].sourceSha256,
    schema_version: INSTRUCTION_PAIR_SCHEMA_VERSION,
  };
}
