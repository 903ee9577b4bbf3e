// The ingest stages' outputs a corpus was built from (README "ingest:dicom / ingest:images / ingest:ecg
// output"): <media-from>/{dicom,images,ecg}/ with the stage table, provenance.parquet, rejects.jsonl and
// the stage's .stage-input.json. Read once, streaming, only the columns needed; every table row is
// counted twice — over the whole table, and when its media_path is one the corpus uses — so the report can
// describe the media the corpus really holds and fall back to the whole table where the join finds none.
// A stage folder that is absent is reported as absent; a table that cannot be read is a UsageError naming
// the file (exit 2), raised before anything is written.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readParquetColumnBatches, type CellValue } from '@qoq/dataset-io';
import { UsageError } from '@qoq/runtime';
import { jsonObjects, unreadable, type CorpusProvenance } from './corpus-media';
import { ValueCounts } from './value-counts';

export type StageName = 'dicom' | 'images' | 'ecg';
export const STAGE_NAMES: readonly StageName[] = ['dicom', 'images', 'ecg'];
export const STAGE_TABLES: Readonly<Record<StageName, string>> = { dicom: 'dicom.parquet', images: 'images.parquet', ecg: 'ecg.parquet' };

/** The columns read from each stage table (the names are those of DICOM_TABLE_COLUMNS, IMAGE_TABLE_COLUMNS, ECG_TABLE_COLUMNS). */
export const STAGE_TABLE_COLUMNS: Readonly<Record<StageName, readonly string[]>> = {
  dicom: ['media_path', 'dataset_key', 'rows', 'columns', 'output_width', 'output_height', 'pixel_spacing', 'dicom_modality'],
  images: ['media_path', 'dataset_key', 'source_width', 'source_height', 'output_width', 'output_height'],
  ecg: ['media_path', 'dataset_key', 'window_index', 'original_sampling_frequency', 'original_samples', 'leads_present', 'sampling_frequency'],
};

/** Sizes, spacing and DICOM modality of image media (ingest:dicom frames and ingest:images files). */
export class ImageAccumulator {
  rows = 0;
  readonly sourceWidth = new ValueCounts();
  readonly sourceHeight = new ValueCounts();
  readonly outputWidth = new ValueCounts();
  readonly outputHeight = new ValueCounts();
  /** DICOM rows (the only ones that can carry a spacing). */
  dicomRows = 0;
  withSpacing = 0;
  readonly spacingRow = new ValueCounts();
  readonly spacingColumn = new ValueCounts();
  readonly dicomModality = new Map<string, number>();
  /** `WxH` of the source → rows (distinct sizes only). */
  readonly sizePairs = new Map<string, number>();

  merge(other: ImageAccumulator): void {
    this.rows += other.rows;
    this.dicomRows += other.dicomRows;
    this.withSpacing += other.withSpacing;
    for (const name of ['sourceWidth', 'sourceHeight', 'outputWidth', 'outputHeight', 'spacingRow', 'spacingColumn'] as const) this[name].merge(other[name]);
    for (const [modality, n] of other.dicomModality) this.dicomModality.set(modality, (this.dicomModality.get(modality) ?? 0) + n);
    for (const [size, n] of other.sizePairs) this.sizePairs.set(size, (this.sizePairs.get(size) ?? 0) + n);
  }
}

/** Rates, durations and leads of ECG records (one row per record: its first window). */
export class EcgAccumulator {
  rows = 0;
  readonly originalRate = new ValueCounts();
  readonly durationSeconds = new ValueCounts();
  readonly leadsPresent = new ValueCounts();
  readonly outputRate = new ValueCounts();

  merge(other: EcgAccumulator): void {
    this.rows += other.rows;
    for (const name of ['originalRate', 'durationSeconds', 'leadsPresent', 'outputRate'] as const) this[name].merge(other[name]);
  }
}

/** One dataset of one stage table: every row, and the rows whose media the corpus uses. */
export interface StageDatasetFigures<T> {
  readonly all: T;
  readonly used: T;
}

