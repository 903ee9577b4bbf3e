// `nx run sample:generate` — writes the bundled sample corpus (default data/sample/raw/).
//   --output=DIR   where to write (default <workspace>/data/sample/raw)
//   --seed=N       PRNG seed (default: spec.json's defaultSeed)
//   --scale=X      multiply every split count (tests use less than 1; default 1 = the spec table)
//   --workers=N    worker threads (default: every core)
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ExitCode,
  canonicalJson,
  exitWith,
  findWorkspaceRoot,
  listFilesSorted,
  parseCommandLine,
  parseFiniteNumber,
  parseNonNegativeInteger,
  peakRssOfSelf,
  runCommand,
  UsageError,
} from '@qoq/runtime';
import { generateCorpus } from './corpus';

const STAMP_FILE = '.generator-stamp.json';

/**
 * What the corpus is a function of: the generator's own sources, its spec table and the options. Every
 * ingest target depends on sample:generate, so an unchanged sample must cost nothing to "regenerate".
 */
async function generatorStamp(options: Record<string, unknown>): Promise<string> {
  const toolRoot = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha256').update(canonicalJson(options));
  for (const path of await listFilesSorted(toolRoot)) {
    if (path.startsWith('node_modules/') || !/\.(ts|json)$/.test(path)) continue;
    hash.update(path).update('\0').update(await readFile(join(toolRoot, path)));
  }
  return hash.digest('hex');
}

async function main(): Promise<ExitCode> {
  const { common, options } = parseCommandLine(process.argv.slice(2), {
    seed: { type: 'string' },
    scale: { type: 'string' },
    force: { type: 'boolean', default: false },
  });
  if (common.help) {
    process.stdout.write('usage: generate [--output=DIR] [--seed=N] [--scale=X] [--workers=N] [--dataset=KEY] [--force]\n');
    return ExitCode.Finished;
  }
  const scale = options.scale === undefined ? 1 : parseFiniteNumber('scale', options.scale);
  if (scale <= 0 || scale > 1) throw new UsageError('--scale must be in (0, 1]');
  const output = resolve(common.output ?? resolve(findWorkspaceRoot(), 'data/sample/raw'));
  const seed = options.seed === undefined ? undefined : parseNonNegativeInteger('seed', options.seed);
  const stamp = await generatorStamp({ seed: seed ?? null, scale, dataset: common.dataset ?? null });
  const existing = await readFile(join(output, STAMP_FILE), 'utf8').catch(() => '');
  if (existing.trim() === stamp && !options.force) {
    process.stdout.write(`sample corpus: ${output} is up to date (same generator, spec and options; --force to rewrite)\n`);
    return ExitCode.Finished;
  }
  const started = performance.now();
  const summary = await generateCorpus({
    output,
    seed,
    scale,
    workers: common.workers,
    datasets: common.dataset === undefined ? undefined : [common.dataset],
  });
  await writeFile(join(output, STAMP_FILE), `${stamp}\n`);
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `sample corpus: ${summary.items} items in ${summary.datasets} datasets, ${summary.files} files → ${output} ` +
      `(${seconds.toFixed(1)} s, peak RSS ${(peakRssOfSelf() / 2 ** 20).toFixed(0)} MiB)\n`,
  );
  return ExitCode.Finished;
}

await exitWith(runCommand(main));
