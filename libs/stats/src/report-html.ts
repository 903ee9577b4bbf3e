// report.html of stats:report: one self-contained page — inline CSS, inline SVG, no script, no network —
// so that it opens anywhere a corpus is shared, offline, and reads the same in ten years.
import { DOMAIN_IDS } from '@qoq/catalog';
import type { DifficultyReport } from './difficulty-report';
import type { RarityReport } from './rarity';

import { DOMAIN_COLOURS, escapeHtml, fmt, px, table } from './report-html-parts';
import { mediaSection } from './report-html-media';
import type { MediaReport } from './media-report';

export { escapeHtml } from './report-html-parts';

const SPLIT_COLOURS = { train: '#4c78a8', validation: '#f58518', test: '#54a24b' } as const;
const SUPERSCRIPT_DIGITS = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number): string => [...String(n)].map((digit) => SUPERSCRIPT_DIGITS[Number(digit)]).join('');

function compositionPlot(rarity: RarityReport): string {
  const rowHeight = 26;
  const left = 110;
  const width = 640;
  const max = Math.max(1, ...rarity.by_domain.map((d) => d.questions));
  const rows = rarity.by_domain.map((domain, index) => {
    const y = 10 + index * rowHeight;
    let x = left;
    const segments = (['train', 'validation', 'test'] as const).map((split) => {
      const count = domain.splits[split];
      const w = count > 0 ? Math.max(1, ((width - left - 90) * count) / max) : 0;
      const rect = count > 0 ? `<rect x="${px(x)}" y="${y}" width="${px(w)}" height="${rowHeight - 8}" fill="${SPLIT_COLOURS[split]}"><title>${escapeHtml(domain.key)} ${split}: ${count}</title></rect>` : '';
      x += w;
      return rect;
    });
    return `<text x="${left - 6}" y="${y + 13}" text-anchor="end">${escapeHtml(domain.key)}</text>${segments.join('')}<text x="${px(x + 4)}" y="${y + 13}">${fmt(domain.questions)}</text>`;
  });
  const legendY = 10 + rarity.by_domain.length * rowHeight + 8;
  const legend = (['train', 'validation', 'test'] as const)
    .map((split, i) => `<rect x="${left + i * 110}" y="${legendY}" width="12" height="12" fill="${SPLIT_COLOURS[split]}"/><text x="${left + i * 110 + 16}" y="${legendY + 11}">${split}</text>`)
    .join('');
  return `<svg class="plot" data-plot="composition" viewBox="0 0 ${width} ${legendY + 24}" width="${width}" role="img" aria-label="questions per domain and split">${rows.join('')}${legend}</svg>`;
}

/** Questions per dataset (log x) against a difficulty measure: the label proxy always, the mean reward with rollouts. */
function scatterPlot(rarity: RarityReport, difficulty: DifficultyReport, measure: 'chance-set-f1' | 'mean-reward'): string {
  const width = 640;
  const height = 360;
  const margin = { left: 60, right: 20, top: 16, bottom: 44 };
  const rewardByDataset = new Map((difficulty.rollouts?.by_dataset ?? []).map((d) => [d.key, d.mean_reward]));
  const useReward = measure === 'mean-reward';
  const points = rarity.by_dataset
    .filter((d) => d.questions > 0)
    .map((d) => {
      const proxy = difficulty.label_proxies.by_dataset.find((p) => p.dataset_key === d.key);
      const y = useReward ? (rewardByDataset.get(d.key) ?? null) : (proxy?.chance_set_f1 ?? null);
      return { key: d.key, domain: d.domain, x: Math.log10(d.questions), y };
    })
    .filter((p): p is { key: string; domain: string; x: number; y: number } => p.y !== null);
  const xMax = Math.max(1, Math.ceil(Math.max(...points.map((p) => p.x), 0)));
  const yMax = Math.max(1, ...points.map((p) => p.y));
  const sx = (x: number): number => margin.left + (x / xMax) * (width - margin.left - margin.right);
  const sy = (y: number): number => height - margin.bottom - (y / yMax) * (height - margin.top - margin.bottom);
  const ticks = Array.from({ length: xMax + 1 }, (_, i) => `<line x1="${px(sx(i))}" x2="${px(sx(i))}" y1="${height - margin.bottom}" y2="${height - margin.bottom + 5}" stroke="#333"/><text x="${px(sx(i))}" y="${height - margin.bottom + 18}" text-anchor="middle">10${superscript(i)}</text>`).join('');
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((t) => t * yMax).map((t) => `<text x="${margin.left - 6}" y="${px(sy(t) + 4)}" text-anchor="end">${t.toFixed(2)}</text><line x1="${margin.left}" x2="${width - margin.right}" y1="${px(sy(t))}" y2="${px(sy(t))}" stroke="#eee"/>`).join('');
  const circles = points.map((p) => `<circle cx="${px(sx(p.x))}" cy="${px(sy(p.y))}" r="6" fill="${DOMAIN_COLOURS[p.domain] ?? '#000'}" fill-opacity="0.8"><title>${escapeHtml(p.key)}: ${Math.round(10 ** p.x)} questions, ${p.y.toFixed(3)}</title></circle>`).join('');
  const yLabel = useReward ? 'mean reward (rollouts)' : 'chance set-F1 (label proxy)';
  return `<svg class="plot" data-plot="rarity-difficulty" data-measure="${measure}" viewBox="0 0 ${width} ${height}" width="${width}" role="img" aria-label="rarity against difficulty">${yTicks}<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" stroke="#333"/>${ticks}${circles}<text x="${width / 2}" y="${height - 6}" text-anchor="middle">questions per dataset (log scale)</text><text x="14" y="${height / 2}" transform="rotate(-90 14 ${height / 2})" text-anchor="middle">${yLabel}</text></svg>`;
}

