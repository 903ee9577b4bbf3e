// Media and pipeline figures (issue 8): what the corpus's media look like — image sizes and pixel spacing,
// DICOM modalities, ECG sampling rates, durations and leads — and what the pipeline dropped on the way —
// per ingest stage files written and rejected, and in the corpus exact duplicates dropped and
// near-duplicate pairs. Written as media.json by stats:rarity (beside rarity.json, which keeps describing
// the pairs alone) and carried in stats.json by stats:report.
import { join } from 'node:path';
import type { Catalog } from '@qoq/catalog';
import type { RejectCounts } from './corpus-rejects';
import { countDuplicates, countNearDuplicates, readCorpusProvenance, type CorpusProvenance, type NearDuplicateCounts } from './corpus-media';
import { EcgAccumulator, ImageAccumulator, readStage, STAGE_NAMES, type StageDatasetCounts, type StageName, type StageRead } from './stage-tables';
import type { Distribution } from './value-counts';

export const MEDIA_DEFINITIONS = {
  scope: "corpus: only the stage-table rows whose media_path is one of the corpus's provenance media_paths (the media its rows use); stage-table: every row of the stage table for that dataset (the corpus has no provenance.parquet, or none of the dataset's media paths are found in the tables) — stated per dataset",
  distribution: 'count, min, p5, median, p95, max; quantiles nearest-rank (the value of rank ⌈q·n⌉, as DuckDB quantile_disc): the median of an even count is the lower middle value',
  source_size: 'ingest:dicom: Columns × Rows of the frame; ingest:images: the stored width × height (before EXIF orientation)',
  output_size: 'width × height of the PNG written (after the --max-pixels resize)',
  pixel_spacing: 'DICOM PixelSpacing (0028,0030) in mm: row_mm = between rows (first value), column_mm = between columns; share = frames with a spacing / DICOM frames',
  ecg_records: 'one per record: with scope corpus the windows the corpus uses (its first 10 s window), with scope stage-table the rows with window_index 0',
  duration_seconds: 'original_samples / original_sampling_frequency: the length of the source record',
  leads_present: 'how many leads the source record carried (before lead selection / derivation)',
  input_files: "files the stage hashed as its inputs (its .stage-input.json): ingest:dicom every file of the image datasets, ingest:images the image files, ingest:ecg every file of the ECG datasets (header and signal files count apart)",
  sources_written: 'source files (ECG: records) the stage converted: rows of its provenance.parquet',
  media_written: 'rows of the stage table (DICOM: one per frame written; ECG: one per window)',
  reject_rate: 'rejected / (sources_written + rejected)',
  exact_duplicate_rate: 'rows dropped as exact duplicates / (rows kept + rows dropped)',
  near_duplicates: 'pairs of image rows of different patients whose difference hashes are within --near-duplicate-distance bits (listed by ingest:pairs, not dropped); cross_split = the two rows are in different splits',
  corpus_reject_rate: 'corpus rejects / (rows kept + exact duplicates dropped + rejects)',
} as const;

export type MediaFromMode = 'sample-default' | 'option' | 'none' | 'not-given';
export type Scope = 'corpus' | 'stage-table' | 'mixed';

export interface PixelSpacingFigures {
  dicom_frames: number;
  with_spacing: number;
  share: number | null;
  row_mm: Distribution | null;
  column_mm: Distribution | null;
}

export interface ImageFigures {
  key: string;
  /** Present on datasets; the domain key on domain entries. */
  domain: string;
  stages: string[];
  scope: Scope;
  stage_rows: number;
  rows: number;
  source_width: Distribution | null;
  source_height: Distribution | null;
  output_width: Distribution | null;
  output_height: Distribution | null;
  pixel_spacing: PixelSpacingFigures;
  dicom_modality: Record<string, number>;
  /** Source width × height → rows, for the size plot (at most 200 distinct sizes, the commonest). */
  source_sizes: Array<[number, number, number]>;
}

export interface EcgFigures {
  key: string;
  domain: string;
  scope: Scope;
  stage_records: number;
  records: number;
  original_sampling_frequency_hz: Record<string, number>;
  duration_seconds: Distribution | null;
  duration_histogram_seconds: Record<string, number>;
  leads_present: Record<string, number>;
  output_sampling_frequency_hz: Record<string, number>;
}

