// TypeScript shapes of the data-specs files. They mirror data-specs/schemas/*.schema.json; the schemas are
// the authority (files are validated against them before they are read as these types).

export const DOMAIN_IDS = ['ecg', 'chest_xray', 'mammo', 'derm', 'fundus', 'pathology', 'ultrasound', 'mri', 'ct'] as const;
export type DomainId = (typeof DOMAIN_IDS)[number];

export type Split = 'train' | 'validation' | 'test';
export type MediaKind = 'image' | 'ecg';

export interface DomainSpec {
  domain: DomainId;
  display_name: string;
  dimensionality: '1D' | '2D' | '3D';
  media_kind: MediaKind;
  modality_cue: string;
}

export type DatasetStatus = 'verified' | 'unverified';
export type TaskType = 'single-label' | 'multi-label' | 'detection' | 'segmentation';
export type Localization = 'none' | 'bbox' | 'mask';

export interface RecordCount {
  total: number;
  train?: number;
  test?: number;
  source: string;
}

export interface CodeMapping {
  code_system: string;
  source: string;
  map: Record<string, string>;
}

/** VOI window preset: the DICOM header's, a fixed one (output units, e.g. HU), or none (8-bit sources, ECG). */
export type WindowPreset =
  | { kind: 'header' }
  | { kind: 'none' }
  | { kind: 'fixed'; center: number; width: number; source: string };

/** How one source item becomes rows (qoq-med.md §1: volumes and videos as a few uniform frames). */
export type FrameSampling =
  | { kind: 'single' }
  | { kind: 'per-slice' }
  | { kind: 'uniform'; count: number; paper_count: number };

export interface LayoutRoot {
  path: string;
  split?: Split;
}

/** Generic "CSV of file and label" (see data-specs/README.md). */
export interface CsvFileLabelLayout {
  id: 'csv-file-label';
  csv_files: Array<{ path: string; split?: Split }>;
  file_column: string;
  file_template: string;
  append_extensions?: string[];
  label_column: string;
  label_code_system: string;
  patient_column?: string | null;
  split_column?: string | null;
  split_values?: Record<string, Split>;
  row_filter?: { column: string; values: string[] };
}

/** Generic "folder per class" (see data-specs/README.md). */
export interface FolderPerClassLayout {
  id: 'folder-per-class';
  roots: LayoutRoot[];
  class_code_system: string;
  media_subfolder?: string | null;
  extensions: string[];
  exclude_name_pattern?: string | null;
}

export const DEDICATED_LAYOUT_IDS = [
  'ptb-xl', 'physionet-2021', 'mimic-cxr', 'chexpert', 'vindr-cxr', 'vindr-mammo', 'cbis-ddsm', 'isic2020', 'ham10000',
  'isic2018-task3', 'pad-ufes-20', 'aptos', 'messidor-2', 'busi', 'covid19-radiography', 'coronahack', 'rspect',
] as const;
export type DedicatedLayoutId = (typeof DEDICATED_LAYOUT_IDS)[number];

/** A layout with its own adapter; `options` are that adapter's. */
export interface DedicatedLayout {
  id: DedicatedLayoutId;
  options?: Record<string, unknown>;
}

export type LayoutSpec = CsvFileLabelLayout | FolderPerClassLayout | DedicatedLayout;
export type LayoutId = LayoutSpec['id'];

export interface DatasetSpec {
  dataset_key: string;
  modality: string;
  dataset: string;
  domain: DomainId;
  display_name: string;
  status: DatasetStatus;
  notes?: string;
  task_type: TaskType;
  localization: Localization;
  label_set: string[];
  localized_labels?: string[];
  record_count: RecordCount | null;
  code_mappings: CodeMapping[];
  fallback_answer: string | null;
  exclusive_answers?: string[];
  layouts: LayoutSpec[];
  media_kind: MediaKind;
  window: WindowPreset;
  frames: FrameSampling | null;
  licence: string;
  access: string;
  sources: string[];
}

export type MediaPlaceholder = '<image>' | '<time_series>';

export interface PromptTemplate {
  dataset_key: string;
  media_placeholder: MediaPlaceholder;
  modality_cue: string;
  question: string;
  answer_instruction: string;
  wording_source: string;
  status: DatasetStatus;
  notes?: string;
}

export interface FormatSuffix {
  text: string;
  separator: ' ';
  source: string;
}

/** The answer-instruction wordings of qoq-med.md §1. */
export const MULTI_LABEL_INSTRUCTION = 'Answer with one or multiple phrases from the following:';
