// The "Media and pipeline" section of report.html: image sizes per domain (scatter), ECG durations
// (histogram), the tables of media.json, and what each stage wrote, rejected and dropped.
import type { Distribution } from './value-counts';
import type { EcgFigures, ImageFigures, MediaReport } from './media-report';
import { DOMAIN_COLOURS, escapeHtml, fmt, px, table } from './report-html-parts';

const range = (d: Distribution | null, digits = 0): string => (d === null ? '—' : `${fmt(d.min, digits)} / ${fmt(d.median, digits)} / ${fmt(d.max, digits)}`);
const band = (d: Distribution | null, digits = 0): string => (d === null ? '—' : `${fmt(d.p5, digits)}–${fmt(d.p95, digits)}`);
const counts = (record: Record<string, number> | null): string => (record === null ? '—' : Object.entries(record).map(([key, n]) => `${key}: ${n.toLocaleString('en-US')}`).join(', ') || '—');
const percent = (value: number | null): string => (value === null ? '—' : `${(100 * value).toFixed(2)} %`);
const scopeText = (scope: string): string => (scope === 'corpus' ? 'corpus media' : scope === 'stage-table' ? 'whole stage table' : 'mixed');

/** Source width × height of every distinct size, one circle per (domain, size), area ∝ rows; log-log axes. */
function imageSizePlot(domains: readonly ImageFigures[]): string {
  const width = 640;
  const height = 400;
  const margin = { left: 64, right: 150, top: 16, bottom: 44 };
  const points = domains.flatMap((d) => d.source_sizes.filter(([w, h]) => w > 0 && h > 0).map(([w, h, n]) => ({ domain: d.key, w, h, n })));
  const values = points.flatMap((p) => [p.w, p.h]);
  const low = Math.floor(Math.log10(Math.max(1, Math.min(...values, 1e9))) * 2) / 2;
  const high = Math.max(low + 0.5, Math.ceil(Math.log10(Math.max(...values, 10)) * 2) / 2);
  const sx = (v: number): number => margin.left + ((Math.log10(v) - low) / (high - low)) * (width - margin.left - margin.right);
  const sy = (v: number): number => height - margin.bottom - ((Math.log10(v) - low) / (high - low)) * (height - margin.top - margin.bottom);
  const maxN = Math.max(1, ...points.map((p) => p.n));
  const ticks: string[] = [];
  for (let e = Math.ceil(low * 2) / 2; e <= high + 1e-9; e += 0.5) {
    const v = Math.round(10 ** e);
    ticks.push(`<line x1="${px(sx(v))}" x2="${px(sx(v))}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#eee"/><text x="${px(sx(v))}" y="${height - margin.bottom + 16}" text-anchor="middle">${v}</text>`);
    ticks.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${px(sy(v))}" y2="${px(sy(v))}" stroke="#eee"/><text x="${margin.left - 6}" y="${px(sy(v) + 4)}" text-anchor="end">${v}</text>`);
  }
  const circles = points
    .map((p) => `<circle cx="${px(sx(p.w))}" cy="${px(sy(p.h))}" r="${px(3 + 9 * Math.sqrt(p.n / maxN))}" fill="${DOMAIN_COLOURS[p.domain] ?? '#000'}" fill-opacity="0.55"><title>${escapeHtml(p.domain)}: ${p.w} × ${p.h}, ${p.n.toLocaleString('en-US')} images</title></circle>`)
    .join('');
  const legend = domains
    .map((d, i) => `<rect x="${width - margin.right + 12}" y="${margin.top + i * 18}" width="12" height="12" fill="${DOMAIN_COLOURS[d.key] ?? '#000'}"/><text x="${width - margin.right + 30}" y="${margin.top + i * 18 + 11}">${escapeHtml(d.key)}</text>`)
    .join('');
  return `<svg class="plot" data-plot="image-sizes" viewBox="0 0 ${width} ${height}" width="${width}" role="img" aria-label="source image sizes per domain">${ticks.join('')}<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" stroke="#333"/><line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#333"/>${circles}${legend}<text x="${(margin.left + width - margin.right) / 2}" y="${height - 6}" text-anchor="middle">source width (px, log scale)</text><text x="14" y="${height / 2}" transform="rotate(-90 14 ${height / 2})" text-anchor="middle">source height (px, log scale)</text></svg>`;
}