export interface StageDatasetSummary extends StageDatasetCounts {
  dataset_key: string;
  reject_rate: number | null;
}

export interface StageSummary {
  stage: string;
  folder: string;
  status: 'present' | 'absent' | 'not-read';
  input_files: number | null;
  sources_written: number | null;
  media_written: number | null;
  rejected: number | null;
  reject_rate: number | null;
  rejects_by_code: Record<string, number> | null;
  by_dataset: StageDatasetSummary[];
}

export interface CorpusJoin {
  dataset_key: string;
  corpus_media: number;
  found_in_stage_tables: number;
}

export interface CorpusPipelineFigures {
  rows: number;
  provenance: 'present' | 'absent';
  exact_duplicates: null | { dropped: number; rate: number | null; across_datasets: number; by_dataset: Array<{ dataset_key: string; dropped: number; rate: number | null }> };
  near_duplicates: NearDuplicateCounts | null;
  rejects: null | { total: number; rate: number | null; by_code: Record<string, number> };
}

export interface MediaReport {
  definitions: typeof MEDIA_DEFINITIONS;
  media_from: MediaFromMode;
  stages: StageSummary[];
  images: { by_dataset: ImageFigures[]; by_domain: ImageFigures[] };
  ecg: { by_dataset: EcgFigures[]; by_domain: EcgFigures[] };
  /** Per dataset of the corpus: media paths its rows use, and how many of them the stage tables hold; null without provenance or stages. */
  corpus_join: CorpusJoin[] | null;
  corpus: CorpusPipelineFigures;
}

const round6 = (value: number): number => Math.round(value * 1e6) / 1e6;
const ratio = (a: number, b: number): number | null => (b > 0 ? round6(a / b) : null);
const sum = (values: Iterable<number>): number => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};
const sortedRecord = (entries: Iterable<[string, number]>): Record<string, number> => Object.fromEntries([...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));

function stageSummary(read: StageRead | null, stage: StageName): StageSummary {
  const base = { stage: `ingest:${stage}`, folder: `${stage}/` };
  if (read === null || read.status === 'absent') {
    return { ...base, status: read === null ? 'not-read' : 'absent', input_files: null, sources_written: null, media_written: null, rejected: null, reject_rate: null, rejects_by_code: null, by_dataset: [] };
  }
  const datasets = [...read.counts].sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const written = sum(datasets.map(([, c]) => c.sources_written));
  const rejected = sum(datasets.map(([, c]) => c.rejected));
  const codes = new Map<string, number>();
  for (const [, c] of datasets) for (const [code, n] of Object.entries(c.rejects_by_code)) codes.set(code, (codes.get(code) ?? 0) + n);
  return {
    ...base,
    status: 'present',
    input_files: read.inputFiles,
    sources_written: written,
    media_written: sum(datasets.map(([, c]) => c.media_written)),
    rejected: read.rejectsRecorded ? rejected : null,
    reject_rate: read.rejectsRecorded ? ratio(rejected, written + rejected) : null,
    rejects_by_code: read.rejectsRecorded ? sortedRecord(codes) : null,
    by_dataset: datasets.map(([key, c]) => ({ dataset_key: key, ...c, rejects_by_code: sortedRecord(Object.entries(c.rejects_by_code)), reject_rate: ratio(c.rejected, c.sources_written + c.rejected) })),
  };
}

function domainOf(catalog: Catalog, datasetKey: string): string {
  return catalog.hasDataset(datasetKey) ? catalog.dataset(datasetKey).domain : '(unknown)';
}

/** Catalog order of the datasets, then unknown keys sorted. */
function orderKeys(catalog: Catalog, keys: Iterable<string>): string[] {
  const order = new Map(catalog.datasets().map((spec, index) => [spec.dataset_key, index]));
  return [...new Set(keys)].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0));
}

function orderDomains(catalog: Catalog, domains: Iterable<string>): string[] {
  const order = new Map<string, number>();
  catalog.datasets().forEach((spec) => order.has(spec.domain) || order.set(spec.domain, order.size));
  return [...new Set(domains)].sort((a, b) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : 1));
}

