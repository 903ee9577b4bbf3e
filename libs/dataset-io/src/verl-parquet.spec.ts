import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { syntheticPairRecords } from './synthetic-pair-records';
import { writeVerlParquet } from './verl-parquet';

const root = mkdtempSync(join(tmpdir(), 'qoq-verl-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the verl Parquet export', () => {
  it('writes prompt as a list of chat messages and reward_model / extra_info as structs, per split', async () => {
    const exportDir = join(root, 'verl');
    const files = await writeVerlParquet(syntheticPairRecords(1_500, 4), exportDir);
    expect(readdirSync(exportDir).sort()).toEqual(['test.parquet', 'train.parquet', 'validation.parquet']);
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    try {
      const path = join(exportDir, 'train.parquet');
      const types = Object.fromEntries(
        (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)).getRowObjectsJson().map((t) => [t.column_name, String(t.column_type).replaceAll('"', '')]), // DuckDB quotes keywords only
      );
      expect(types.prompt).toBe('STRUCT(role VARCHAR, content VARCHAR)[]');
      expect(types.reward_model).toBe('STRUCT(style VARCHAR, ground_truth VARCHAR)');
      expect(types.extra_info).toBe('STRUCT(split VARCHAR, index BIGINT, id VARCHAR, dataset_key VARCHAR, domain VARCHAR, bbox DOUBLE[], time_series VARCHAR[])');
      const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRowObjectsJS();
      const train = [...syntheticPairRecords(1_500, 4)].filter((r) => r.split === 'train');
      expect(rows.length).toBe(train.length);
      expect(files.find((f) => f.split === 'train')?.rows).toBe(train.length);
      train.forEach((source, index) => {
        expect(rows[index]).toEqual({
          data_source: source.dataset_key,
          prompt: [{ role: 'user', content: source.problem }],
          images: source.images,
          ability: source.domain,
          reward_model: { style: 'rule', ground_truth: source.answer },
          extra_info: { split: 'train', index: BigInt(index), id: source.id, dataset_key: source.dataset_key, domain: source.domain, bbox: source.bbox, time_series: source['time-series'] },
        });
      });
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('writes the same bytes for the same rows', async () => {
    const [a, b] = [join(root, 'a'), join(root, 'b')];
    await writeVerlParquet(syntheticPairRecords(600, 2), a);
    await writeVerlParquet(syntheticPairRecords(600, 2), b);
    for (const name of ['train.parquet', 'validation.parquet', 'test.parquet']) {
      expect(readFileSync(join(a, name)).equals(readFileSync(join(b, name)))).toBe(true);
    }
  });

  it('writes a readable, empty file for a split without rows', async () => {
    const exportDir = join(root, 'train-only');
    const rows = [...syntheticPairRecords(200, 8)].map((row) => ({ ...row, split: 'train' }));
    const files = await writeVerlParquet(rows, exportDir);
    expect(files.map((f) => [f.split, f.rows])).toEqual([['train', 200], ['validation', 0], ['test', 0]]);
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const count = (await connection.runAndReadAll(`SELECT count(*)::INT AS n FROM read_parquet('${join(exportDir, 'test.parquet')}')`)).getRowObjectsJson();
      expect(count).toEqual([{ n: 0 }]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
