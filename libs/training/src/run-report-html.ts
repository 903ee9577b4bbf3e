// report.html of a run: one self-contained page (inline CSS and SVG, no script, no network — a CSP says
// so) with the training curves per domain, the loss / KL / clip-fraction curves, validation over the
// run, and the test table with bootstrap intervals beside the label-prior baselines.
import type { EvaluationFigures, Figure, GroupFigures } from './evaluation-figures';
import type { EvalDocument } from './training-run';
import type { TrainerConfig } from './trainer-config';

export interface RunReportInput {
  readonly config: TrainerConfig;
  readonly metrics: readonly Record<string, unknown>[];
  readonly validation: readonly Record<string, unknown>[];
  readonly evaluation: EvalDocument;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
}

/** Trailing moving average over `window` points (rollout rewards are noisy per step). */
function smooth(points: ReadonlyArray<readonly [number, number]>, window: number): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  let sum = 0;
  for (let i = 0; i < points.length; i++) {
    sum += points[i][1];
    if (i >= window) sum -= points[i - window][1];
    result.push([points[i][0], sum / Math.min(i + 1, window)]);
  }
  return result;
}

function lineChart(title: string, series: readonly Series[], yLabel: string): string {
  const width = 460;
  const height = 220;
  const left = 48;
  const right = 120;
  const top = 24;
  const bottom = 30;
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  if (all.length === 0) return `<figure><figcaption>${escapeHtml(title)}</figcaption><p class="empty">no data</p></figure>`;
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs, xMin + 1);
  let yMin = Math.min(...ys);
  let yMax = Math.max(...ys);
  if (yMax - yMin < 1e-12) {
    yMin -= 0.5;
    yMax += 0.5;
  }
  const px = (x: number) => left + ((x - xMin) / (xMax - xMin)) * (width - left - right);
  const py = (y: number) => top + (1 - (y - yMin) / (yMax - yMin)) * (height - top - bottom);
  const ticks = [yMin, (yMin + yMax) / 2, yMax]
    .map((y) => `<line x1="${left}" x2="${width - right}" y1="${py(y).toFixed(1)}" y2="${py(y).toFixed(1)}" class="grid"/><text x="${left - 4}" y="${(py(y) + 3).toFixed(1)}" text-anchor="end">${formatTick(y)}</text>`)
    .join('');
  const lines = series
    .map((s, i) => {
      const points = s.points.filter(([, y]) => Number.isFinite(y));
      if (points.length === 0) return '';
      const color = PALETTE[i % PALETTE.length];
      const path = points.map(([x, y], j) => `${j === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join('');
      const legendY = top + 12 * i;
      const dot = points.length === 1 ? `<circle cx="${px(points[0][0]).toFixed(1)}" cy="${py(points[0][1]).toFixed(1)}" r="2.5" fill="${color}"/>` : '';
      return `<path d="${path}" stroke="${color}" fill="none" stroke-width="1.4"/>${dot}<text x="${width - right + 6}" y="${legendY + 4}" fill="${color}">${escapeHtml(s.name)}</text>`;
    })
    .join('');
  return (
    `<figure><figcaption>${escapeHtml(title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}">` +
    `${ticks}<text x="${left}" y="${height - 8}">step ${xMin}</text><text x="${width - right}" y="${height - 8}" text-anchor="end">${xMax}</text>` +
    `<text x="10" y="${top - 8}">${escapeHtml(yLabel)}</text>${lines}</svg></figure>`
  );
}

function formatTick(value: number): string {
  const magnitude = Math.abs(value);
  return magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e4) ? value.toExponential(1) : value.toFixed(3);
}

const numberAt = (record: unknown, ...path: string[]): number => {
  let value: unknown = record;
  for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' ? value : Number.NaN;
};

function perKeySeries(lines: readonly Record<string, unknown>[], field: string, component: string, window: number): Series[] {
  const keys = new Set<string>();
  for (const line of lines) for (const key of Object.keys((line[field] as Record<string, unknown>) ?? {})) keys.add(key);
  return [...keys].sort().map((key) => ({
    name: key,
    points: smooth(
      lines.filter((line) => (line[field] as Record<string, unknown> | undefined)?.[key] !== undefined).map((line) => [numberAt(line, 'step'), numberAt(line, field, key, component)] as const),
      window,
    ),
  }));
}

function figureCell(figure: Figure | null | undefined): string {
  if (!figure) return '<td>–</td>';
  const ci = figure.ci95 ? ` <span class="ci">[${figure.ci95[0].toFixed(3)}, ${figure.ci95[1].toFixed(3)}]</span>` : '';
  return `<td>${figure.value.toFixed(3)}${ci}</td>`;
}

function evalRows(label: string, policy: GroupFigures, baselines: Record<string, GroupFigures | undefined>, beats: boolean | null, kind: string): string {
  const mark = beats === null ? '' : beats ? '✔' : '✘';
  return (
    `<tr class="${kind}"><th>${escapeHtml(label)}</th><td>${policy.questions}</td>${figureCell(policy.accuracy)}${figureCell(policy.macro_f1)}${figureCell(policy.iou)}` +
    `${figureCell(baselines.majority?.macro_f1)}${figureCell(baselines.prevalence?.macro_f1)}<td>${mark}</td></tr>`
  );
}

function evalTable(evaluation: EvalDocument): string {
  const policy: EvaluationFigures = evaluation.policy;
  const baselines = evaluation.baselines;
  const rows: string[] = [evalRows('overall', policy.overall, { majority: baselines.majority?.overall, prevalence: baselines.prevalence?.overall }, null, 'overall')];
  for (const [domain, figures] of Object.entries(policy.domains)) {
    rows.push(evalRows(domain, figures, { majority: baselines.majority?.domains[domain], prevalence: baselines.prevalence?.domains[domain] }, null, 'domain'));
    for (const [key, datasetFigures] of Object.entries(policy.datasets)) {
      if (evaluation.dataset_domains[key] !== domain) continue;
      rows.push(
        evalRows(`  ${key}`, datasetFigures, { majority: baselines.majority?.datasets[key], prevalence: baselines.prevalence?.datasets[key] }, evaluation.comparison.datasets[key]?.beats_baseline ?? null, 'dataset'),
      );
    }
  }
  return (
    '<table><thead><tr><th></th><th>questions</th><th>accuracy [95 % CI]</th><th>macro-F1 [95 % CI]</th><th>IoU [95 % CI]</th>' +
    '<th>majority macro-F1</th><th>prevalence macro-F1</th><th>beats prior</th></tr></thead><tbody>' +
    rows.join('') +
    '</tbody></table>'
  );
}

/** The page; deterministic for its inputs. */
export function renderRunReport(input: RunReportInput): string {
  const { config, metrics, validation, evaluation } = input;
  const window = Math.max(1, Math.round(metrics.length / 30));
  const charts: string[] = [];
  const hasRollouts = metrics.some((line) => line.reward_by_domain !== undefined);
  if (hasRollouts) {
    charts.push(lineChart(`Rollout reward per domain (moving mean over ${window} steps)`, perKeySeries(metrics, 'reward_by_domain', 'overall', window), 'reward'));
    charts.push(lineChart(`Rollout accuracy (set-F1) per domain (moving mean over ${window} steps)`, perKeySeries(metrics, 'reward_by_domain', 'accuracy', window), 'accuracy'));
  }
  const series = (name: string, ...path: string[]): Series => ({ name, points: smooth(metrics.map((line) => [numberAt(line, 'step'), numberAt(line, ...path)] as const), window) });
  charts.push(lineChart('Loss (mean over mini-batch updates)', [series('loss', 'update', 'loss'), series('policy', 'update', 'policy_loss')], 'loss'));
  if (hasRollouts) {
    charts.push(lineChart('KL to the reference (k3, token mean)', [series('k3(old, ref)', 'kl_old_ref')], 'KL'));
    charts.push(lineChart('Clip fraction', [series('clipped', 'update', 'clip_fraction'), series('dual-clipped', 'update', 'dual_clip_fraction')], 'share of tokens'));
  }
  charts.push(lineChart('Gradient norm (before clipping)', [series('mean', 'update', 'grad_norm')], 'norm'));
  const validationSeries: Series[] = [{ name: 'overall', points: validation.map((line) => [numberAt(line, 'step'), numberAt(line, 'overall', 'macro_f1')] as const) }];
  const domains = new Set<string>();
  for (const line of validation) for (const key of Object.keys((line.domains as Record<string, unknown>) ?? {})) domains.add(key);
  for (const domain of [...domains].sort()) validationSeries.push({ name: domain, points: validation.map((line) => [numberAt(line, 'step'), numberAt(line, 'domains', domain, 'macro_f1')] as const) });
  charts.push(lineChart('Validation macro-F1 (greedy)', validationSeries, 'macro-F1'));

  const title = `${config.estimator} · seed ${config.seed} · ${config.steps} steps`;
  const checkpoint = evaluation.checkpoint;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>QoQ Forge run — ${escapeHtml(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.charts{display:flex;flex-wrap:wrap;gap:12px}figure{margin:0;border:1px solid #ddd;padding:6px}
figcaption{font-weight:600;font-size:13px}svg text{font-size:10px;fill:#444}.grid{stroke:#eee}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ddd;padding:3px 6px;text-align:right;white-space:pre}
th:first-child{text-align:left}.overall{background:#eef}.domain{background:#f6f6f6}.ci{color:#777;font-size:11px}.empty{color:#999}
</style></head><body>
<h1>QoQ Forge training run — ${escapeHtml(title)}</h1>
<p>Batch: ${config.batch.questions} questions × ${config.batch.rollouts} rollouts, ${config.batch.miniBatches} mini-batch updates per step; learning rate ${config.optimizer.learningRate};
DRPO key ${escapeHtml(config.drpo.domainKey)}; backend ${escapeHtml(config.backend)}. Corpus manifest SHA-256 <code>${escapeHtml(evaluation.corpus_manifest_sha256)}</code>.</p>
<h2>Training</h2>
<div class="charts">${charts.join('\n')}</div>
<h2>${escapeHtml(evaluation.split)} split — ${checkpoint.kind} weights (step ${checkpoint.step}${checkpoint.validation_macro_f1 === null ? '' : `, validation macro-F1 ${checkpoint.validation_macro_f1.toFixed(3)}`})</h2>
<p>Bootstrap: ${evaluation.bootstrap.resamples} resamples of the questions within each dataset, 95 % percentile intervals. The policy beats the better label-prior baseline on macro-F1 in
<strong>${evaluation.comparison.beaten} of ${evaluation.comparison.of}</strong> datasets.</p>
${evalTable(evaluation)}
<h2>Definitions</h2>
<ul>${Object.entries(evaluation.definitions).map(([key, text]) => `<li><b>${escapeHtml(key)}</b>: ${escapeHtml(text)}</li>`).join('')}</ul>
</body></html>
`;
}