function imageFigures(key: string, domain: string, stages: string[], scope: Scope, stageRows: number, acc: ImageAccumulator): ImageFigures {
  return {
    key,
    domain,
    stages,
    scope,
    stage_rows: stageRows,
    rows: acc.rows,
    source_width: acc.sourceWidth.distribution(),
    source_height: acc.sourceHeight.distribution(),
    output_width: acc.outputWidth.distribution(),
    output_height: acc.outputHeight.distribution(),
    pixel_spacing: {
      dicom_frames: acc.dicomRows,
      with_spacing: acc.withSpacing,
      share: ratio(acc.withSpacing, acc.dicomRows),
      row_mm: acc.spacingRow.distribution(),
      column_mm: acc.spacingColumn.distribution(),
    },
    dicom_modality: sortedRecord(acc.dicomModality),
    source_sizes: [...acc.sizePairs].map(([text, n]): [number, number, number] => {
      const [w, h] = text.split('x').map(Number);
      return [w, h, n];
    }).sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]).slice(0, 200).sort((a, b) => a[0] - b[0] || a[1] - b[1]),
  };
}

function ecgFigures(key: string, domain: string, scope: Scope, stageRecords: number, acc: EcgAccumulator): EcgFigures {
  const histogram = new Map<string, number>();
  for (const [seconds, n] of acc.durationSeconds.entries()) {
    const bin = String(Math.floor(seconds));
    histogram.set(bin, (histogram.get(bin) ?? 0) + n);
  }
  return {
    key,
    domain,
    scope,
    stage_records: stageRecords,
    records: acc.rows,
    original_sampling_frequency_hz: acc.originalRate.record(),
    duration_seconds: acc.durationSeconds.distribution(),
    duration_histogram_seconds: Object.fromEntries([...histogram].sort((a, b) => Number(a[0]) - Number(b[0]))),
    leads_present: acc.leadsPresent.record(),
    output_sampling_frequency_hz: acc.outputRate.record(),
  };
}

export interface MediaReportInput {
  readonly corpus: string;
  /** The folder holding dicom/, images/, ecg/, or null to read no stage. */
  readonly mediaFrom: string | null;
  readonly mediaFromMode: MediaFromMode;
  readonly catalog: Catalog;
  /** Corpus rows per dataset_key (from the scan). */
  readonly rowsByDataset: ReadonlyMap<string, number>;
  readonly corpusRejects: RejectCounts | null;
}

function scopeOf(scopes: readonly Scope[]): Scope {
  return scopes.every((s) => s === 'corpus') ? 'corpus' : scopes.every((s) => s === 'stage-table') ? 'stage-table' : 'mixed';
}

