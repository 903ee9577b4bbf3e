import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec, DatasetRow } from './column-spec';
import { DatasetIoFailure } from './dataset-io-error';
import { readParquetColumnBatches, readParquetRows } from './parquet-reader';
import { writeParquetShards } from './parquet-shard-writer';
import { writeParquetFile } from './write-parquet-file';
import { syntheticPairColumns, syntheticPairRecords } from './synthetic-pair-records';

let workDir: string;
let duckdb: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'qoq-dataset-io-'));
  duckdb = await DuckDBInstance.create(':memory:', { threads: '1' }); // one thread: rows come back in file order
  connection = await duckdb.connect();
});

afterAll(() => {
  connection?.closeSync();
  duckdb?.closeSync();
  rmSync(workDir, { recursive: true, force: true });
});

function folder(name: string): string {
  const path = join(workDir, name);
  rmSync(path, { recursive: true, force: true });
  return mkdtempSync(`${path}-`);
}

/** DuckDB's JS values for our types: BIGINT → bigint, lists → arrays, NULL → null. */
function expectedDuckdbValue(value: DatasetRow[string]): unknown {
  if (value === undefined) return null;
  if (Array.isArray(value)) return [...value];
  return value;
}

describe('the Parquet shard writer', () => {
  it('writes 100,000 realistic records that DuckDB reads back with every value of every column equal, lists as lists', async () => {
    const directory = folder('round-trip');
    const shards = await writeParquetShards(syntheticPairRecords(100_000, 7), {
      directory,
      columns: syntheticPairColumns,
      rowsPerGroup: 10_000,
      rowsPerShard: 40_000,
    });
    expect(shards.map((s) => [s.name, s.rows])).toEqual([
      ['part-00000.parquet', 40_000],
      ['part-00001.parquet', 40_000],
      ['part-00002.parquet', 20_000],
    ]);
    const files = shards.map((s) => `'${join(directory, s.name)}'`).join(', ');

    // Lists are annotated LISTs (3-level, LIST logical type), read as typed lists, not repeated fields.
    const types = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet([${files}])`)).getRowObjectsJson();
    const typeOf = Object.fromEntries(types.map((t) => [t.column_name, t.column_type]));
    expect(typeOf).toMatchObject({ images: 'VARCHAR[]', 'time-series': 'VARCHAR[]', bbox: 'DOUBLE[]', labels: 'VARCHAR[]', frame_indices: 'INTEGER[]', source_bytes: 'BIGINT', schema_version: 'INTEGER', is_3d: 'BOOLEAN', problem: 'VARCHAR' });
    const annotations = (await connection.runAndReadAll(`SELECT name, converted_type, logical_type FROM parquet_schema('${join(directory, shards[0].name)}') WHERE name IN ('labels', 'bbox')`)).getRowObjectsJson();
    expect(annotations.map((a) => a.converted_type)).toEqual(['LIST', 'LIST']);

    const expected = syntheticPairRecords(100_000, 7);
    const result = await connection.stream(`SELECT * FROM read_parquet([${files}])`);
    let compared = 0;
    let nullLists = 0;
    let emptyLists = 0;
    for await (const rows of result.yieldRowObjectJs()) {
      for (const row of rows) {
        const want = expected.next().value as DatasetRow;
        for (const column of syntheticPairColumns) {
          const got = row[column.name];
          if (!Object.is(got, want[column.name]) || Array.isArray(got)) {
            expect({ row: compared, column: column.name, value: got }).toEqual({ row: compared, column: column.name, value: expectedDuckdbValue(want[column.name]) });
          }
        }
        if (want.labels === null) nullLists++;
        else if ((want.labels as string[]).length === 0) emptyLists++;
        compared++;
      }
    }
    expect(compared).toBe(100_000);
    expect(expected.next().done).toBe(true);
    // The corpus exercised what it claims to: null lists and empty lists, astral characters and U+2028.
    expect(nullLists).toBeGreaterThan(1000);
    expect(emptyLists).toBeGreaterThan(1000);
    const astral = (await connection.runAndReadAll(`SELECT count(*) FILTER (problem LIKE '%🫀%')::INT AS heart, count(*) FILTER (contains(problem, chr(8232)))::INT AS lineSeparator FROM read_parquet([${files}])`)).getRowObjectsJson()[0];
    expect(Number(astral.heart)).toBeGreaterThan(0);
    expect(Number(astral.lineSeparator)).toBeGreaterThan(0);
  }, 120_000);

  it('writes byte-identical shards for the same input twice', async () => {
    const first = folder('twice-a');
    const second = folder('twice-b');
    const options = { columns: syntheticPairColumns, rowsPerGroup: 3_000, rowsPerShard: 8_000 };
    const a = await writeParquetShards(syntheticPairRecords(20_000, 3), { ...options, directory: first });
    const b = await writeParquetShards(syntheticPairRecords(20_000, 3), { ...options, directory: second });
    expect(b).toEqual(a);
    for (const shard of a) expect(readFileSync(join(second, shard.name)).equals(readFileSync(join(first, shard.name)))).toBe(true);
    // and the recorded hash is the hash of the bytes on disk
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(readFileSync(join(first, a[0].name))).digest('hex')).toBe(a[0].sha256);
  });

  it('leaves only finished shards under their final names', async () => {
    const directory = folder('names');
    await writeParquetShards(syntheticPairRecords(2_500, 1), { directory, columns: syntheticPairColumns, rowsPerGroup: 500, rowsPerShard: 1_000 });
    expect(readdirSync(directory).sort()).toEqual(['part-00000.parquet', 'part-00001.parquet', 'part-00002.parquet']);
  });

  it('refuses a value of the wrong type, naming the column, and removes the partial shard', async () => {
    const directory = folder('invalid');
    const columns: ColumnSpec[] = [
      { name: 'id', type: 'string', nullable: false },
      { name: 'labels', type: 'list<string>', nullable: false },
    ];
    const rows: DatasetRow[] = [{ id: 'a', labels: [] }, { id: 'b', labels: null }];
    const failure = await writeParquetShards(rows, { directory, columns }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DatasetIoFailure);
    expect((failure as DatasetIoFailure).code).toBe('DATASET_ROW_INVALID');
    expect((failure as DatasetIoFailure).message).toContain('"labels"');
    expect(readdirSync(directory)).toEqual([]);
  });

  it('distinguishes a null list from an empty one in a non-nullable and a nullable column', async () => {
    const directory = folder('lists');
    const columns: ColumnSpec[] = [
      { name: 'required_list', type: 'list<int>', nullable: false },
      { name: 'optional_list', type: 'list<double>', nullable: true },
      { name: 'optional_text', type: 'string', nullable: true },
    ];
    const rows: DatasetRow[] = [
      { required_list: [], optional_list: null, optional_text: null },
      { required_list: [1, -2, 2147483647], optional_list: [], optional_text: '' },
      { required_list: [0], optional_list: [0.5, -0, 1e300], optional_text: 'x' },
    ];
    const [shard] = await writeParquetShards(rows, { directory, columns });
    const back = [];
    for await (const row of readParquetRows(join(directory, shard.name))) back.push(row);
    expect(back).toEqual(rows);
    const viaDuckdb = (await connection.runAndReadAll(`SELECT * FROM read_parquet('${join(directory, shard.name)}')`)).getRowObjectsJS();
    expect(viaDuckdb).toEqual(rows);
  });

  it('streams selected columns back one row group at a time', async () => {
    const directory = folder('reader');
    const [shard] = await writeParquetShards(syntheticPairRecords(2_500, 5), { directory, columns: syntheticPairColumns, rowsPerGroup: 1_000 });
    const batches = [];
    for await (const batch of readParquetColumnBatches(join(directory, shard.name), { columns: ['labels', 'id', 'source_bytes'] })) batches.push(batch);
    expect(batches.map((b) => [b.rowStart, b.rowCount])).toEqual([[0, 1000], [1000, 1000], [2000, 500]]);
    expect(Object.keys(batches[0].columns).sort()).toEqual(['id', 'labels', 'source_bytes']);
    const expected = [...syntheticPairRecords(2_500, 5)];
    const rows = [];
    for await (const row of readParquetRows(join(directory, shard.name), { columns: ['id', 'labels', 'source_bytes'] })) rows.push(row);
    expect(rows).toEqual(expected.map((r) => ({ id: r.id, labels: r.labels, source_bytes: r.source_bytes })));
  });

  it('writes a single table file (writeParquetFile) under its final name only when complete', async () => {
    const directory = folder('single');
    const path = join(directory, 'provenance.parquet');
    const columns: ColumnSpec[] = [
      { name: 'source_path', type: 'string', nullable: false },
      { name: 'size', type: 'int64', nullable: false },
    ];
    async function* rows(): AsyncGenerator<DatasetRow> {
      yield { source_path: 'p10/p10000032/s50414267.dcm', size: 123n };
      yield { source_path: 'RSPECT/1.2.840/…/slice 7.dcm', size: 9_007_199_254_740_993n };
    }
    const written = await writeParquetFile(path, rows(), { columns });
    expect(written.rows).toBe(2);
    expect(readdirSync(directory)).toEqual(['provenance.parquet']);
    const back = (await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRowObjectsJS();
    expect(back).toEqual([
      { source_path: 'p10/p10000032/s50414267.dcm', size: 123n },
      { source_path: 'RSPECT/1.2.840/…/slice 7.dcm', size: 9_007_199_254_740_993n },
    ]);
    await expect(writeParquetFile(join(directory, 'bad.parquet'), [{ source_path: 1 }], { columns })).rejects.toMatchObject({ code: 'DATASET_ROW_INVALID' });
    expect(readdirSync(directory)).toEqual(['provenance.parquet']);
  });

  it('writes one empty, readable shard for a dataset without rows', async () => {
    const directory = folder('empty');
    const shards = await writeParquetShards([], { directory, columns: syntheticPairColumns });
    expect(shards.map((s) => [s.name, s.rows])).toEqual([['part-00000.parquet', 0]]);
    const count = (await connection.runAndReadAll(`SELECT count(*)::INT AS n, typeof(any_value(labels)) AS t FROM read_parquet('${join(directory, shards[0].name)}')`)).getRowObjectsJson();
    expect(count[0].n).toBe(0);
  });
});
