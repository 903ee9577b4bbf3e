import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { writeFolderAtomically } from './atomic-write';
import { datasetCard } from './dataset-card';
import { DatasetIoFailure, type DatasetIoErrorCode } from './dataset-io-error';
import { readManifest, verifyDataset, writeManifest, type DatasetManifest } from './dataset-manifest';
import { openDataset } from './dataset-reader';
import { writeParquetShards } from './parquet-shard-writer';
import { syntheticPairColumns, syntheticPairRecords } from './synthetic-pair-records';

const root = mkdtempSync(join(tmpdir(), 'qoq-manifest-'));
let corpus: string;

afterAll(() => rmSync(root, { recursive: true, force: true }));

async function writeCorpus(folder: string): Promise<DatasetManifest> {
  return writeFolderAtomically(folder, async (tmp) => {
    await mkdir(join(tmp, 'pairs'));
    const shards = await writeParquetShards(syntheticPairRecords(3_000, 11), {
      directory: join(tmp, 'pairs'),
      columns: syntheticPairColumns,
      rowsPerGroup: 500,
      rowsPerShard: 1_200,
    });
    return writeManifest(tmp, {
      schemaVersion: '1.0.0',
      codeVersion: '0.1.0',
      options: { seed: 11, dataset: 'mammo/vindr' },
      columns: [...syntheticPairColumns],
      shards: shards.map((s) => ({ path: `pairs/${s.name}`, rows: s.rows, bytes: s.bytes, sha256: s.sha256 })),
    });
  });
}

async function refusal(folder: string): Promise<{ code: DatasetIoErrorCode; path: string }> {
  const error = await verifyDataset(folder).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatasetIoFailure);
  const { code, path } = (error as DatasetIoFailure).error;
  return { code, path };
}

beforeEach(async () => {
  corpus = join(mkdtempSync(join(root, 'case-')), 'corpus');
  await writeCorpus(corpus);
});

describe('manifest.json', () => {
  it('lists every shard with its rows and SHA-256, and a folder that matches it verifies', async () => {
    const manifest = await verifyDataset(corpus);
    expect(manifest.shards.map((s) => [s.path, s.rows])).toEqual([
      ['pairs/part-00000.parquet', 1200],
      ['pairs/part-00001.parquet', 1200],
      ['pairs/part-00002.parquet', 600],
    ]);
    expect(manifest.totalRows).toBe(3000);
    expect(manifest).toMatchObject({ schemaVersion: '1.0.0', codeVersion: '0.1.0', options: { seed: 11 } });
  });

  it('is byte-identical when the same corpus is written again (no timestamps)', async () => {
    const again = join(mkdtempSync(join(root, 'again-')), 'corpus');
    await writeCorpus(again);
    expect(readFileSync(join(again, 'manifest.json'), 'utf8')).toBe(readFileSync(join(corpus, 'manifest.json'), 'utf8'));
  });

  it('refuses a folder whose shard is missing, naming the file', async () => {
    rmSync(join(corpus, 'pairs/part-00001.parquet'));
    expect(await refusal(corpus)).toEqual({ code: 'SHARD_MISSING', path: join(corpus, 'pairs/part-00001.parquet') });
  });

  it('refuses a shard whose bytes changed (same size), naming the file', async () => {
    const path = join(corpus, 'pairs/part-00002.parquet');
    const bytes = readFileSync(path);
    bytes[100] ^= 0xff; // inside a page: the footer still parses
    writeFileSync(path, bytes);
    expect(await refusal(corpus)).toEqual({ code: 'SHARD_HASH_MISMATCH', path });
  });

  it('refuses a shard whose row count differs from the manifest', async () => {
    // Swap in another valid shard of the same corpus with another row count but keep its size claim honest.
    const manifestPath = join(corpus, 'manifest.json');
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as DatasetManifest;
    manifest.shards[2].rows = 601;
    manifest.totalRows += 1;
    writeFileSync(manifestPath, JSON.stringify(manifest));
    expect(await refusal(corpus)).toEqual({ code: 'SHARD_ROW_COUNT_MISMATCH', path: join(corpus, 'pairs/part-00002.parquet') });
  });

  it('refuses a shard the manifest does not list', async () => {
    copyFileSync(join(corpus, 'pairs/part-00000.parquet'), join(corpus, 'pairs/part-00003.parquet'));
    expect(await refusal(corpus)).toEqual({ code: 'SHARD_UNLISTED', path: join(corpus, 'pairs/part-00003.parquet') });
  });

  it('refuses a folder without a manifest, or with a malformed one', async () => {
    appendFileSync(join(corpus, 'manifest.json'), 'garbage');
    expect((await refusal(corpus)).code).toBe('MANIFEST_INVALID');
    rmSync(join(corpus, 'manifest.json'));
    expect((await refusal(corpus)).code).toBe('MANIFEST_MISSING');
  });

  it('is checked before any row is read', async () => {
    rmSync(join(corpus, 'pairs/part-00000.parquet'));
    await expect(openDataset(corpus)).rejects.toMatchObject({ code: 'SHARD_MISSING' });
  });

  it('lets a verified folder be read back in manifest order', async () => {
    const dataset = await openDataset(corpus, { columns: ['id', 'labels'] });
    const ids: unknown[] = [];
    for await (const row of dataset.rows()) ids.push(row.id);
    expect(ids).toEqual([...syntheticPairRecords(3_000, 11)].map((r) => r.id));
  });
});

describe('the dataset card', () => {
  it('carries a Hugging Face YAML header with data_files per split, licence and task categories', async () => {
    const manifest = await readManifest(corpus);
    manifest.shards[0].split = 'test';
    manifest.shards[1].split = 'train';
    manifest.shards[2].split = 'validation';
    const card = datasetCard(manifest, {
      prettyName: 'QoQ Forge sample corpus',
      license: 'other',
      licenseNotes: 'Each source keeps its own licence.',
      taskCategories: ['image-text-to-text', 'visual-question-answering'],
      language: ['en'],
      tags: ['medical'],
      description: 'De-identified instruction pairs.',
    });
    const header = card.split('\n---\n')[0];
    expect(header.startsWith('---\n')).toBe(true);
    expect(header).toContain('license: "other"');
    expect(header).toContain('task_categories:\n- "image-text-to-text"\n- "visual-question-answering"');
    expect(header).toContain('size_categories:\n- "1K<n<10K"');
    // splits in train, validation, test order, each naming its own shard
    expect(header).toContain(
      [
        'configs:',
        '- config_name: "default"',
        '  data_files:',
        '  - split: "train"',
        '    path:',
        '    - "pairs/part-00001.parquet"',
        '  - split: "validation"',
        '    path:',
        '    - "pairs/part-00002.parquet"',
        '  - split: "test"',
        '    path:',
        '    - "pairs/part-00000.parquet"',
      ].join('\n'),
    );
    expect(card).toContain(manifest.shards[0].sha256);
    expect(card).not.toMatch(/\d{4}-\d{2}-\d{2}T/); // no timestamps
  });
});
