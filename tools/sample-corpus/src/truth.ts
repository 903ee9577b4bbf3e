// truth.json: what the generator put in each item, for tests only (no pipeline stage reads it).
import type { DifficultyTier, Split } from './spec';

/** [x_min, y_min, x_max, y_max] in pixels of the source image (the file as written). */
export type Box = readonly [number, number, number, number];

export interface LabelledBox {
  readonly label: string;
  readonly box: Box;
}

export type PhiType = 'NAME' | 'DATE' | 'PHONE' | 'FAX' | 'MRN' | 'ACCESSION' | 'ADDRESS';

/** An identifier inserted into a report: `text` sits at [start, end) (UTF-16 offsets of the file). */
export interface PhiSpan {
  readonly type: PhiType;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

export interface TruthItem {
  readonly dataset_key: string;
  /** The primary media file, relative to the dataset folder of sources.json (`records500/00000/00001_hr.hea`). */
  readonly id: string;
  readonly split: Split;
  readonly patient_id: string;
  /** The recorded answer labels (after label noise), in the catalog's strings. */
  readonly labels: readonly string[];
  readonly boxes: readonly LabelledBox[];
  readonly knobs: {
    readonly difficulty: DifficultyTier;
    readonly signal: number;
    readonly label_noise: boolean;
    /** The labels the media were rendered from (differ from `labels` when label_noise). */
    readonly latent_labels: readonly string[];
  };
  /** Format facts tests check independently (transfer syntax, photometric interpretation, frames …). */
  readonly format: Readonly<Record<string, string | number | boolean>>;
  /** For MIMIC-style reports: the report path and every inserted identifier. */
  readonly report?: { readonly path: string; readonly phi: readonly PhiSpan[] };
}
