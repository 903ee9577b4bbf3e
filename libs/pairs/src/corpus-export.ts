// The corpus exports (design.md "The corpus": export/qoq-med/, export/verl/; issue 7 "Exports"). Rows
// stream from the verified corpus (manifest order) into @qoq/dataset-io's row writers; each export is a
// self-contained folder: record files, the media they name beside them, and export.json. The folder is
// built under a temporary name and renamed when complete (design.md "Complete or absent"); the same
// corpus gives the same bytes.
//
//   qoq-jsonl → <out>/{train,validation,test}.jsonl, the official record (qoq-med.md §1), media paths
//               relative to the JSONL's folder, as the official loader reads them; ECG as .pt tensors.
//   verl      → <out>/{train,validation,test}.parquet: data_source, prompt, images, ability,
//               reward_model, extra_info (verl-parquet.ts). `images` (and extra_info.time_series) hold
//               the same relative paths, media placed beside the Parquet files: give the trainer the
//               export folder as its image folder (EasyR1's `data.image_dir`). verl rows carry no mask.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  canonicalJson,
  DatasetIoFailure,
  MANIFEST_FILE,
  openDataset,
  writeFileAtomically,
  writeFolderAtomically,
  writeQoqMedJsonl,
  writeVerlParquet,
  type OpenedDataset,
  type QoqMedSplit,
} from '@qoq/dataset-io';
import { corpusExportFailure } from './corpus-export-error';
import { ExportMediaPlacer, type ExportMediaCounts } from './corpus-export-media';

export const CORPUS_EXPORT_FORMATS = ['qoq-jsonl', 'verl'] as const;
export type CorpusExportFormat = (typeof CORPUS_EXPORT_FORMATS)[number];

/** The summary file every export folder holds beside its record files. */
export const EXPORT_SUMMARY_FILE = 'export.json';

/** Corpus columns each format reads (official fields, split and id; verl also dataset_key and domain). */
const COLUMNS: Record<CorpusExportFormat, readonly string[]> = {
  'qoq-jsonl': ['problem', 'answer', 'images', 'time-series', 'dataset', 'bbox', 'segmentation_path', 'split', 'id'],
  verl: ['problem', 'answer', 'images', 'time-series', 'split', 'id', 'dataset_key', 'domain', 'bbox'],
};

const FOLDER: Record<CorpusExportFormat, string> = { 'qoq-jsonl': 'qoq-med', verl: 'verl' };

export interface CorpusExportOptions {
  /** A corpus folder as ingest:pairs writes it: manifest.json, pairs/part-*.parquet, media/. */
  readonly corpusDir: string;
  readonly format: CorpusExportFormat;
  /** Default `<corpusDir>/export/qoq-med` (qoq-jsonl) or `<corpusDir>/export/verl` (verl). */
  readonly outputDir?: string;
}

export interface CorpusExportFile {
  readonly split: QoqMedSplit;
  /** Relative to the export folder: `train.jsonl`, `test.parquet`. */
  readonly name: string;
  readonly rows: number;
  readonly sha256: string;
}

export interface CorpusExportSummary {
  readonly format: CorpusExportFormat;
  /** Absolute path of the export folder written. */
  readonly outputDir: string;
  readonly rows: number;
  /** One file per split, all three always (empty when a split has no rows). */
  readonly files: readonly CorpusExportFile[];
  /** How the media were placed (links vs copies depend on the file systems; not part of export.json). */
  readonly media: Readonly<ExportMediaCounts> & { readonly files: number };
  /** SHA-256 of the corpus's manifest.json: identifies the corpus version the export was made from. */
  readonly corpusManifestSha256: string;
}

/** Where an export goes by default: `<corpusDir>/export/qoq-med` or `<corpusDir>/export/verl`. */
export function defaultExportDir(corpusDir: string, format: CorpusExportFormat): string {
  return join(corpusDir, 'export', FOLDER[format]);
}

/** Whether `child` is `parent` or lies under it. */
const isInside = (child: string, parent: string) => {
  const path = relative(parent, child);
  return path !== '..' && !path.startsWith(`..${sep}`) && !isAbsolute(path);
};

