// Times @qoq/ecg over PTB-XL-like records: read (WFDB format 16 from disk) + normalize (8 leads,
// 500 → 250 Hz, 10 s) + encode .npy, one record after another on one thread, outputs kept in memory
// and dropped. Generating the records is not timed. This measures the library only: the goal
// (20,000 records in under 30 s on 2 cores, peak RSS under 500 MB, hashing and writing included) is
// for the ingest:ecg target, which adds the worker pool, hashing and Parquet/npy writing.
//
//   npx tsx tools/bench/ecg/src/bench-ecg-library.ts [--records=N] [--dir=PATH]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { directorySource, encodeNpy, normalizeEcg, readWfdbRecord } from '@qoq/ecg';
import { formatBytes, peakRssOfSelf } from '@qoq/runtime';
import { writePtbxlLikeRecords } from './ptbxl-like';

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((argument) => argument.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

async function main(): Promise<void> {
  const count = Number(option('records', '2000'));
  if (!Number.isInteger(count) || count < 1) throw new Error('--records must be a positive integer');
  const given = option('dir', '');
  const directory = given || (await mkdtemp(join(tmpdir(), 'qoq-ecg-bench-')));
  try {
    const generateStart = performance.now();
    const names = await writePtbxlLikeRecords(directory, count);
    const generateSeconds = (performance.now() - generateStart) / 1000;
    const source = directorySource(directory);
    let bytesOut = 0;
    let checksumFailures = 0;
    const start = performance.now();
    for (const name of names) {
      const record = await readWfdbRecord(source, name);
      const normalized = normalizeEcg(record);
      if (normalized.metadata.checksumStatus !== 'ok') checksumFailures++;
      bytesOut += encodeNpy(normalized.signal, [normalized.leads.length, normalized.samples]).length;
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(`records:        ${count} (PTB-XL-like: 12 leads, 10 s, 500 Hz, format 16; generated in ${generateSeconds.toFixed(1)} s, not timed)`);
    console.log(`pipeline:       readWfdbRecord → normalizeEcg (I, II, V1–V6; 250 Hz; 10 s) → encodeNpy, 1 thread`);
    console.log(`time:           ${seconds.toFixed(2)} s`);
    console.log(`records/s:      ${(count / seconds).toFixed(1)}`);
    console.log(`npy bytes:      ${formatBytes(bytesOut)}`);
    console.log(`checksum fails: ${checksumFailures}`);
    console.log(`peak RSS:       ${formatBytes(peakRssOfSelf())}`);
  } finally {
    if (!given) await rm(directory, { recursive: true, force: true });
  }
}

await main();