function prevalencePlot(dataset: RarityReport['by_dataset'][number]): string {
  const rowHeight = 16;
  const left = 230;
  const width = 640;
  const bars = dataset.labels.map((label, i) => {
    const y = 4 + i * rowHeight;
    const w = (label.prevalence ?? 0) * (width - left - 60);
    return `<text x="${left - 6}" y="${y + 11}" text-anchor="end">${escapeHtml(label.label)}</text><rect x="${left}" y="${y}" width="${px(w)}" height="${rowHeight - 4}" fill="${DOMAIN_COLOURS[dataset.domain] ?? '#000'}"><title>${escapeHtml(label.label)}: ${label.questions}</title></rect><text x="${px(left + w + 4)}" y="${y + 11}">${fmt(label.prevalence)}</text>`;
  });
  return `<svg class="plot" data-plot="label-prevalence" data-dataset="${escapeHtml(dataset.key)}" viewBox="0 0 ${width} ${8 + dataset.labels.length * rowHeight}" width="${width}" role="img" aria-label="label prevalence of ${escapeHtml(dataset.key)}">${bars.join('')}</svg>`;
}

function rewardPlot(stats: NonNullable<DifficultyReport['rollouts']>['by_domain'][number]): string {
  const width = 300;
  const height = 120;
  const max = Math.max(1, ...stats.reward_histogram.map((b) => b.rollouts));
  const lastBin = Math.max(10, ...stats.reward_histogram.map((b) => Math.round(b.bin_start * 10) + 1));
  const barWidth = (width - 20) / lastBin;
  const bars = stats.reward_histogram
    .map((b) => {
      const h = ((height - 24) * b.rollouts) / max;
      return `<rect x="${px(10 + Math.round(b.bin_start * 10) * barWidth)}" y="${px(height - 16 - h)}" width="${px(Math.max(1, barWidth - 1))}" height="${px(h)}" fill="${DOMAIN_COLOURS[stats.key] ?? '#555'}"><title>[${b.bin_start.toFixed(1)}, ${(b.bin_start + 0.1).toFixed(1)}): ${b.rollouts}</title></rect>`;
    })
    .join('');
  return `<figure><figcaption>${escapeHtml(stats.key)} — mean ${stats.mean_reward.toFixed(3)}, pass ${stats.pass_rate.toFixed(3)}</figcaption><svg class="plot" data-plot="reward-distribution" viewBox="0 0 ${width} ${height}" width="${width}" role="img" aria-label="reward distribution of ${escapeHtml(stats.key)}">${bars}<line x1="10" x2="${width - 10}" y1="${height - 16}" y2="${height - 16}" stroke="#333"/><text x="10" y="${height - 3}">0</text><text x="${width - 10}" y="${height - 3}" text-anchor="end">${(lastBin / 10).toFixed(1)}</text></svg></figure>`;
}

