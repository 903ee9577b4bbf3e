import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256OfFile } from '@qoq/dataset-io';
import { UsageError } from '@qoq/runtime';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkStatsMatchCorpus, decodeImage, loadTrainingCorpus, splitExamples } from './corpus-loader';
import { GoldMaskStore } from './gold-mask-store';
import { maskBoundingBox } from './rollout-rewards';
import { writeTestCorpus, writeTestStats } from './synthetic-training-corpus';

let work: string;
let corpus: string;
let rows: number;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'training-corpus-'));
  corpus = join(work, 'corpus');
  rows = await writeTestCorpus(corpus);
});
afterAll(() => rm(work, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<UsageError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('loadTrainingCorpus', () => {
  it('turns every row into a question with decoded media and its gold targets', async () => {
    const loaded = await loadTrainingCorpus(corpus, { imageSize: 8 });
    expect(loaded.examples).toHaveLength(rows);
    expect(loaded.manifestSha256).toBe(await sha256OfFile(join(corpus, 'manifest.json')));
    expect([...loaded.labelSets.keys()]).toEqual(['derm/ham10000', 'mammo/cbis', 'mammo/vindr', 'ecg/ptb-xl']);
    const ecg = loaded.examples.find((example) => example.domain === 'ecg');
    expect(ecg?.question.ecg).toHaveLength(8 * 2500);
    expect(ecg?.question.image).toBeNull();
    // ptb-xl is multi-label: no one-label limit; HAM10000 is single-label in the catalog.
    expect(ecg?.question.maxAnswerLabels).toBeUndefined();
    const derm = loaded.examples.find((example) => example.datasetKey === 'derm/ham10000');
    expect(derm?.question.maxAnswerLabels).toBe(1);
    expect(derm?.question.boxTask).toBe(false);
    const image = derm?.question.image as Float32Array;
    expect(image).toHaveLength(8 * 8 * 3);
    expect(Math.min(...image)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...image)).toBeLessThanOrEqual(1);
    const boxed = loaded.examples.find((example) => example.datasetKey === 'mammo/vindr');
    expect(boxed?.goldBox).toHaveLength(4);
    expect(boxed?.question.boxTask).toBe(true);
    expect(boxed?.question.imageWidth).toBeGreaterThanOrEqual(40);
    const masked = loaded.examples.find((example) => example.maskPath !== null);
    expect(masked?.question.boxTask).toBe(true);
    const splits = ['train', 'validation', 'test'] as const;
    expect(splits.map((split) => splitExamples(loaded, split).length).reduce((a, b) => a + b)).toBe(rows);
  });

  it('decodes an image to [S, S, 3] in [0, 1] against sharp\'s own resize, and reports its own size', async () => {
    const path = join(work, 'gray.png');
    const pixels = Buffer.from(Array.from({ length: 12 * 6 }, (_, i) => (i * 37) % 256));
    await sharp(pixels, { raw: { width: 12, height: 6, channels: 1 } }).toColourspace('b-w').png().toFile(path);
    expect((await sharp(path).metadata()).channels).toBe(1);
    const decoded = await decodeImage(path, 4);
    expect([decoded.width, decoded.height]).toEqual([12, 6]);
    const { data, info } = await sharp(path).resize(4, 4, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
    // A gray image becomes three equal channels.
    for (let p = 0; p < 16; p++) for (let c = 0; c < 3; c++) expect(decoded.pixels[p * 3 + c]).toBeCloseTo(data[p * info.channels] / 255, 6);
    expect(new Set(Array.from(decoded.pixels)).size).toBeGreaterThan(4);
  });

  it('loads a gold mask as one byte per pixel and finds its box', async () => {
    const loaded = await loadTrainingCorpus(corpus, { imageSize: 4 });
    const masked = loaded.examples.find((example) => example.maskPath !== null);
    const mask = await new GoldMaskStore(join(corpus, 'media')).get(masked?.maskPath as string);
    expect(mask.width).toBe(masked?.question.imageWidth);
    const box = maskBoundingBox(mask);
    expect(box?.[1]).toBe(3);
    expect(box?.[0]).toBeGreaterThanOrEqual(2);
  });

  it('exits 2 before decoding when a shard does not match the manifest', async () => {
    const copy = join(work, 'tampered');
    await cp(corpus, copy, { recursive: true });
    const shard = join(copy, 'pairs', 'part-00000.parquet');
    const bytes = await readFile(shard);
    bytes[bytes.length - 20] ^= 0xff;
    await writeFile(shard, bytes);
    const error = await failure(loadTrainingCorpus(copy, { imageSize: 4 }));
    expect(error.code).toBe('SHARD_HASH_MISMATCH');
    expect(error.message).toContain('part-00000.parquet');
  });

  it('exits 2 naming a missing media file', async () => {
    const copy = join(work, 'no-media');
    await cp(corpus, copy, { recursive: true });
    const loaded = await loadTrainingCorpus(corpus, { imageSize: 4 });
    const ecg = loaded.examples.find((example) => example.domain === 'ecg');
    const manifest = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
    expect(manifest.shards.length).toBeGreaterThan(0);
    const folder = join(copy, 'media', 'ecg', 'ptb-xl');
    const victim = (await readdir(folder)).sort()[0];
    await rm(join(folder, victim));
    const error = await failure(loadTrainingCorpus(copy, { imageSize: 4 }));
    expect(error.code).toBe('MEDIA_MISSING');
    expect(error.message).toContain(victim);
    expect(ecg).toBeDefined();
  });

  it('refuses statistics of another corpus, and missing statistics', async () => {
    const sha = await sha256OfFile(join(corpus, 'manifest.json'));
    await writeTestStats(join(work, 'stats'), sha);
    await checkStatsMatchCorpus(join(work, 'stats'), sha);
    await writeTestStats(join(work, 'other-stats'), '0'.repeat(64));
    expect((await failure(checkStatsMatchCorpus(join(work, 'other-stats'), sha))).code).toBe('STATS_OTHER_CORPUS');
    expect((await failure(checkStatsMatchCorpus(join(work, 'nothing'), sha))).message).toMatch(/stats:report/);
  });

  it('exits 2 when there is no corpus', async () => {
    expect((await failure(loadTrainingCorpus(join(work, 'absent'), { imageSize: 4 }))).message).toMatch(/ingest:pairs/);
  });
});
