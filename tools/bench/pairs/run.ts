// Times ingest:pairs over 2.61 M source samples with the paper's domain mix (QoQ-Med §1: 78.9 K ECG,
// ~707 K 2D, ~1.81 M CT of which RSPECT slices ~1.79 M), one catalog dataset per domain in its real
// layout (generate-raw.ts), with the ingest stages' outputs synthesized over a pool of ~10,000 small
// media (generate-stages.ts); generation is not timed. ingest:pairs runs as its own process, exactly as
// a user runs it (default options: dedup, difference hashes, leakage check; no export); the figures
// are its wall time, the CPU seconds of GNU time where present, and the peak RSS it reports (VmHWM).
//   npx tsx tools/bench/pairs/run.ts [--scale=1] [--pool=10000] [--keep=DIR] [--json=FILE] [--node-options=…] [--generate-only]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateRawTree, PAPER_TOTAL } from './generate-raw';
import { generateStageOutputs } from './generate-stages';

const GOAL_SECONDS = 600;
const GOAL_RSS_BYTES = 1e9;

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    pool: { type: 'string', default: '10000' },
    keep: { type: 'string' },
    json: { type: 'string' },
    'node-options': { type: 'string', default: '' },
    'generate-only': { type: 'boolean', default: false },
  },
});
const scale = Number(values.scale);
const poolSize = Number(values.pool);
if (!(scale > 0) || !(Number.isInteger(poolSize) && poolSize > 0)) throw new Error('--scale must be > 0 and --pool a positive integer');
const folder = values.keep === undefined ? await mkdtemp(join(tmpdir(), 'bench-pairs-')) : resolve(values.keep);
const ready = join(folder, 'generated.json');

function bytesOf(text: string): number {
  const match = /([\d.]+)\s*(B|KiB|MiB|GiB)/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[match[2] as 'B' | 'KiB' | 'MiB' | 'GiB'];
}

