// Writes and reads 1,000,000 realistic instruction-pair rows through @qoq/dataset-io and prints rows/s
// and peak RSS. Run it as ONE process so that the whole tree is this process:
//   node --max-old-space-size=192 --import tsx tools/bench/dataset-io/run.ts [--rows=1000000] [--rows-per-group=10000] [--rows-per-shard=500000] [--codec=GZIP]
// Peak RSS: VmHWM of /proc/self/status (the kernel's high-water mark of this process's resident set,
// zlib's thread-pool threads included) plus VmHWM of any live child process (this benchmark starts none).
// The rows come from syntheticPairRecords; the time spent generating them is measured and reported apart.
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openDataset,
  syntheticPairColumns,
  syntheticPairRecords,
  writeFolderAtomically,
  writeManifest,
  writeParquetShards,
  type DatasetRow,
  type ParquetCodec,
} from '@qoq/dataset-io';

function option(name: string, fallback: string): string {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
}

async function vmHwmKb(pid: number | 'self'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
}

/** This process's VmHWM plus that of its live descendants (from /proc/<pid>/task/<tid>/children). */
async function processTreePeakRssMb(): Promise<number> {
  let total = 0;
  const pending: (number | 'self')[] = ['self'];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    total += await vmHwmKb(pid);
    const taskDir = `/proc/${pid}/task`;
    for (const tid of await readdir(taskDir).catch(() => [] as string[])) {
      const children = await readFile(`${taskDir}/${tid}/children`, 'utf8').catch(() => '');
      for (const child of children.split(/\s+/).filter(Boolean)) pending.push(Number(child));
    }
  }
  return total / 1024;
}

/** User + system CPU seconds of this process (all its threads, zlib's pool included) since `start`. */
function cpuSeconds(start: NodeJS.CpuUsage): number {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1e6;
}

/** Passes rows through, adding up the time spent inside the generator. */
function* timed(rows: Iterable<DatasetRow>, clock: { generating: number }): Generator<DatasetRow> {
  const iterator = rows[Symbol.iterator]();
  for (;;) {
    const start = performance.now();
    const next = iterator.next();
    clock.generating += performance.now() - start;
    if (next.done) return;
    yield next.value;
  }
}

async function main(): Promise<void> {
  const rowCount = Number(option('rows', '1000000'));
  const rowsPerGroup = Number(option('rows-per-group', '10000'));
  const rowsPerShard = Number(option('rows-per-shard', '500000'));
  const codec = option('codec', 'GZIP') as ParquetCodec;
  const parent = join(tmpdir(), `qoq-bench-dataset-io-${process.pid}`);
  const corpus = join(parent, 'corpus');
  await mkdir(parent, { recursive: true });
  try {
    const clock = { generating: 0 };
    const writeStart = performance.now();
    const writeCpu = process.cpuUsage();
    const manifest = await writeFolderAtomically(corpus, async (tmp) => {
      await mkdir(join(tmp, 'pairs'));
      const shards = await writeParquetShards(timed(syntheticPairRecords(rowCount), clock), {
        directory: join(tmp, 'pairs'),
        columns: syntheticPairColumns,
        rowsPerGroup,
        rowsPerShard,
        codec,
      });
      return writeManifest(tmp, {
        schemaVersion: 'bench',
        codeVersion: 'bench',
        options: { rowCount, rowsPerGroup, rowsPerShard, codec },
        columns: [...syntheticPairColumns],
        shards: shards.map((s) => ({ path: `pairs/${s.name}`, rows: s.rows, bytes: s.bytes, sha256: s.sha256 })),
      });
    });
    const writeSeconds = (performance.now() - writeStart) / 1000;
    const writeCpuSeconds = cpuSeconds(writeCpu);
    const writerSeconds = writeSeconds - clock.generating / 1000;
    const bytes = manifest.shards.reduce((sum, s) => sum + s.bytes, 0);
    const rssAfterWrite = await processTreePeakRssMb();

    const verifyStart = performance.now();
    const dataset = await openDataset(corpus); // re-hashes every shard
    const verifySeconds = (performance.now() - verifyStart) / 1000;

    const readStart = performance.now();
    const readCpu = process.cpuUsage();
    let rowsRead = 0;
    for await (const row of dataset.rows()) if (row.id !== undefined) rowsRead++;
    const readSeconds = (performance.now() - readStart) / 1000;
    const readCpuSeconds = cpuSeconds(readCpu);

    const selectedStart = performance.now();
    const selectedCpu = process.cpuUsage();
    let selectedRows = 0;
    const selected = await openDataset(corpus, { columns: ['id', 'split', 'labels'], hashes: false });
    for await (const batch of selected.columnBatches()) selectedRows += batch.rowCount;
    const selectedSeconds = (performance.now() - selectedStart) / 1000;
    const selectedCpuSeconds = cpuSeconds(selectedCpu);
    if (rowsRead !== rowCount || selectedRows !== rowCount) throw new Error(`read ${rowsRead} / ${selectedRows} rows of ${rowCount}`);

    const peak = await processTreePeakRssMb();
    const rate = (rows: number, seconds: number) => Math.round(rows / seconds).toLocaleString('en-US');
    console.log(`@qoq/dataset-io — ${rowCount.toLocaleString('en-US')} rows, ${manifest.shards.length} shards, ${rowsPerGroup} rows/group, ${codec}, ${(bytes / 1e6).toFixed(0)} MB; Node ${process.version}`);
    console.table([
      { step: 'write (writer only: generation time subtracted)', 'wall s': +writerSeconds.toFixed(2), 'rows/s': rate(rowCount, writerSeconds), 'CPU s': '', 'rows/CPU-s': '' },
      { step: 'write (end to end: generating the rows included)', 'wall s': +writeSeconds.toFixed(2), 'rows/s': rate(rowCount, writeSeconds), 'CPU s': +writeCpuSeconds.toFixed(2), 'rows/CPU-s': rate(rowCount, writeCpuSeconds) },
      { step: 'verify manifest (SHA-256 of every shard)', 'wall s': +verifySeconds.toFixed(2), 'rows/s': rate(rowCount, verifySeconds), 'CPU s': '', 'rows/CPU-s': '' },
      { step: 'read all columns as rows (hyparquet)', 'wall s': +readSeconds.toFixed(2), 'rows/s': rate(rowCount, readSeconds), 'CPU s': +readCpuSeconds.toFixed(2), 'rows/CPU-s': rate(rowCount, readCpuSeconds) },
      { step: 'read 3 columns as batches (hyparquet)', 'wall s': +selectedSeconds.toFixed(2), 'rows/s': rate(rowCount, selectedSeconds), 'CPU s': +selectedCpuSeconds.toFixed(2), 'rows/CPU-s': rate(rowCount, selectedCpuSeconds) },
    ]);
    console.log(`load average at the end: ${(await readFile('/proc/loadavg', 'utf8')).split(' ').slice(0, 3).join(' ')} on ${(await import('node:os')).availableParallelism()} cores (shared machine: wall-clock rates vary with other work, CPU-second rates much less)`);
    console.log(`peak RSS of the process tree: ${peak.toFixed(0)} MB (after the write: ${rssAfterWrite.toFixed(0)} MB) — VmHWM from /proc/self/status plus that of live child processes (tsx's esbuild service; the benchmark starts none)`);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}

await main();
