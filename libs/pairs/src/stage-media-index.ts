// Where the normalized media of a source file are: the ingest stages (dicom, images, ecg) each write
// provenance.parquet (source path → media paths, source SHA-256) and a table with the output sizes.
// The pairs stage reuses those media instead of decoding anything again (design.md "Defaults").
// One dataset is loaded at a time, so memory follows the largest dataset, not the corpus.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readParquetRows, type CellValue, type DatasetRow } from '@qoq/dataset-io';

export type IngestStageName = 'dicom' | 'images' | 'ecg';

/** The output folder of each ingest stage the pairs stage reads (missing folders are allowed). */
export type IngestStageFolders = Readonly<Partial<Record<IngestStageName, string>>>;

export interface IngestedMedia {
  readonly stage: IngestStageName;
  /** The stage's output folder (its media/ holds the files). */
  readonly stageFolder: string;
  /** Paths relative to the stage's media/, ordered by frame (DICOM) or window (ECG) index. */
  readonly mediaPaths: readonly string[];
  readonly sourceSha256: string;
  /** Size of the source image (what adapter boxes are in) and of the written PNG; null for ECG. */
  readonly sourceWidth: number | null;
  readonly sourceHeight: number | null;
  readonly outputWidth: number | null;
  readonly outputHeight: number | null;
  /** EXIF orientation (1–8) the images stage applied; 1 for DICOM and ECG. */
  readonly exifOrientation: number;
}

export interface StageReject {
  readonly code: string;
  readonly message: string;
}

interface MediaSize {
  sourceWidth: number | null;
  sourceHeight: number | null;
  outputWidth: number | null;
  outputHeight: number | null;
  exifOrientation: number;
  index: number;
}

const TABLE_OF: Record<IngestStageName, string> = { dicom: 'dicom.parquet', images: 'images.parquet', ecg: 'ecg.parquet' };

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function numberOrNull(value: CellValue | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

function text(value: CellValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** The sizes of one table row: DICOM columns × rows, images source_width × source_height. */
function sizeOfRow(stage: IngestStageName, row: DatasetRow): MediaSize {
  if (stage === 'dicom') {
    return {
      sourceWidth: numberOrNull(row.columns),
      sourceHeight: numberOrNull(row.rows),
      outputWidth: numberOrNull(row.output_width),
      outputHeight: numberOrNull(row.output_height),
      exifOrientation: 1,
      index: numberOrNull(row.frame_index) ?? 0,
    };
  }
  if (stage === 'images') {
    return {
      sourceWidth: numberOrNull(row.source_width),
      sourceHeight: numberOrNull(row.source_height),
      outputWidth: numberOrNull(row.output_width),
      outputHeight: numberOrNull(row.output_height),
      exifOrientation: numberOrNull(row.exif_orientation) ?? 1,
      index: 0,
    };
  }
  return { sourceWidth: null, sourceHeight: null, outputWidth: null, outputHeight: null, exifOrientation: 1, index: numberOrNull(row.window_index) ?? 0 };
}

/** The media of one dataset across the ingest stages, by source path relative to the dataset folder. */
export class StageMediaIndex {
  private constructor(
    private readonly bySource: ReadonlyMap<string, IngestedMedia>,
    private readonly rejects: ReadonlyMap<string, StageReject>,
  ) {}

  static async load(folders: IngestStageFolders, datasetKey: string): Promise<StageMediaIndex> {
    const bySource = new Map<string, IngestedMedia>();
    const rejects = new Map<string, StageReject>();
    for (const stage of ['dicom', 'images', 'ecg'] as const) {
      const folder = folders[stage];
      if (folder === undefined || !(await exists(join(folder, 'provenance.parquet')))) continue;
      const sizes = new Map<string, MediaSize>();
      if (await exists(join(folder, TABLE_OF[stage]))) {
        for await (const row of readParquetRows(join(folder, TABLE_OF[stage]))) {
          if (row.dataset_key !== datasetKey) continue;
          sizes.set(text(row.media_path), sizeOfRow(stage, row));
        }
      }
      for await (const row of readParquetRows(join(folder, 'provenance.parquet'))) {
        if (row.dataset_key !== datasetKey) continue;
        const mediaPaths = Array.isArray(row.media_paths) ? row.media_paths.filter((path): path is string => typeof path === 'string') : [];
        if (mediaPaths.length === 0) continue;
        const ordered = [...mediaPaths].sort((a, b) => (sizes.get(a)?.index ?? 0) - (sizes.get(b)?.index ?? 0) || (a < b ? -1 : 1));
        const first = sizes.get(ordered[0]);
        bySource.set(text(row.source_path), {
          stage,
          stageFolder: folder,
          mediaPaths: ordered,
          sourceSha256: text(row.source_sha256),
          sourceWidth: first?.sourceWidth ?? null,
          sourceHeight: first?.sourceHeight ?? null,
          outputWidth: first?.outputWidth ?? null,
          outputHeight: first?.outputHeight ?? null,
          exifOrientation: first?.exifOrientation ?? 1,
        });
      }
      const rejectText = await readFile(join(folder, 'rejects.jsonl'), 'utf8').catch(() => '');
      for (const line of rejectText.split('\n')) {
        if (line.trim() === '') continue;
        const reject = JSON.parse(line) as { dataset_key?: string; path?: string; code?: string; message?: string };
        if (reject.dataset_key === datasetKey && typeof reject.path === 'string') {
          rejects.set(reject.path, { code: reject.code ?? 'UNKNOWN', message: reject.message ?? '' });
        }
      }
    }
    return new StageMediaIndex(bySource, rejects);
  }

  /** The media made from a source file; WFDB records are looked up by their header (`<record>.hea`). */
  lookup(sourcePath: string): IngestedMedia | undefined {
    return this.bySource.get(sourcePath) ?? this.bySource.get(`${sourcePath}.hea`);
  }

  /** Why an ingest stage rejected a source file, if it did. */
  rejectOf(sourcePath: string): StageReject | undefined {
    return this.rejects.get(sourcePath) ?? this.rejects.get(`${sourcePath}.hea`);
  }

  get size(): number {
    return this.bySource.size;
  }
}