/** Records per whole second of duration, one histogram per ECG domain entry. */
function ecgDurationPlot(figures: EcgFigures): string {
  const width = 420;
  const height = 160;
  const bins = Object.entries(figures.duration_histogram_seconds).map(([second, n]) => [Number(second), n] as const);
  const first = Math.min(...bins.map(([s]) => s));
  const last = Math.max(...bins.map(([s]) => s));
  const slots = Math.max(1, last - first + 1);
  const barWidth = (width - 40) / slots;
  const max = Math.max(1, ...bins.map(([, n]) => n));
  const bars = bins
    .map(([second, n]) => {
      const h = ((height - 40) * n) / max;
      return `<rect x="${px(20 + (second - first) * barWidth)}" y="${px(height - 24 - h)}" width="${px(Math.max(1, barWidth - 1))}" height="${px(h)}" fill="${DOMAIN_COLOURS[figures.domain] ?? '#555'}"><title>[${second}, ${second + 1}) s: ${n.toLocaleString('en-US')} records</title></rect><text x="${px(20 + (second - first + 0.5) * barWidth)}" y="${px(height - 28 - h)}" text-anchor="middle">${n}</text>`;
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(figures.key)} — ${figures.records.toLocaleString('en-US')} records, duration min / median / max ${range(figures.duration_seconds, 2)} s</figcaption><svg class="plot" data-plot="ecg-durations" data-key="${escapeHtml(figures.key)}" viewBox="0 0 ${width} ${height}" width="${width}" role="img" aria-label="ECG record durations of ${escapeHtml(figures.key)}">${bars}<line x1="20" x2="${width - 20}" y1="${height - 24}" y2="${height - 24}" stroke="#333"/><text x="20" y="${height - 8}">${first} s</text><text x="${width - 20}" y="${height - 8}" text-anchor="end">${last + 1} s</text></svg></figure>`;
}

function imageRows(list: readonly ImageFigures[]): string[][] {
  return list.map((f) => [
    f.key, scopeText(f.scope), f.stages.join(', '), `${fmt(f.rows)} of ${fmt(f.stage_rows)}`, range(f.source_width), band(f.source_width), range(f.source_height), band(f.source_height),
    f.output_width && f.output_height ? `${fmt(f.output_width.median)} × ${fmt(f.output_height.median)} (${fmt(f.output_width.min)}–${fmt(f.output_width.max)} × ${fmt(f.output_height.min)}–${fmt(f.output_height.max)})` : '—',
    f.pixel_spacing.dicom_frames > 0 ? `${percent(f.pixel_spacing.share)}${f.pixel_spacing.row_mm ? `; ${range(f.pixel_spacing.row_mm, 3)} mm` : ''}` : '—',
    counts(f.dicom_modality),
  ]);
}

function ecgRows(list: readonly EcgFigures[]): string[][] {
  return list.map((f) => [f.key, scopeText(f.scope), `${fmt(f.records)} of ${fmt(f.stage_records)}`, counts(f.original_sampling_frequency_hz), range(f.duration_seconds, 2), counts(f.leads_present), counts(f.output_sampling_frequency_hz)]);
}

const MODE_TEXT: Readonly<Record<MediaReport['media_from'], string>> = {
  'sample-default': 'The ingest stage outputs were read from <code>data/sample/</code> (the default for the sample corpus).',
  option: 'The ingest stage outputs were read from the folder given by <code>--media-from</code>.',
  none: 'No ingest stage outputs were read (<code>--media-from=none</code>): only the corpus figures are shown.',
  'not-given': 'No ingest stage outputs were read (a corpus given by <code>--input</code> without <code>--media-from=DIR</code>): only the corpus figures are shown.',
};

export function mediaSection(media: MediaReport): string {
  const stageRows = media.stages.map((s) => [s.stage, s.status, fmt(s.input_files), fmt(s.sources_written), fmt(s.media_written), fmt(s.rejected), percent(s.reject_rate), counts(s.rejects_by_code)]);
  const c = media.corpus;
  const dup = c.exact_duplicates;
  const near = c.near_duplicates;
  const corpusLines = [
    dup ? `Exact duplicates dropped: ${dup.dropped.toLocaleString('en-US')} (${percent(dup.rate)} of rows; ${dup.across_datasets.toLocaleString('en-US')} across datasets).` : 'The corpus has no duplicates.jsonl.',
    near ? `Near-duplicate pairs listed: ${near.pairs.toLocaleString('en-US')}, of which ${near.cross_split.toLocaleString('en-US')} cross splits (${counts(near.by_splits)}).` : 'The corpus has no near-duplicates.jsonl.',
    c.rejects ? `Pairs rejects: ${c.rejects.total.toLocaleString('en-US')} (${percent(c.rejects.rate)})${c.rejects.total > 0 ? ` — ${counts(c.rejects.by_code)}` : ''}.` : 'The corpus has no rejects.jsonl.',
  ];
  const perDataset = (dup?.by_dataset ?? []).map((d) => {
    const n = near?.by_dataset?.[d.dataset_key];
    return [d.dataset_key, fmt(d.dropped), percent(d.rate), near?.by_dataset ? fmt(n?.pairs ?? 0) : '—', near?.by_dataset ? fmt(n?.cross_split ?? 0) : '—'];
  });
  const images = media.images;
  const ecg = media.ecg;
  const ecgPlots = ecg.by_domain.filter((f) => f.records > 0);
  return `<h2>Media and pipeline</h2>
<p>${MODE_TEXT[media.media_from]}${media.corpus.provenance === 'absent' ? ' The corpus has no <code>provenance.parquet</code>: figures are over the whole stage tables.' : ''}</p>
<h3>Ingest stages</h3>
${table(['stage', 'status', 'input files', 'sources written', 'media written', 'rejected', 'reject rate', 'reject codes'], stageRows)}
<p class="note">${escapeHtml(media.definitions.input_files)}. Reject rate: ${escapeHtml(media.definitions.reject_rate)}.</p>
<h3>Corpus: duplicates and rejects</h3>
${corpusLines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
${perDataset.length > 0 ? table(['dataset_key', 'exact duplicates dropped', 'rate', 'near-duplicate pairs', 'of which cross-split'], perDataset) : ''}
${images.by_domain.length > 0 ? `<h3>Image sizes</h3>
${imageSizePlot(images.by_domain)}
${table(['domain', 'scope', 'stages', 'images', 'source width min / median / max', 'p5–p95', 'source height min / median / max', 'p5–p95', 'output (median, range)', 'pixel spacing (share; row mm min / median / max)', 'DICOM modality'], imageRows(images.by_domain))}
${table(['dataset_key', 'scope', 'stages', 'images', 'source width min / median / max', 'p5–p95', 'source height min / median / max', 'p5–p95', 'output (median, range)', 'pixel spacing (share; row mm min / median / max)', 'DICOM modality'], imageRows(images.by_dataset))}
<p class="note">Scope: ${escapeHtml(media.definitions.scope)}. ${escapeHtml(media.definitions.source_size)}. Quantiles: ${escapeHtml(media.definitions.distribution)}.</p>` : ''}
${ecg.by_domain.length > 0 ? `<h3>ECG records</h3>
${ecgPlots.map(ecgDurationPlot).join('\n')}
${table(['key', 'scope', 'records', 'original sampling rate (Hz: records)', 'duration s min / median / max', 'leads present', 'output rate (Hz)'], [...ecgRows(ecg.by_domain), ...ecgRows(ecg.by_dataset)])}
<p class="note">${escapeHtml(media.definitions.ecg_records)}; ${escapeHtml(media.definitions.duration_seconds)}.</p>` : ''}
${media.corpus_join ? `<h3>Join of the corpus to the stage tables</h3>
${table(['dataset_key', 'media paths in the corpus', 'found in the stage tables'], media.corpus_join.map((j) => [j.dataset_key, fmt(j.corpus_media), fmt(j.found_in_stage_tables)]))}` : ''}`;
}
