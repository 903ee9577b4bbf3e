// Which Parquet writer does libs/dataset-io use? Each candidate writes the same realistic rows
// (syntheticPairRecords: ~700-char Unicode prompts, nullable strings, LIST<string> empty/non-empty/null,
// nullable LIST<double> bbox, LIST<int>, int32/int64/bool) in its own child process, twice, so that we
// get its own peak RSS (VmHWM from /proc/self/status of the child) and can compare the two files' bytes.
// DuckDB then reads every file back: are the list columns annotated LISTs that it reads as lists, with
// the right nulls, empties and values?
//   npx tsx tools/bench/dataset-io/writers.ts [--rows=100000]
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import { ByteWriter, ParquetWriter as HyparquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import * as arrow from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm';
import parquetjs from 'parquetjs-lite';
import { syntheticPairColumns, syntheticPairRecords, writeParquetShards, type ColumnSpec, type DatasetRow } from '@qoq/dataset-io';

type Candidate = 'parquetjs-lite' | 'parquet-wasm+arrow' | 'hyparquet-writer' | 'duckdb-copy' | '@qoq/dataset-io';
const CANDIDATES: Candidate[] = ['parquetjs-lite', 'parquet-wasm+arrow', 'hyparquet-writer', 'duckdb-copy', '@qoq/dataset-io'];
const ROW_GROUP = 10_000;

function peakRssMb(): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

// ---- candidates -------------------------------------------------------------------------------

async function writeParquetjsLite(rows: Iterable<DatasetRow>, path: string): Promise<void> {
  // parquetjs-lite has no LIST type: `repeated` is a bare repeated field (null and [] are the same).
  const kind = { string: 'UTF8', int32: 'INT32', int64: 'INT64', double: 'DOUBLE', bool: 'BOOLEAN' } as const;
  const fields: Record<string, object> = {};
  for (const c of syntheticPairColumns) {
    const list = c.type.startsWith('list<');
    const base = list ? (c.type === 'list<string>' ? 'UTF8' : c.type === 'list<double>' ? 'DOUBLE' : 'INT32') : kind[c.type as keyof typeof kind];
    fields[c.name] = list ? { type: base, repeated: true, compression: 'SNAPPY' } : { type: base, optional: c.nullable, compression: 'SNAPPY' };
  }
  const writer = await parquetjs.ParquetWriter.openFile(new parquetjs.ParquetSchema(fields), path);
  writer.setRowGroupSize(ROW_GROUP);
  for (const row of rows) {
    const clean: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (v !== null) clean[k] = typeof v === 'bigint' ? Number(v) : v;
    await writer.appendRow(clean);
  }
  await writer.close();
}

function arrowType(c: ColumnSpec): arrow.DataType {
  switch (c.type) {
    case 'string': return new arrow.Utf8();
    case 'int32': return new arrow.Int32();
    case 'int64': return new arrow.Int64();
    case 'double': return new arrow.Float64();
    case 'bool': return new arrow.Bool();
    case 'list<string>': return new arrow.List(new arrow.Field('element', new arrow.Utf8(), false));
    case 'list<double>': return new arrow.List(new arrow.Field('element', new arrow.Float64(), false));
    case 'list<int>': return new arrow.List(new arrow.Field('element', new arrow.Int32(), false));
  }
}

function writeParquetWasm(rows: Iterable<DatasetRow>, path: string): void {
  // writeParquet takes a whole Table: the shard is built in memory (Arrow builders), then encoded.
  const builders = syntheticPairColumns.map((c) => arrow.makeBuilder({ type: arrowType(c), nullValues: [null, undefined] }));
  for (const row of rows) syntheticPairColumns.forEach((c, i) => builders[i].append(row[c.name] as never));
  const vectors: Record<string, arrow.Vector> = {};
  syntheticPairColumns.forEach((c, i) => (vectors[c.name] = builders[i].finish().toVector()));
  const table = new arrow.Table(vectors);
  const properties = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression.ZSTD)
    .setMaxRowGroupSize(ROW_GROUP)
    .build();
  const bytes = parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), properties);
  writeFileSync(path, bytes);
}

function hyparquetSchema(columns: readonly ColumnSpec[]): SchemaElement[] {
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }];
  const leaf = { string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } }, int32: { type: 'INT32' }, int64: { type: 'INT64' }, double: { type: 'DOUBLE' }, bool: { type: 'BOOLEAN' } } as const;
  for (const c of columns) {
    const repetition_type = c.nullable ? 'OPTIONAL' : 'REQUIRED';
    if (c.type.startsWith('list<')) {
      const element = c.type === 'list<string>' ? leaf.string : c.type === 'list<double>' ? leaf.double : leaf.int32;
      schema.push({ name: c.name, repetition_type, converted_type: 'LIST', logical_type: { type: 'LIST' }, num_children: 1 });
      schema.push({ name: 'list', repetition_type: 'REPEATED', num_children: 1 });
      schema.push({ name: 'element', repetition_type: 'REQUIRED', ...element } as SchemaElement);
    } else {
      schema.push({ name: c.name, repetition_type, ...leaf[c.type as keyof typeof leaf] } as SchemaElement);
    }
  }
  return schema;
}

