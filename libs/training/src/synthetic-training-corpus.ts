// A small corpus folder as ingest:pairs writes it (pairs/part-*.parquet, manifest.json with SHA-256s,
// media/ with PNG images and masks and float32 [8, 2500] .npy ECGs), for the trainer's tests (this lib's
// and apps/trainer's) without running the ingest chain. The label is
// learnable on purpose: label j of the first four has mean intensity (j + 0.5) / 4 (images) or an ECG
// mean of 2·(j + 0.5)/4 − 1, so a model that reads its input can beat the label prior.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { INSTRUCTION_PAIR_COLUMNS, INSTRUCTION_PAIR_SCHEMA_VERSION, loadCatalog } from '@qoq/catalog';
import { writeManifest, writeParquetShards, type ColumnSpec } from '@qoq/dataset-io';
import { mulberry32 } from '@qoq/runtime';
import { encodeNpyFloat32 } from './npy-array';

export interface TestCorpusPlan {
  /** Rows per dataset_key (catalog keys). */
  readonly rows: Readonly<Record<string, number>>;
  readonly seed?: number;
  readonly rowsPerShard?: number;
}

export const TEST_CORPUS_PLAN: TestCorpusPlan = { rows: { 'derm/ham10000': 40, 'mammo/cbis': 30, 'mammo/vindr': 30, 'ecg/ptb-xl': 40 }, seed: 7 };

const COLUMNS: ColumnSpec[] = INSTRUCTION_PAIR_COLUMNS.map(({ name, type, nullable }) => ({ name, type, nullable }));

/** The split of a dataset's i-th row: 6 of 10 train, 2 validation, 2 test. */
export const testSplitOf = (index: number): 'train' | 'validation' | 'test' => (index % 10 < 6 ? 'train' : index % 10 < 8 ? 'validation' : 'test');

const hex = (random: () => number, length: number): string => Array.from({ length }, () => '0123456789abcdef'[(random() * 16) | 0]).join('');

/** Writes the corpus at `folder` (created) and returns its row count. */
export async function writeTestCorpus(folder: string, plan: TestCorpusPlan = TEST_CORPUS_PLAN): Promise<number> {
  const catalog = loadCatalog();
  const random = mulberry32(plan.seed ?? 1);
  const rows: Record<string, unknown>[] = [];
  const media = join(folder, 'media');
  for (const [datasetKey, count] of Object.entries(plan.rows)) {
    const spec = catalog.dataset(datasetKey);
    const isEcg = spec.media_kind === 'ecg';
    for (let index = 0; index < count; index++) {
      const labelIndex = Math.floor(random() * Math.min(4, spec.label_set.length));
      const labels = [spec.label_set[labelIndex]];
      const name = hex(random, 24);
      const level = (labelIndex + 0.5) / 4;
      const width = 40 + ((index * 7) % 25);
      const height = 30 + ((index * 11) % 21);
      let images: string[] = [];
      let series: string[] | null = null;
      let bbox: number[] | null = null;
      let mask: string | null = null;
      if (isEcg) {
        series = [`${datasetKey}/${name}.npy`];
        const signal = new Float32Array(8 * 2500);
        for (let i = 0; i < signal.length; i++) signal[i] = 2 * level - 1 + 0.05 * Math.sin(i / 17 + index);
        const path = join(media, series[0]);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, encodeNpyFloat32([8, 2500], signal));
      } else {
        images = [`${datasetKey}/${name}.png`];
        const pixels = Buffer.alloc(width * height * 3);
        for (let i = 0; i < pixels.length; i++) pixels[i] = Math.max(0, Math.min(255, Math.round(255 * level + 20 * Math.sin(i / 5 + index))));
        const path = join(media, images[0]);
        await mkdir(dirname(path), { recursive: true });
        await sharp(pixels, { raw: { width, height, channels: 3 } }).png().toFile(path);
        const box = [2 + labelIndex * 3, 3, Math.floor(width / 2) + labelIndex * 3, Math.floor(height / 2) + 2];
        if (spec.localization === 'bbox') bbox = box;
        if (spec.localization === 'mask') {
          mask = `${datasetKey}/${name}_mask.png`;
          const maskPixels = Buffer.alloc(width * height);
          for (let y = box[1]; y <= box[3]; y++) for (let x = box[0]; x <= box[2]; x++) maskPixels[y * width + x] = 255;
          await sharp(maskPixels, { raw: { width, height, channels: 1 } }).png().toFile(join(media, mask));
        }
      }
      rows.push({
        problem: catalog.renderPrompt(datasetKey, isEcg ? { timeSeriesCount: 1 } : { imageCount: 1 }),
        answer: labels.join(', '),
        images,
        'time-series': series,
        dataset: spec.dataset,
        bbox,
        segmentation_path: mask,
        id: `t-${name.slice(0, 16)}`,
        dataset_key: datasetKey,
        domain: spec.domain,
        modality: spec.modality,
        split: testSplitOf(index),
        patient_key: `k-${hex(random, 12)}`,
        labels,
        label_set: spec.label_set,
        source_sha256: hex(random, 64),
        schema_version: INSTRUCTION_PAIR_SCHEMA_VERSION,
      });
    }
  }
  await mkdir(join(folder, 'pairs'), { recursive: true });
  const shards = await writeParquetShards(rows, { directory: join(folder, 'pairs'), columns: COLUMNS, rowsPerShard: plan.rowsPerShard ?? 100, rowsPerGroup: 50 });
  await writeManifest(folder, {
    schemaVersion: String(INSTRUCTION_PAIR_SCHEMA_VERSION),
    codeVersion: 'test',
    options: { seed: plan.seed ?? 1 },
    columns: COLUMNS,
    shards: shards.map((shard) => ({ path: `pairs/${shard.name}`, rows: shard.rows, bytes: shard.bytes, sha256: shard.sha256 })),
  });
  return rows.length;
}

/** A stats.json naming the corpus manifest's SHA-256, as stats:report writes it. */
export async function writeTestStats(folder: string, manifestSha256: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'stats.json'), `${JSON.stringify({ corpus_manifest_sha256: manifestSha256 })}\n`);
}