export async function computeMediaReport(input: MediaReportInput): Promise<MediaReport> {
  const { catalog } = input;
  const provenance: CorpusProvenance | null = await readCorpusProvenance(input.corpus);
  const reads = new Map<StageName, StageRead>();
  if (input.mediaFrom !== null) for (const stage of STAGE_NAMES) reads.set(stage, await readStage(stage, join(input.mediaFrom, stage), provenance));

  // Images: one entry per dataset over the dicom and images tables; the corpus's media where the join finds them.
  const imageData = new Map<string, { stages: string[]; all: ImageAccumulator; used: ImageAccumulator }>();
  const ecgData = new Map<string, { all: EcgAccumulator; used: EcgAccumulator }>();
  for (const read of reads.values()) {
    for (const [key, figures] of read.images) {
      const entry = imageData.get(key) ?? { stages: [], all: new ImageAccumulator(), used: new ImageAccumulator() };
      entry.stages.push(`ingest:${read.stage}`);
      entry.all.merge(figures.all);
      entry.used.merge(figures.used);
      imageData.set(key, entry);
    }
    for (const [key, figures] of read.ecg) ecgData.set(key, figures);
  }
  const imageByDataset: ImageFigures[] = [];
  const imageDomains = new Map<string, { acc: ImageAccumulator; stages: Set<string>; scopes: Scope[]; stageRows: number }>();
  for (const key of orderKeys(catalog, imageData.keys())) {
    const entry = imageData.get(key) as { stages: string[]; all: ImageAccumulator; used: ImageAccumulator };
    const scope: Scope = entry.used.rows > 0 ? 'corpus' : 'stage-table';
    const acc = scope === 'corpus' ? entry.used : entry.all;
    const domain = domainOf(catalog, key);
    imageByDataset.push(imageFigures(key, domain, entry.stages, scope, entry.all.rows, acc));
    const group = imageDomains.get(domain) ?? { acc: new ImageAccumulator(), stages: new Set<string>(), scopes: [], stageRows: 0 };
    group.acc.merge(acc);
    entry.stages.forEach((s) => group.stages.add(s));
    group.scopes.push(scope);
    group.stageRows += entry.all.rows;
    imageDomains.set(domain, group);
  }
  const imageByDomain = orderDomains(catalog, imageDomains.keys()).map((domain) => {
    const group = imageDomains.get(domain) as { acc: ImageAccumulator; stages: Set<string>; scopes: Scope[]; stageRows: number };
    return imageFigures(domain, domain, [...group.stages].sort(), scopeOf(group.scopes), group.stageRows, group.acc);
  });

  const ecgByDataset: EcgFigures[] = [];
  const ecgDomains = new Map<string, { acc: EcgAccumulator; scopes: Scope[]; stageRecords: number }>();
  for (const key of orderKeys(catalog, ecgData.keys())) {
    const entry = ecgData.get(key) as { all: EcgAccumulator; used: EcgAccumulator };
    const scope: Scope = entry.used.rows > 0 ? 'corpus' : 'stage-table';
    const acc = scope === 'corpus' ? entry.used : entry.all;
    const domain = domainOf(catalog, key);
    ecgByDataset.push(ecgFigures(key, domain, scope, entry.all.rows, acc));
    const group = ecgDomains.get(domain) ?? { acc: new EcgAccumulator(), scopes: [], stageRecords: 0 };
    group.acc.merge(acc);
    group.scopes.push(scope);
    group.stageRecords += entry.all.rows;
    ecgDomains.set(domain, group);
  }
  const ecgByDomain = orderDomains(catalog, ecgDomains.keys()).map((domain) => {
    const group = ecgDomains.get(domain) as { acc: EcgAccumulator; scopes: Scope[]; stageRecords: number };
    return ecgFigures(domain, domain, scopeOf(group.scopes), group.stageRecords, group.acc);
  });

  let corpusJoin: CorpusJoin[] | null = null;
  if (provenance && [...reads.values()].some((read) => read.status === 'present')) {
    const found = new Map<string, number>();
    for (const [key, entry] of imageData) found.set(key, entry.used.rows);
    for (const [key, entry] of ecgData) found.set(key, (found.get(key) ?? 0) + entry.used.rows);
    corpusJoin = orderKeys(catalog, provenance.mediaPerDataset.keys()).map((key) => ({ dataset_key: key, corpus_media: provenance.mediaPerDataset.get(key) ?? 0, found_in_stage_tables: found.get(key) ?? 0 }));
  }

  const rows = sum(input.rowsByDataset.values());
  const duplicates = await countDuplicates(input.corpus);
  const nearDuplicates = await countNearDuplicates(input.corpus, provenance);
  const rejects = input.corpusRejects;
  const dropped = duplicates?.dropped ?? 0;
  return {
    definitions: MEDIA_DEFINITIONS,
    media_from: input.mediaFromMode,
    stages: STAGE_NAMES.map((stage) => stageSummary(reads.get(stage) ?? null, stage)),
    images: { by_dataset: imageByDataset, by_domain: imageByDomain },
    ecg: { by_dataset: ecgByDataset, by_domain: ecgByDomain },
    corpus_join: corpusJoin,
    corpus: {
      rows,
      provenance: provenance ? 'present' : 'absent',
      exact_duplicates: duplicates && {
        dropped: duplicates.dropped,
        rate: ratio(duplicates.dropped, rows + duplicates.dropped),
        across_datasets: duplicates.across_datasets,
        by_dataset: orderKeys(catalog, [...input.rowsByDataset.keys(), ...Object.keys(duplicates.by_dataset)]).map((key) => {
          const n = duplicates.by_dataset[key] ?? 0;
          return { dataset_key: key, dropped: n, rate: ratio(n, (input.rowsByDataset.get(key) ?? 0) + n) };
        }),
      },
      near_duplicates: nearDuplicates,
      rejects: rejects && { total: rejects.total, rate: ratio(rejects.total, rows + dropped + rejects.total), by_code: rejects.by_code },
    },
  };
}