try {
  let generated: { scale: number; pool: number; samples: number; links: number; datasets: { datasetKey: string; folder: string; samples: number }[] };
  const previous = existsSync(ready) ? (JSON.parse(readFileSync(ready, 'utf8')) as typeof generated) : null;
  if (previous !== null && previous.scale === scale && previous.pool === poolSize) {
    generated = previous;
    console.log(`reusing the generated tree in ${folder} (${generated.samples.toLocaleString('en-US')} source samples)`);
  } else {
    if (previous !== null) throw new Error(`${folder} holds a tree of --scale=${previous.scale} --pool=${previous.pool}: use another --keep folder`);
    const started = performance.now();
    const tree = await generateRawTree(folder, scale, poolSize);
    const stages = await generateStageOutputs(folder, tree.sources, poolSize);
    generated = { scale, pool: poolSize, samples: tree.sources.length, links: tree.links, datasets: tree.datasets };
    writeFileSync(
      join(folder, 'sources.json'),
      `${JSON.stringify(tree.datasets.map((d) => ({ dataset_key: d.datasetKey, folder: d.folder })), null, 2)}\n`,
    );
    writeFileSync(join(folder, 'salt.bin'), 'bench-pairs salt, 32 bytes long!');
    writeFileSync(ready, `${JSON.stringify(generated, null, 2)}\n`);
    console.log(
      `generated ${generated.samples.toLocaleString('en-US')} source samples (${tree.links.toLocaleString('en-US')} raw hard links to ${poolSize} pool files; ` +
        `${stages.imagePool} PNG + ${stages.ecgPool} .npy media) in ${((performance.now() - started) / 1000).toFixed(1)} s (not timed)`,
    );
  }
  for (const dataset of generated.datasets) console.log(`  ${dataset.datasetKey.padEnd(20)} ${dataset.samples.toLocaleString('en-US').padStart(10)}`);
  if (values['generate-only']) {
    if (values.keep === undefined) console.log('--generate-only without --keep: the tree is deleted again');
  } else {

    const output = join(folder, 'corpus');
    await rm(output, { recursive: true, force: true });
    await rm(`${output}.partial`, { recursive: true, force: true });
    const command = [
      process.execPath,
      ...values['node-options'].split(' ').filter((option) => option !== ''),
      // As the Nx target runs it (apps/ingest/project.json).
      'libs/runtime/src/launch.mjs',
      'apps/ingest/src/pairs.ts',
      `--sources=${join(folder, 'sources.json')}`,
      `--media-from=${join(folder, 'stages')}`,
      `--output=${output}`,
      `--salt-file=${join(folder, 'salt.bin')}`,
    ];
    // GNU time, where present, adds the CPU seconds (user + system) and its own view of the peak RSS.
    const timed = existsSync('/usr/bin/time') ? ['/usr/bin/time', '-f', 'cpu %U %S maxrss %M', ...command] : command;
    console.log(`running ingest:pairs (timed): ${command.slice(command.indexOf('apps/ingest/src/pairs.ts')).join(' ')}`);
    const load = loadavg();
    const started = performance.now();
    const run = spawnSync(timed[0], timed.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20 });
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 0) throw new Error(`ingest:pairs exited ${run.status}:\n${run.stdout}\n${run.stderr.slice(-4000)}`);
    const field = (name: string): string => new RegExp(`${name}\\s+(.+)`).exec(run.stdout)?.[1] ?? '?';
    const processed = Number(/inputs processed\s+(\d+)/.exec(run.stdout)?.[1]);
    const written = Number(/outputs written\s+(\d+)/.exec(run.stdout)?.[1]);
    const rejected = Number(/rejected\s+(\d+)/.exec(run.stdout)?.[1]);
    const duplicates = Number(/duplicates\s+(\d+) dropped/.exec(run.stdout)?.[1]);
    const rssText = field('peak RSS');
    const rss = bytesOf(rssText);
    const cpu = /cpu ([\d.]+) ([\d.]+) maxrss (\d+)/.exec(run.stderr);
    const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : null;
    const loadAfter = loadavg();
    const result = {
      scale,
      pool: poolSize,
      sourceSamples: processed,
      pairsWritten: written,
      duplicatesDropped: duplicates,
      rejected,
      wallSeconds: Number(seconds.toFixed(2)),
      samplesPerSecond: Math.round(processed / seconds),
      pairsPerSecond: Math.round(written / seconds),
      cpuSeconds,
      peakRssBytes: rss,
      timeMaxRssBytes: cpu ? Number(cpu[3]) * 1024 : null,
      loadAverageBefore: load.map((l) => Number(l.toFixed(2))),
      loadAverageAfter: loadAfter.map((l) => Number(l.toFixed(2))),
      cores: availableParallelism(),
      // The goals are stated for the paper's 2.61 M; at a smaller scale they are extrapolated linearly (time only).
      projectedFullSeconds: Math.round((seconds * PAPER_TOTAL) / processed),
      goalTimeMet: seconds < GOAL_SECONDS * (processed / PAPER_TOTAL),
      goalRssMet: rss < GOAL_RSS_BYTES,
    };
    console.log(run.stdout.trimEnd());
    console.log(
      [
        `ingest:pairs over ${processed.toLocaleString('en-US')} source samples (scale ${scale}, pool ${poolSize}):`,
        `  pairs written      ${written.toLocaleString('en-US')} (exact duplicates dropped: ${duplicates.toLocaleString('en-US')}; rejects: ${rejected})`,
        `  wall               ${seconds.toFixed(1)} s (process start included)${cpuSeconds === null ? '' : `, CPU ${cpuSeconds.toFixed(1)} s (user ${cpu?.[1]}, system ${cpu?.[2]})`}`,
        `  throughput         ${result.samplesPerSecond.toLocaleString('en-US')} source samples/s, ${result.pairsPerSecond.toLocaleString('en-US')} pairs written/s`,
        `  peak RSS           ${rssText}${cpu ? ` (GNU time: ${(Number(cpu[3]) / 1024).toFixed(0)} MiB)` : ''}`,
        `  load average       ${load.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after, on ${availableParallelism()} cores`,
        `  goals              time < 10 min at 2.61 M: ${result.goalTimeMet ? 'met' : 'NOT met'} (${scale === 1 ? 'measured' : `projected ${result.projectedFullSeconds} s`}); peak RSS < 1 GB: ${result.goalRssMet ? 'met' : 'NOT met'}${scale === 1 ? '' : ' (at this scale)'}`,
      ].join('\n'),
    );
    if (values.json !== undefined) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  }
} finally {
  if (values.keep === undefined) await rm(folder, { recursive: true, force: true });
}