export interface StageDatasetCounts {
  sources_written: number;
  media_written: number;
  rejected: number;
  rejects_by_code: Record<string, number>;
}

export interface StageRead {
  readonly stage: StageName;
  readonly status: 'present' | 'absent';
  /** Files the stage hashed as its inputs (its .stage-input.json), or null when that record is missing. */
  readonly inputFiles: number | null;
  /** Whether rejects.jsonl was there (a stage always writes one). */
  readonly rejectsRecorded: boolean;
  readonly counts: ReadonlyMap<string, StageDatasetCounts>;
  readonly images: ReadonlyMap<string, StageDatasetFigures<ImageAccumulator>>;
  readonly ecg: ReadonlyMap<string, StageDatasetFigures<EcgAccumulator>>;
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function inputFileCount(folder: string): Promise<number | null> {
  try {
    const stored = JSON.parse(await readFile(join(folder, '.stage-input.json'), 'utf8')) as { manifest?: { inputs?: unknown } };
    const inputs = stored.manifest?.inputs;
    return typeof inputs === 'number' && Number.isInteger(inputs) && inputs >= 0 ? inputs : null;
  } catch {
    return null;
  }
}

const num = (value: CellValue | undefined): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'bigint' ? Number(value) : null);

function countsOf(map: Map<string, StageDatasetCounts>, key: string): StageDatasetCounts {
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = { sources_written: 0, media_written: 0, rejected: 0, rejects_by_code: {} }));
  return entry;
}

function figuresOf<T>(map: Map<string, StageDatasetFigures<T>>, key: string, make: () => T): StageDatasetFigures<T> {
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = { all: make(), used: make() }));
  return entry;
}

function addImageRow(target: ImageAccumulator, width: number, height: number, outWidth: number, outHeight: number, dicom: { spacing: readonly number[] | null; modality: string } | null): void {
  target.rows++;
  target.sourceWidth.add(width);
  target.sourceHeight.add(height);
  target.outputWidth.add(outWidth);
  target.outputHeight.add(outHeight);
  const size = `${width}x${height}`;
  target.sizePairs.set(size, (target.sizePairs.get(size) ?? 0) + 1);
  if (dicom) {
    target.dicomRows++;
    target.dicomModality.set(dicom.modality, (target.dicomModality.get(dicom.modality) ?? 0) + 1);
    if (dicom.spacing) {
      target.withSpacing++;
      target.spacingRow.add(dicom.spacing[0]);
      target.spacingColumn.add(dicom.spacing[1]);
    }
  }
}

function addEcgRow(target: EcgAccumulator, rate: number, samples: number, leads: number, outputRate: number): void {
  target.rows++;
  target.originalRate.add(rate);
  target.durationSeconds.add(rate > 0 ? samples / rate : 0);
  target.leadsPresent.add(leads);
  target.outputRate.add(outputRate);
}