/** Refuses an output folder whose atomic replacement would remove the corpus or part of it. */
function checkOutputDir(outputDir: string, corpusDir: string): void {
  const allowedInside = join(corpusDir, 'export');
  if (isInside(corpusDir, outputDir) || (isInside(outputDir, corpusDir) && !(isInside(outputDir, allowedInside) && outputDir !== allowedInside))) {
    throw corpusExportFailure(
      'OUTPUT_INVALID',
      'the export folder must lie outside the corpus or under its export/ folder: the export replaces its folder whole',
      outputDir,
    );
  }
}

/** Refuses to replace a folder that holds something other than an earlier export (export.json marks one). */
async function checkReplaceable(outputDir: string): Promise<void> {
  const entries: string[] = await readdir(outputDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  if (entries.length > 0 && !entries.includes(EXPORT_SUMMARY_FILE)) {
    throw corpusExportFailure('OUTPUT_INVALID', `the folder holds files but no ${EXPORT_SUMMARY_FILE}: it is not an earlier export, and the export would replace it whole`, outputDir);
  }
}

async function openCorpus(corpusDir: string, format: CorpusExportFormat): Promise<OpenedDataset> {
  let dataset: OpenedDataset;
  try {
    dataset = await openDataset(corpusDir, { columns: COLUMNS[format] });
  } catch (error) {
    if (error instanceof DatasetIoFailure) throw corpusExportFailure('CORPUS_INVALID', error.error.message, error.error.path);
    throw error;
  }
  const present = new Set(dataset.manifest.columns.map((column) => column.name));
  const missing = COLUMNS[format].filter((name) => !present.has(name));
  if (missing.length > 0) {
    throw corpusExportFailure('CORPUS_INVALID', `the corpus has no column ${missing.join(', ')}, which the ${format} export needs`, join(corpusDir, MANIFEST_FILE));
  }
  return dataset;
}

/**
 * Exports a corpus folder to the official QoQ-Med JSONL or to verl Parquet, media included. Replaces
 * the output folder as a whole when done; on any failure the previous export (if any) stays untouched.
 * Throws CorpusExportFailure (a UsageError, exit 2) for bad input, naming the file.
 */
export async function exportCorpus(options: CorpusExportOptions): Promise<CorpusExportSummary> {
  const { format } = options;
  if (!CORPUS_EXPORT_FORMATS.includes(format)) throw corpusExportFailure('OUTPUT_INVALID', `unknown export format ${String(format)}`, options.corpusDir);
  const corpusDir = resolve(options.corpusDir);
  const outputDir = resolve(options.outputDir ?? defaultExportDir(corpusDir, format));
  checkOutputDir(outputDir, corpusDir);
  await checkReplaceable(outputDir);
  const dataset = await openCorpus(corpusDir, format);
  const corpusManifestSha256 = createHash('sha256').update(await readFile(join(corpusDir, MANIFEST_FILE))).digest('hex');

  return writeFolderAtomically(outputDir, async (folder) => {
    const placer = new ExportMediaPlacer(join(corpusDir, 'media'), folder);
    const writer = format === 'qoq-jsonl' ? writeQoqMedJsonl : writeVerlParquet;
    let files: CorpusExportFile[];
    try {
      files = await writer(dataset.rows(), folder, { mediaPath: placer.mediaPath });
    } catch (error) {
      if (!(error instanceof DatasetIoFailure)) throw error;
      if (error.code === 'EXPORT_RECORD_INVALID') {
        throw corpusExportFailure('RECORD_INVALID', `row ${error.error.path}: ${error.error.message}`, join(corpusDir, 'pairs'));
      }
      throw corpusExportFailure('CORPUS_INVALID', error.error.message, error.error.path);
    }
    const rows = files.reduce((sum, file) => sum + file.rows, 0);
    if (rows !== dataset.manifest.totalRows) {
      throw corpusExportFailure('CORPUS_INVALID', `the shards gave ${rows} rows, the manifest lists ${dataset.manifest.totalRows}`, join(corpusDir, MANIFEST_FILE));
    }
    // Only what the corpus determines: link-or-copy depends on the file systems, so it stays out.
    const summaryFile = {
      format,
      corpus: { manifestSha256: corpusManifestSha256, rows },
      files: files.map(({ split, name, rows: count, sha256 }) => ({ split, name, rows: count, sha256 })),
      media: { files: placer.files, tensors: placer.counts.tensors },
    };
    await writeFileAtomically(join(folder, EXPORT_SUMMARY_FILE), `${canonicalJson(summaryFile)}\n`);
    return { format, outputDir, rows, files, media: { ...placer.counts, files: placer.files }, corpusManifestSha256 };
  });
}
