// Times the real `ingest:ecg` command (worker pool, hashing, .npy and Parquet writing, atomic output)
// on N PTB-XL-like records (12 leads, 10 s, 500 Hz, format 16), against the NumPy + SciPy pipeline
// people write today (peer_numpy_scipy.py, 2 processes) on the same files in the same run. Generating
// the records is not timed. Peak RSS is that of the whole process tree (sampled every 50 ms).
//
//   npx nx run bench-ecg:ingest [-- --records=20000]
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEBIAN_PYTHON } from '@qoq/testing';
import { findWorkspaceRoot, formatBytes, runMeasured } from '@qoq/runtime';
import { writePtbxlLikeRecords } from './ptbxl-like';

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((argument) => argument.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

async function main(): Promise<void> {
  const count = Number(option('records', '20000'));
  const workers = option('workers', '2');
  const root = findWorkspaceRoot();
  const scratch = await mkdtemp(join(tmpdir(), 'qoq-bench-ingest-ecg-'));
  try {
    const input = join(scratch, 'ptb-xl');
    process.stderr.write(`generating ${count} PTB-XL-like records (not timed)…\n`);
    await writePtbxlLikeRecords(input, count);
    await writeFile(join(scratch, 'salt'), 'benchmark salt, not a secret!!');

    const ours = await runMeasured(
      process.execPath,
      // As the Nx target runs it (apps/ingest/project.json).
      [join(root, 'libs/runtime/src/launch.mjs'), join(root, 'apps/ingest/src/ecg.ts'), `--input=${input}`, `--output=${join(scratch, 'ours')}`, `--salt-file=${join(scratch, 'salt')}`, '--dataset=ecg/ptb-xl', `--workers=${workers}`],
      root,
    );
    const peer = await runMeasured(DEBIAN_PYTHON, [fileURLToPath(new URL('./peer_numpy_scipy.py', import.meta.url)), input, join(scratch, 'peer'), workers], root);

    const rows = [
      ['ingest:ecg (QoQ Forge)', ours],
      ['NumPy + SciPy (2 processes)', peer],
    ] as const;
    console.log(`\ningest:ecg benchmark: ${count} records, 12 leads, 10 s, 500 Hz → [8, 2500] at 250 Hz, workers=${workers}`);
    console.log('| pipeline | seconds | records/s | peak RSS (tree) |');
    console.log('| --- | ---: | ---: | ---: |');
    for (const [name, result] of rows) {
      console.log(`| ${name} | ${result.seconds.toFixed(1)} | ${(count / result.seconds).toFixed(0)} | ${formatBytes(result.peakRss)} |`);
    }
    console.log(`\nspeed ratio (ours / peer): ${(peer.seconds / ours.seconds).toFixed(2)}×`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