/** Reads one stage folder; `absent` when there is no folder. */
export async function readStage(stage: StageName, folder: string, provenance: CorpusProvenance | null): Promise<StageRead> {
  const empty = { inputFiles: null, rejectsRecorded: false, counts: new Map(), images: new Map(), ecg: new Map() };
  if (!(await isFolder(folder))) return { stage, status: 'absent', ...empty };
  const tablePath = join(folder, STAGE_TABLES[stage]);
  const provenancePath = join(folder, 'provenance.parquet');
  for (const path of [tablePath, provenancePath]) {
    if (!(await isFile(path))) throw new UsageError(`${path}: STAGE_TABLE_MISSING: the ${stage}/ folder has no ${path.slice(folder.length + 1)} (a stage folder is complete or absent: re-run ingest:${stage})`, 'STAGE_TABLE_MISSING');
  }
  const counts = new Map<string, StageDatasetCounts>();
  const images = new Map<string, StageDatasetFigures<ImageAccumulator>>();
  const ecg = new Map<string, StageDatasetFigures<EcgAccumulator>>();

  try {
    for await (const batch of readParquetColumnBatches(tablePath, { columns: STAGE_TABLE_COLUMNS[stage] })) {
      const c = batch.columns;
      for (let row = 0; row < batch.rowCount; row++) {
        const where = `row ${batch.rowStart + row}`;
        const mediaPath = c.media_path[row];
        const datasetKey = c.dataset_key[row];
        if (typeof mediaPath !== 'string' || typeof datasetKey !== 'string') throw new Error(`${where}: media_path and dataset_key must be strings`);
        countsOf(counts, datasetKey).media_written++;
        const used = provenance?.media.has(mediaPath) ?? false;
        if (stage === 'ecg') {
          const rate = num(c.original_sampling_frequency[row]);
          const samples = num(c.original_samples[row]);
          const outputRate = num(c.sampling_frequency[row]);
          const leads = c.leads_present[row];
          const window = num(c.window_index[row]);
          if (rate === null || samples === null || outputRate === null || window === null || !Array.isArray(leads)) throw new Error(`${where}: a sampling frequency, sample count, window index or lead list is missing`);
          const figures = figuresOf(ecg, datasetKey, () => new EcgAccumulator());
          // Over the whole table, one row per record: its first window (the one a corpus row uses).
          if (window === 0) addEcgRow(figures.all, rate, samples, leads.length, outputRate);
          if (used) addEcgRow(figures.used, rate, samples, leads.length, outputRate);
          continue;
        }
        const isDicom = stage === 'dicom';
        const width = num(isDicom ? c.columns[row] : c.source_width[row]);
        const height = num(isDicom ? c.rows[row] : c.source_height[row]);
        const outWidth = num(c.output_width[row]);
        const outHeight = num(c.output_height[row]);
        if (width === null || height === null || outWidth === null || outHeight === null) throw new Error(`${where}: a source or output size is missing`);
        let dicom: { spacing: readonly number[] | null; modality: string } | null = null;
        if (isDicom) {
          const spacing = c.pixel_spacing[row];
          const modality = c.dicom_modality[row];
          const valid = Array.isArray(spacing) && spacing.length >= 2 && spacing.every((v) => typeof v === 'number' && Number.isFinite(v));
          dicom = { spacing: valid ? (spacing as number[]) : null, modality: typeof modality === 'string' && modality !== '' ? modality : '(none)' };
        }
        const figures = figuresOf(images, datasetKey, () => new ImageAccumulator());
        addImageRow(figures.all, width, height, outWidth, outHeight, dicom);
        if (used) addImageRow(figures.used, width, height, outWidth, outHeight, dicom);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw unreadable(tablePath, 'STAGE_TABLE_UNREADABLE', error);
  }

  try {
    for await (const batch of readParquetColumnBatches(provenancePath, { columns: ['dataset_key'] })) {
      for (let row = 0; row < batch.rowCount; row++) {
        const datasetKey = batch.columns.dataset_key[row];
        if (typeof datasetKey !== 'string') throw new Error(`row ${batch.rowStart + row}: dataset_key must be a string`);
        countsOf(counts, datasetKey).sources_written++;
      }
    }
  } catch (error) {
    throw unreadable(provenancePath, 'STAGE_TABLE_UNREADABLE', error);
  }

  const rejectsPath = join(folder, 'rejects.jsonl');
  const rejectsRecorded = await isFile(rejectsPath);
  if (rejectsRecorded) {
    let line = 0;
    for await (const record of jsonObjects(rejectsPath, 'REJECTS_INVALID')) {
      line++;
      if (typeof record.code !== 'string') throw new UsageError(`${rejectsPath}: reject ${line}: REJECTS_INVALID: a reject needs a string "code"`, 'REJECTS_INVALID');
      const entry = countsOf(counts, typeof record.dataset_key === 'string' ? record.dataset_key : '(none)');
      entry.rejected++;
      entry.rejects_by_code[record.code] = (entry.rejects_by_code[record.code] ?? 0) + 1;
    }
  }
  return { stage, status: 'present', inputFiles: await inputFileCount(folder), rejectsRecorded, counts, images, ecg };
}
