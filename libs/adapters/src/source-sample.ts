// What an adapter yields (../shared/design.md "Data flow": raw sources ──adapters──▶ source samples).
import type { MediaKind, RawCode, Split } from '@qoq/catalog';

/** A gold box in pixels of the source image (before any resize), `label` an answer of the catalog. */
export interface SourceBox {
  x_min: number;
  y_min: number;
  x_max: number;
  y_max: number;
  label: string;
}

export type AttributeValue = string | number | boolean | null;

/** One unit of the corpus before normalization: one row of instruction pairs later. */
export interface SourceSample {
  datasetKey: string;
  mediaKind: MediaKind;
  /** Paths relative to the dataset folder, '/'-separated; WFDB records are named without extension. */
  media: string[];
  /** Answers in catalog order (label_set). */
  labels: string[];
  /** The raw codes the labels came from, for audit. */
  rawCodes: RawCode[];
  boxes: SourceBox[];
  /** Segmentation masks, relative paths. */
  masks: string[];
  /** The source's own patient identifier (salted later, never here). */
  patientKey: string;
  officialSplit: Split | null;
  attributes: Record<string, AttributeValue>;
}

export type AdapterRejectCode =
  | 'ADAPTER_MALFORMED_ROW'
  | 'ADAPTER_MEDIA_MISSING'
  | 'ADAPTER_AMBIGUOUS_MEDIA'
  | 'ADAPTER_UNKNOWN_LABEL'
  | 'ADAPTER_NO_LABEL'
  | 'ADAPTER_BAD_VALUE'
  | 'ADAPTER_MASK_MISSING'
  | 'ADAPTER_MASK_UNREADABLE'
  | 'ADAPTER_BAD_HEADER';

/** One unusable input; `path` is relative to the dataset folder (a CSV, a media file or a folder). */
export interface AdapterReject {
  code: AdapterRejectCode;
  message: string;
  path: string;
}

export type AdapterItem = { kind: 'sample'; sample: SourceSample } | { kind: 'reject'; reject: AdapterReject };

export type AdapterErrorCode =
  | 'ADAPTER_CSV_MISSING'
  | 'ADAPTER_CSV_COLUMN_MISSING'
  | 'ADAPTER_FOLDER_MISSING'
  | 'ADAPTER_LAYOUT_UNSUPPORTED'
  | 'ADAPTER_BAD_OPTION';

/** A whole dataset cannot be read (a required CSV or column is missing): thrown by the iterator. */
export class AdapterError extends Error {
  constructor(
    readonly code: AdapterErrorCode,
    message: string,
    readonly path: string,
  ) {
    super(message);
    this.name = 'AdapterError';
  }
}

export function sampleItem(sample: SourceSample): AdapterItem {
  return { kind: 'sample', sample };
}

export function rejectItem(code: AdapterRejectCode, path: string, message: string): AdapterItem {
  return { kind: 'reject', reject: { code, message, path } };
}