async function writeHyparquet(rows: Iterable<DatasetRow>, path: string): Promise<void> {
  // ParquetWriter is incremental: one row group of column arrays at a time, bytes flushed per group.
  const out = createWriteStream(path);
  const bytes = new ByteWriter();
  const writer = new HyparquetWriter({ writer: bytes, schema: hyparquetSchema(syntheticPairColumns), codec: 'SNAPPY', createdBy: 'qoq-forge' });
  const flush = async () => {
    if (bytes.index === 0) return;
    if (!out.write(new Uint8Array(bytes.buffer.slice(0, bytes.index)))) await once(out, 'drain');
    bytes.index = 0;
  };
  let group: DatasetRow[] = [];
  const writeGroup = async () => {
    writer.write({
      columnData: syntheticPairColumns.map((c) => ({ name: c.name, data: group.map((r) => r[c.name] ?? null) as unknown[] })),
      rowGroupSize: group.length,
    });
    group = [];
    await flush();
  };
  for (const row of rows) {
    group.push(row);
    if (group.length === ROW_GROUP) await writeGroup();
  }
  if (group.length > 0) await writeGroup();
  writer.finish();
  await flush();
  out.end();
  await once(out, 'close');
}

async function writeDuckdb(rows: Iterable<DatasetRow>, path: string): Promise<void> {
  // DuckDB has no JS row sink faster than its own JSON reader: rows → NDJSON temp file → COPY … TO.
  const jsonPath = `${path}.jsonl`;
  const out = createWriteStream(jsonPath);
  for (const row of rows) {
    if (!out.write(JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
  const sql = { string: 'VARCHAR', int32: 'INTEGER', int64: 'BIGINT', double: 'DOUBLE', bool: 'BOOLEAN', 'list<string>': 'VARCHAR[]', 'list<double>': 'DOUBLE[]', 'list<int>': 'INTEGER[]' };
  const columns = syntheticPairColumns.map((c) => `'${c.name}': '${sql[c.type]}'`).join(', ');
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  await connection.run(
    `COPY (SELECT * FROM read_json('${jsonPath}', format='newline_delimited', columns={${columns}})) TO '${path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE ${ROW_GROUP})`,
  );
  connection.closeSync();
  instance.closeSync();
  rmSync(jsonPath);
}

async function writeDatasetIo(rows: Iterable<DatasetRow>, path: string): Promise<void> {
  // Our flat encoder (libs/dataset-io): one shard, GZIP level 1 on the zlib thread pool.
  const directory = dirname(path);
  const [shard] = await writeParquetShards(rows, { directory, columns: syntheticPairColumns, rowsPerGroup: ROW_GROUP, rowsPerShard: Number.MAX_SAFE_INTEGER, shardStem: `${basename(path, '.parquet')}-shard` });
  renameSync(join(directory, shard.name), path);
}

async function writeWith(candidate: Candidate, rows: Iterable<DatasetRow>, path: string): Promise<void> {
  if (candidate === 'parquetjs-lite') return writeParquetjsLite(rows, path);
  if (candidate === 'parquet-wasm+arrow') return writeParquetWasm(rows, path);
  if (candidate === 'hyparquet-writer') return writeHyparquet(rows, path);
  if (candidate === '@qoq/dataset-io') return writeDatasetIo(rows, path);
  return writeDuckdb(rows, path);
}

function fileStem(candidate: Candidate): string {
  return candidate.replace(/[^a-z0-9-]+/gi, '_');
}

// ---- child: one candidate ----------------------------------------------------------------------

async function runChild(candidate: Candidate, rowCount: number, dir: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await writeWith(candidate, syntheticPairRecords(rowCount), join(dir, `${fileStem(candidate)}-1.parquet`));
  const seconds = (performance.now() - started) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  await writeWith(candidate, syntheticPairRecords(rowCount), join(dir, `${fileStem(candidate)}-2.parquet`));
  process.stdout.write(JSON.stringify({ seconds, cpuSeconds: (user + system) / 1e6, peakRssMb: peakRssMb() }));
}

// ---- parent: run all, check with DuckDB, print the table --------------------------------------

interface Expected { rows: number; nullLabels: number; emptyLabels: number; labelCount: number; problemBytes: number; nullBbox: number; bboxSum: number; nullSegmentation: number; nullTimeSeries: number }

function expectedFigures(rowCount: number): Expected {
  const e: Expected = { rows: 0, nullLabels: 0, emptyLabels: 0, labelCount: 0, problemBytes: 0, nullBbox: 0, bboxSum: 0, nullSegmentation: 0, nullTimeSeries: 0 };
  for (const row of syntheticPairRecords(rowCount)) {
    const labels = row.labels as string[] | null;
    const bbox = row.bbox as number[] | null;
    e.rows++;
    if (labels === null) e.nullLabels++;
    else if (labels.length === 0) e.emptyLabels++;
    else e.labelCount += labels.length;
    e.problemBytes += Buffer.byteLength(row.problem as string);
    if (bbox === null) e.nullBbox++;
    else e.bboxSum += bbox.reduce((a, b) => a + b, 0);
    if (row.segmentation_path === null) e.nullSegmentation++;
    if (row['time-series'] === null) e.nullTimeSeries++;
  }
  return e;
}

async function checkWithDuckdb(path: string, expected: Expected): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const types = (await connection.runAndReadAll(`SELECT typeof(labels) AS labels, typeof(bbox) AS bbox FROM read_parquet('${path}') LIMIT 1`)).getRowObjectsJson()[0];
    if (types.labels !== 'VARCHAR[]' || types.bbox !== 'DOUBLE[]') return `lists read as ${types.labels}, ${types.bbox}`;
    const logical = (await connection.runAndReadAll(`SELECT name, converted_type FROM parquet_schema('${path}') WHERE name IN ('labels','bbox')`)).getRowObjectsJson();
    if (logical.some((r) => r.converted_type !== 'LIST')) return 'list columns not annotated LIST';
    const got = (await connection.runAndReadAll(`SELECT count(*)::INT AS rows,
        count(*) FILTER (labels IS NULL)::INT AS nullLabels, count(*) FILTER (len(labels) = 0)::INT AS emptyLabels,
        coalesce(sum(len(labels)), 0)::INT AS labelCount, sum(strlen(problem))::BIGINT::DOUBLE AS problemBytes,
        count(*) FILTER (bbox IS NULL)::INT AS nullBbox, coalesce(sum(list_sum(bbox)), 0) AS bboxSum,
        count(*) FILTER (segmentation_path IS NULL)::INT AS nullSegmentation,
        count(*) FILTER ("time-series" IS NULL)::INT AS nullTimeSeries
      FROM read_parquet('${path}')`)).getRowObjectsJson()[0] as Record<string, number>;
    for (const [key, value] of Object.entries(expected)) {
      const ok = key === 'bboxSum' ? Math.abs(Number(got[key]) - value) < 1e-6 * Math.abs(value) : Number(got[key]) === value;
      if (!ok) return `${key}: ${got[key]} ≠ ${value}`;
    }
    return 'correct';
  } catch (error) {
    return `unreadable: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const rowCount = Number(args.find((a) => a.startsWith('--rows='))?.slice(7) ?? 100_000);
  const child = args.find((a) => a.startsWith('--candidate='))?.slice(12) as Candidate | undefined;
  if (child) return runChild(child, rowCount, args.find((a) => a.startsWith('--dir='))?.slice(6) ?? tmpdir());

  const dir = mkdtempSync(join(tmpdir(), 'qoq-writers-'));
  try {
    const generationStart = performance.now();
    const expected = expectedFigures(rowCount);
    const generationSeconds = (performance.now() - generationStart) / 1000;
    const table: Record<string, string | number>[] = [];
    for (const candidate of CANDIDATES) {
      const result = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), `--candidate=${candidate}`, `--rows=${rowCount}`, `--dir=${dir}`], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (result.status !== 0) {
        table.push({ writer: candidate, error: result.stderr.split('\n').slice(0, 3).join(' ') });
        continue;
      }
      const { seconds, cpuSeconds, peakRssMb: rss } = JSON.parse(result.stdout) as { seconds: number; cpuSeconds: number; peakRssMb: number };
      const first = join(dir, `${fileStem(candidate)}-1.parquet`);
      table.push({
        writer: candidate,
        'rows/s': Math.round(rowCount / seconds),
        'rows/CPU-s': Math.round(rowCount / cpuSeconds),
        'peak RSS MB': Math.round(rss),
        'file MB': Math.round(readFileSync(first).length / 1e5) / 10,
        deterministic: sha256(first) === sha256(join(dir, `${fileStem(candidate)}-2.parquet`)) ? 'yes' : 'NO',
        'DuckDB reads': await checkWithDuckdb(first, expected),
      });
    }
    console.log(`${rowCount} rows; generating them alone takes ${generationSeconds.toFixed(2)} s (${Math.round(rowCount / generationSeconds)} rows/s), included in every writer's time`);
    console.table(table);
    console.log(`load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} — a shared machine: wall-clock rows/s vary with other work; rows/CPU-s (user + system, all threads) much less`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
