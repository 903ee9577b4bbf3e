// The CSV views of media.json (same rules as rarity-csv: RFC 4180 quoting, "\n" rows, fixed columns).
import type { Distribution } from './value-counts';
import type { EcgFigures, ImageFigures, MediaReport } from './media-report';
import { csv } from './rarity-csv';

const distributionHeader = (name: string): string[] => ['min', 'p5', 'median', 'p95', 'max'].map((q) => `${name}_${q}`);
const distributionCells = (d: Distribution | null): Array<number | null> => (d ? [d.min, d.p5, d.median, d.p95, d.max] : [null, null, null, null, null]);
const counts = (record: Record<string, number> | null): string => (record === null ? '' : Object.entries(record).map(([key, n]) => `${key}:${n}`).join(';'));

function imageRow(level: string, f: ImageFigures): Array<string | number | null> {
  return [
    level, f.key, f.domain, f.stages.join(';'), f.scope, f.stage_rows, f.rows,
    ...distributionCells(f.source_width), ...distributionCells(f.source_height), ...distributionCells(f.output_width), ...distributionCells(f.output_height),
    f.pixel_spacing.dicom_frames, f.pixel_spacing.with_spacing, f.pixel_spacing.share, ...distributionCells(f.pixel_spacing.row_mm), ...distributionCells(f.pixel_spacing.column_mm),
    counts(f.dicom_modality),
  ];
}

function ecgRow(level: string, f: EcgFigures): Array<string | number | null> {
  return [level, f.key, f.domain, f.scope, f.stage_records, f.records, counts(f.original_sampling_frequency_hz), ...distributionCells(f.duration_seconds), counts(f.leads_present), counts(f.output_sampling_frequency_hz)];
}

/** File name → content, for every media CSV stats:rarity writes. */
export function mediaCsvFiles(report: MediaReport): Record<string, string> {
  return {
    'media_images.csv': csv(
      [
        'level', 'key', 'domain', 'stages', 'scope', 'stage_rows', 'rows',
        ...distributionHeader('source_width'), ...distributionHeader('source_height'), ...distributionHeader('output_width'), ...distributionHeader('output_height'),
        'dicom_frames', 'with_spacing', 'spacing_share', ...distributionHeader('spacing_row_mm'), ...distributionHeader('spacing_column_mm'), 'dicom_modality',
      ],
      [...report.images.by_domain.map((f) => imageRow('domain', f)), ...report.images.by_dataset.map((f) => imageRow('dataset', f))],
    ),
    'media_ecg.csv': csv(
      ['level', 'key', 'domain', 'scope', 'stage_records', 'records', 'original_sampling_frequency_hz', ...distributionHeader('duration_seconds'), 'leads_present', 'output_sampling_frequency_hz'],
      [...report.ecg.by_domain.map((f) => ecgRow('domain', f)), ...report.ecg.by_dataset.map((f) => ecgRow('dataset', f))],
    ),
    'media_corpus_duplicates.csv': csv(
      ['dataset_key', 'exact_duplicates_dropped', 'exact_duplicate_rate', 'near_duplicate_pairs', 'near_duplicate_pairs_cross_split'],
      (report.corpus.exact_duplicates?.by_dataset ?? []).map((d) => {
        const near = report.corpus.near_duplicates?.by_dataset?.[d.dataset_key];
        return [d.dataset_key, d.dropped, d.rate, near?.pairs ?? (report.corpus.near_duplicates?.by_dataset ? 0 : null), near?.cross_split ?? (report.corpus.near_duplicates?.by_dataset ? 0 : null)];
      }),
    ),
    'media_stages.csv': csv(
      ['stage', 'dataset_key', 'status', 'input_files', 'sources_written', 'media_written', 'rejected', 'reject_rate', 'rejects_by_code'],
      report.stages.flatMap((s) => [
        [s.stage, '(all)', s.status, s.input_files, s.sources_written, s.media_written, s.rejected, s.reject_rate, counts(s.rejects_by_code)],
        ...s.by_dataset.map((d) => [s.stage, d.dataset_key, s.status, null, d.sources_written, d.media_written, d.rejected, d.reject_rate, counts(d.rejects_by_code)]),
      ]),
    ),
  };
}