function rejectsParagraph(rarity: RarityReport): string {
  const rejects = rarity.corpus.rejects;
  if (rejects === null) return '<p class="note">The corpus has no rejects.jsonl.</p>';
  const rate = rejects.total + rarity.corpus.rows > 0 ? rejects.total / (rejects.total + rarity.corpus.rows) : 0;
  const codes = Object.entries(rejects.by_code).map(([code, n]) => `${escapeHtml(code)} ${n.toLocaleString('en-US')}`).join(', ');
  return `<p>Rejected inputs: ${rejects.total.toLocaleString('en-US')} (${(100 * rate).toFixed(2)} % of inputs)${codes ? ` — ${codes}` : ''}.</p>`;
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222;padding:0 1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:2px 8px;text-align:right}
thead th{background:#f3f3f3}tbody th{text-align:left;font-weight:600}svg{display:block;margin:.5em 0;font-size:11px}
figure{display:inline-block;margin:0 1em 1em 0}figcaption{font-size:12px}code{background:#f3f3f3;padding:0 3px}
.note{color:#555;font-size:12px}`;

export function renderReportHtml(rarity: RarityReport, difficulty: DifficultyReport, media: MediaReport | null = null): string {
  const domainRows = DOMAIN_IDS.map((domain) => {
    const r = rarity.by_domain.find((d) => d.key === domain);
    const l = difficulty.label_proxies.by_domain.find((d) => d.domain === domain);
    return [
      domain, fmt(r?.questions ?? 0), fmt(r?.splits.train ?? 0), fmt(r?.splits.validation ?? 0), fmt(r?.splits.test ?? 0),
      fmt(r?.share ?? 0, 4), fmt(r?.inverse_frequency_weight ?? null), fmt(r?.inverse_sqrt_weight ?? null),
      fmt(r?.test_accuracy_ci95_halfwidth ?? null), fmt(l?.label_entropy_bits ?? null), fmt(l?.chance_set_f1 ?? null),
    ];
  });
  const datasetRows = rarity.by_dataset.map((d) => {
    const l = difficulty.label_proxies.by_dataset.find((p) => p.dataset_key === d.key);
    return [
      d.key, fmt(d.questions), fmt(d.splits.test), fmt(d.labels_per_question_mean), fmt(d.box_share), fmt(d.mask_share),
      fmt(d.max_abs_prevalence_shift), fmt(l?.label_entropy_bits ?? null), fmt(l?.majority_rate ?? null), fmt(l?.imbalance_ratio ?? null), fmt(l?.chance_set_f1 ?? null),
    ];
  });
  const rollouts = difficulty.rollouts;
  const rolloutSection = rollouts
    ? `<h2>Reward distributions</h2><p class="note">${rollouts.file_rollouts.toLocaleString('en-US')} rollouts; pass = accuracy ≥ ${rollouts.pass_threshold}. DRPO temperatures are illustrative (a replay of the log; the trainer counts N_d online).</p>
${rollouts.by_domain.map(rewardPlot).join('\n')}
${table(['dataset_key', 'rollouts', 'mean reward', 'pass rate', 'within-group var', 'zero-variance share'], rollouts.by_dataset.map((d) => [d.key, fmt(d.rollouts), fmt(d.mean_reward), fmt(d.pass_rate), fmt(d.within_group_variance), fmt(d.zero_variance_share)]))}
${table(['dataset_key', 'N_d', 'μ_d', 'T_d', 'clusters'], rollouts.drpo_illustrative.map((t) => [t.dataset_key, fmt(t.question_count), fmt(t.domain_mean), fmt(t.domain_temperature), fmt(t.clusters)]))}`
    : '<p class="note">No rollouts were given (<code>--rollouts=FILE</code>): difficulty is from the labels only.</p>';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>QoQ Forge corpus statistics</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>${CSS}</style></head><body>
<h1>Corpus statistics</h1>
<p>${rarity.corpus.rows.toLocaleString('en-US')} questions in ${rarity.corpus.shards} shards; manifest SHA-256 <code>${rarity.corpus.manifest_sha256}</code>.</p>
${rejectsParagraph(rarity)}
<h2>Composition by domain and split</h2>
${compositionPlot(rarity)}
${table(['domain', 'questions', 'train', 'validation', 'test', 'share', 'inverse-frequency weight', 'inverse-√N weight', 'test ±95 %', 'label entropy (bits)', 'chance set-F1'], domainRows)}
<p class="note">test ±95 %: half-width of the Wilson interval of an accuracy of 0.5 on the test questions. Weights: ${escapeHtml(rarity.definitions.inverse_frequency_weight)}; ${escapeHtml(rarity.definitions.inverse_sqrt_weight)}.</p>
<h2>Rarity against difficulty per dataset</h2>
${scatterPlot(rarity, difficulty, 'chance-set-f1')}
${difficulty.rollouts ? scatterPlot(rarity, difficulty, 'mean-reward') : ''}
${table(['dataset_key', 'questions', 'test', 'labels / question', 'box share', 'mask share', 'max prevalence shift', 'label entropy (bits)', 'majority rate', 'imbalance ratio', 'chance set-F1'], datasetRows)}
<p class="note">${escapeHtml(difficulty.definitions.chance_set_f1)}.</p>
<h2>Label prevalence</h2>
${rarity.by_dataset.map((d) => `<h3>${escapeHtml(d.key)}</h3>${prevalencePlot(d)}`).join('\n')}
${rolloutSection}
${media ? mediaSection(media) : ''}
</body></html>
`;
}
