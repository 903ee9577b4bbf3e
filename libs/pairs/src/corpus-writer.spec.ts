import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog, INSTRUCTION_PAIR_SCHEMA_VERSION, type InstructionPair, type Split } from '@qoq/catalog';
import { openDataset } from '@qoq/dataset-io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CorpusWriter, findNearDuplicates } from './corpus-writer';
import { checkLeakage } from './leakage-check';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-corpus-writer-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function corpusOf(name: string, rows: { id: string; patient: string; split: Split; content: string }[]): Promise<string> {
  const catalog = await loadCatalog();
  const directory = join(scratch, name);
  const writer = await CorpusWriter.create({ directory, rowsPerShard: 2 });
  for (const [index, row] of rows.entries()) {
    const pair: InstructionPair = {
      problem: catalog.renderPrompt('fundus/aptos', { imageCount: 1 }),
      answer: 'No DR',
      images: [`fundus/aptos/${row.id}.png`],
      'time-series': null,
      dataset: 'aptos',
      bbox: null,
      segmentation_path: null,
      id: row.id,
      dataset_key: 'fundus/aptos',
      domain: 'fundus',
      modality: 'fundus',
      split: row.split,
      patient_key: row.patient,
      labels: ['No DR'],
      label_set: [...catalog.dataset('fundus/aptos').label_set],
      source_sha256: row.content.repeat(64).slice(0, 64),
      schema_version: INSTRUCTION_PAIR_SCHEMA_VERSION,
    };
    await writer.add(pair, { id: row.id, dataset_key: 'fundus/aptos', source_index: index, source_paths: [`${row.id}.png`], source_sha256: pair.source_sha256, media_paths: pair.images, content_sha256: row.content.repeat(64).slice(0, 64), dhash: null });
  }
  await writer.finish({ options: {}, codeVersion: 'test', rejects: [], duplicates: [], nearDuplicateDistance: 8, description: 'test' });
  return directory;
}

describe('corpus folder', () => {
  it('writes sharded pairs with a manifest that a reader verifies', async () => {
    const folder = await corpusOf('clean', [
      { id: 'a', patient: 'p1', split: 'train', content: 'a' },
      { id: 'b', patient: 'p1', split: 'train', content: 'b' },
      { id: 'c', patient: 'p2', split: 'test', content: 'c' },
    ]);
    const dataset = await openDataset(folder);
    expect(dataset.manifest.shards.map((shard) => shard.rows)).toEqual([2, 1]);
    expect(await readFile(join(folder, 'README.md'), 'utf8')).toMatch(/QoQ Forge/);
    expect((await checkLeakage(folder)).problems).toEqual([]);
  });

  it('the leakage check finds a patient, a source and a content in two splits', async () => {
    const folder = await corpusOf('leaky', [
      { id: 'a', patient: 'p1', split: 'train', content: 'a' },
      { id: 'b', patient: 'p1', split: 'test', content: 'b' },
      { id: 'c', patient: 'p2', split: 'train', content: 'c' },
      { id: 'd', patient: 'p3', split: 'validation', content: 'c' },
    ]);
    const report = await checkLeakage(folder);
    expect(report.problems.map((problem) => [problem.kind, problem.key.slice(0, 2), problem.splits])).toEqual([
      ['patient', 'p1', ['train', 'test']],
      ['source', 'cc', ['train', 'validation']],
      ['content', 'cc', ['train', 'validation']],
    ]);
  });
});

describe('near duplicates', () => {
  it('finds pairs within the distance across patients, never within one patient', () => {
    const base = (1n << 255n) | 12345n;
    const hashes = [base, base ^ 0b111n, base ^ (0xffn << 100n), base ^ 1n];
    const found = findNearDuplicates(['a', 'b', 'c', 'd'], hashes, Uint8Array.from([0, 2, 0, 0]), ['p1', 'p2', 'p3', 'p1'], 4);
    expect(found).toEqual([{ a_id: 'a', b_id: 'b', distance: 3, a_split: 'train', b_split: 'test' }, { a_id: 'b', b_id: 'd', distance: 2, a_split: 'test', b_split: 'train' }]);
  });
});
