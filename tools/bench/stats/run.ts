// Times stats:rarity over a benchmark corpus with the paper's domain mix (QoQ-Med §1: 2.61 M pairs —
// 78.9 K ECG, ~707 K 2D, ~1.83 M 3D of which RSPECT CT slices ~1.79 M), written through @qoq/dataset-io
// (not timed). stats:rarity runs as its own process, as `nx run stats:rarity` would run it; the figures
// are its wall time and the peak RSS it reports (VmHWM of /proc/self/status).
//   npx tsx tools/bench/stats/run.ts [--rows=2610000] [--keep=DIR] [--workers=1,2]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadCatalog } from '@qoq/catalog';
import { writeSyntheticCorpus } from '@qoq/stats';

const PAPER_TOTAL = 2_610_000;
/** Questions per domain (QoQ-Med §1; the 2D split across its domains is ours). */
const DOMAIN_MIX: Record<string, number> = {
  ecg: 78_900, chest_xray: 420_000, mammo: 60_000, derm: 70_000, fundus: 60_000, pathology: 97_100,
  ultrasound: 10_000, mri: 7_000, ct: 1_807_000,
};

/** Rows per dataset_key for a corpus of `total` rows: each domain's share spread over its datasets (RSPECT takes ~1.79 M of CT). */
function benchmarkRows(total: number): Record<string, number> {
  const catalog = loadCatalog();
  const rows: Record<string, number> = {};
  const domains = Object.entries(DOMAIN_MIX);
  let remaining = total;
  for (const [index, [domain, questions]] of domains.entries()) {
    const datasets = catalog.datasets().filter((d) => d.domain === domain).map((d) => d.dataset_key);
    const weights = datasets.map((key, i) => (key === 'ct/rspect' ? 1_790_000 / 17_000 * (datasets.length - 1) : 1 / (i + 1)));
    const sum = weights.reduce((a, b) => a + b, 0);
    const scaled = index === domains.length - 1 ? remaining : Math.round((questions * total) / PAPER_TOTAL);
    remaining -= scaled;
    let left = scaled;
    datasets.forEach((key, i) => {
      const n = i === datasets.length - 1 ? left : Math.round((scaled * weights[i]) / sum);
      rows[key] = n;
      left -= n;
    });
  }
  return rows;
}

const { values } = parseArgs({ options: { rows: { type: 'string', default: String(PAPER_TOTAL) }, keep: { type: 'string' }, workers: { type: 'string', default: '1,2' } } });
const total = Number(values.rows);
const folder = values.keep ?? (await mkdtemp(join(tmpdir(), 'bench-stats-')));
const corpus = join(folder, 'corpus');
try {
  if (!existsSync(join(corpus, 'manifest.json'))) {
    const started = performance.now();
    const manifest = await writeSyntheticCorpus(corpus, { rows: benchmarkRows(total), rowsPerShard: 500_000 });
    console.log(`corpus: ${manifest.totalRows} rows in ${manifest.shards.length} shards, written in ${((performance.now() - started) / 1000).toFixed(1)} s (not timed)`);
  }
  for (const workers of values.workers.split(',')) {
    const command = [process.execPath, '--import', 'tsx', 'apps/stats/src/rarity.ts', `--input=${corpus}`, `--output=${join(folder, 'stats')}`, `--workers=${workers}`];
    // GNU time, where present, adds the CPU seconds (user + system, all threads): on a shared machine
    // the wall time depends on the load, the CPU time much less.
    const timed = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'cpu %U %S', ...command] : command;
    const started = performance.now();
    const run = spawnSync(timed[0], timed.slice(1), { encoding: 'utf8' });
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 0) throw new Error(`stats:rarity exited ${run.status}: ${run.stderr}`);
    const rss = /peak RSS\s+(.+)/.exec(run.stdout)?.[1] ?? '?';
    const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
    const cpuText = cpu ? `, CPU ${(Number(cpu[1]) + Number(cpu[2])).toFixed(2)} s (user ${cpu[1]}, system ${cpu[2]})` : '';
    console.log(`stats:rarity --workers=${workers} over ${total.toLocaleString('en-US')} rows: ${seconds.toFixed(2)} s wall (process start included)${cpuText}, peak RSS ${rss} (main thread + scan threads)`);
  }
  console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
} finally {
  if (values.keep === undefined) await rm(folder, { recursive: true, force: true });
}
