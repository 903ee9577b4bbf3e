// The corpus as the training loop sees it (design.md "The corpus"): the manifest verified (every shard's
// SHA-256), every row's media present, images decoded with sharp to [S, S, 3] float32 in [0, 1] and ECGs
// read from their .npy files, each row turned into a PolicyQuestion with its gold answer, box and mask
// path kept beside it for the rewards. Everything that can be wrong with the input is found here,
// before training starts, and reported as a UsageError naming the file (exit 2).
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata, type OutputInfo } from 'sharp';
import { loadCatalog } from '@qoq/catalog';
import { DatasetIoFailure, openDataset, sha256OfFile, type DatasetRow } from '@qoq/dataset-io';
import type { Box } from '@qoq/drpo';
import type { PolicyQuestion } from '@qoq/policy';
import { UsageError } from '@qoq/runtime';
import { NpyFormatError, parseNpy } from './npy-array';

export const SPLITS = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

/** The ECG shape of the corpus: 8 leads (I, II, V1–V6) × 2,500 samples (QoQ-Med §1). */
export const ECG_LEADS = 8;
export const ECG_SAMPLES = 2500;

/** One corpus row ready for training and evaluation. */
export interface TrainingExample {
  readonly question: PolicyQuestion;
  readonly id: string;
  readonly domain: string;
  readonly datasetKey: string;
  readonly split: SplitName;
  /** The gold answer (labels joined by ", "). */
  readonly answer: string;
  readonly labels: readonly string[];
  /** In pixels of images[0] (the policy's box space). */
  readonly goldBox: Box | null;
  /** The gold mask, relative to media/, or null. */
  readonly maskPath: string | null;
}

export interface TrainingCorpus {
  readonly folder: string;
  /** SHA-256 of manifest.json (what stats.json records). */
  readonly manifestSha256: string;
  /** Rows in manifest (shard) order. */
  readonly examples: readonly TrainingExample[];
  /** Per dataset_key, in order of first appearance. */
  readonly labelSets: ReadonlyMap<string, readonly string[]>;
  readonly domains: ReadonlyMap<string, string>;
}

export interface CorpusLoadOptions {
  /** The side S the images are resized to. */
  readonly imageSize: number;
  /** Files decoded at once (sharp runs them on libuv's threads). */
  readonly concurrency?: number;
  /** Called after each decoded row, for a progress line. */
  readonly onDecoded?: (done: number, total: number) => void;
}

const COLUMNS = ['id', 'dataset_key', 'domain', 'split', 'answer', 'labels', 'label_set', 'images', 'time-series', 'bbox', 'segmentation_path'];

interface RowPlan {
  readonly id: string;
  readonly datasetKey: string;
  readonly domain: string;
  readonly split: SplitName;
  readonly answer: string;
  readonly labels: readonly string[];
  readonly labelSet: readonly string[];
  readonly image: string | null;
  readonly ecg: string | null;
  readonly bbox: Box | null;
  readonly maskPath: string | null;
}

function stringList(value: unknown): string[] | null {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : null;
}

/** A row's fields the loop needs, checked; the message names the shard row. */
function planRow(row: DatasetRow, where: string): RowPlan {
  const bad = (message: string): UsageError => new UsageError(`${where}: CORPUS_ROW_INVALID: ${message}`, 'CORPUS_ROW_INVALID');
  const text = (name: string): string => {
    const value = row[name];
    if (typeof value !== 'string' || value === '') throw bad(`"${name}" must be a non-empty string`);
    return value;
  };
  const split = text('split');
  if (!(SPLITS as readonly string[]).includes(split)) throw bad(`"split" must be one of ${SPLITS.join(', ')}, got '${split}'`);
  const labels = stringList(row.labels) ?? [];
  const labelSet = stringList(row.label_set);
  if (!labelSet || labelSet.length === 0) throw bad('"label_set" must be a non-empty list of strings');
  const images = stringList(row.images) ?? [];
  const series = stringList(row['time-series']) ?? [];
  if (images.length === 0 && series.length === 0) throw bad('the row has neither images nor time-series');
  let bbox: Box | null = null;
  if (row.bbox !== null && row.bbox !== undefined) {
    const values = row.bbox as readonly number[];
    if (!Array.isArray(values) || values.length !== 4 || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) throw bad('"bbox" must be 4 finite numbers or null');
    bbox = [values[0], values[1], values[2], values[3]];
  }
  const mask = row.segmentation_path;
  if (mask !== null && mask !== undefined && typeof mask !== 'string') throw bad('"segmentation_path" must be a string or null');
  return {
    id: text('id'),
    datasetKey: text('dataset_key'),
    domain: text('domain'),
    split: split as SplitName,
    answer: typeof row.answer === 'string' ? row.answer : '',
    labels,
    labelSet,
    image: images.length > 0 ? images[0] : null,
    ecg: images.length === 0 ? series[0] : null,
    bbox,
    maskPath: typeof mask === 'string' && mask !== '' ? mask : null,
  };
}

/** The SHA-256 of the corpus manifest; UsageError when the folder is no verified corpus. */
async function verifiedRows(folder: string): Promise<{ manifestSha256: string; plans: RowPlan[] }> {
  try {
    await access(folder);
  } catch {
    throw new UsageError(`no corpus at ${folder}: run \`npx nx run ingest:pairs\` first, or pass --corpus=DIR`, 'CORPUS_MISSING');
  }
  const plans: RowPlan[] = [];
  try {
    const dataset = await openDataset(folder, { columns: COLUMNS });
    let shard = '';
    let index = 0;
    for await (const batch of dataset.columnBatches()) {
      if (batch.shard !== shard) {
        shard = batch.shard;
        index = 0;
      }
      for (let row = 0; row < batch.rowCount; row++) {
        const record: DatasetRow = {};
        for (const name of batch.columnNames) record[name] = batch.columns[name][row] ?? null;
        plans.push(planRow(record, `${join(folder, shard)}: row ${index++}`));
      }
    }
  } catch (error) {
    if (error instanceof DatasetIoFailure) throw new UsageError(`${error.path}: ${error.code}: ${error.error.message}`, error.code);
    throw error;
  }
  return { manifestSha256: await sha256OfFile(join(folder, 'manifest.json')), plans };
}

/**
 * Refuses statistics of another corpus: `<stats>/stats.json` must carry the SHA-256 of this corpus's
 * manifest.json (stats:report writes it as `corpus_manifest_sha256`).
 */
export async function checkStatsMatchCorpus(statsFolder: string, manifestSha256: string): Promise<void> {
  const path = join(statsFolder, 'stats.json');
  let stats: unknown;
  try {
    stats = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new UsageError(
      missing ? `no statistics at ${path}: run \`npx nx run stats:report\` first, or pass --stats=none` : `${path}: not JSON: ${(error as Error).message}`,
      'STATS_MISSING',
    );
  }
  const recorded = (stats as { corpus_manifest_sha256?: unknown }).corpus_manifest_sha256;
  if (recorded !== manifestSha256) {
    throw new UsageError(
      `${path}: STATS_OTHER_CORPUS: the statistics are of the corpus whose manifest has SHA-256 ${String(recorded)}, this corpus's is ${manifestSha256}: run \`npx nx run stats:report\` again`,
      'STATS_OTHER_CORPUS',
    );
  }
}

async function assertMediaPresent(mediaFolder: string, plans: readonly RowPlan[]): Promise<void> {
  const paths = new Set<string>();
  for (const plan of plans) for (const path of [plan.image, plan.ecg, plan.maskPath]) if (path !== null) paths.add(path);
  const missing: string[] = [];
  const sorted = [...paths].sort();
  const window = 64;
  for (let start = 0; start < sorted.length; start += window) {
    const results = await Promise.all(
      sorted.slice(start, start + window).map(async (path) => {
        if (path.startsWith('/') || path.split('/').includes('..')) return path;
        try {
          await access(join(mediaFolder, path));
          return null;
        } catch {
          return path;
        }
      }),
    );
    for (const path of results) if (path !== null) missing.push(path);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `${join(mediaFolder, missing[0])}: MEDIA_MISSING: a media file the corpus references is not there (${missing.length} missing in all${missing.length > 1 ? `, e.g. also ${missing.slice(1, 3).join(', ')}` : ''})`,
      'MEDIA_MISSING',
    );
  }
}

interface DecodedImage {
  readonly pixels: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** An image file → [S, S, 3] float32 RGB in [0, 1] (resized without keeping the aspect), and its own size. */
export async function decodeImage(path: string, size: number): Promise<DecodedImage> {
  let metadata: Metadata;
  let raw: { data: Buffer; info: OutputInfo };
  try {
    metadata = await sharp(path).metadata();
    raw = await sharp(path).removeAlpha().resize(size, size, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new UsageError(`${path}: MEDIA_UNREADABLE: ${(error as Error).message}`, 'MEDIA_UNREADABLE');
  }
  const { data, info } = raw;
  const pixels = new Float32Array(size * size * 3);
  const channels = info.channels;
  // 16-bit sources come out as 2 bytes per sample (the typings do not expose the depth).
  const wide = data.byteLength === size * size * channels * 2;
  const scale = wide ? 1 / 65535 : 1 / 255;
  const values = wide ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)) : data;
  for (let p = 0; p < size * size; p++) {
    for (let c = 0; c < 3; c++) pixels[p * 3 + c] = values[p * channels + (channels >= 3 ? c : 0)] * scale;
  }
  if (!metadata.width || !metadata.height) throw new UsageError(`${path}: MEDIA_UNREADABLE: no image size`, 'MEDIA_UNREADABLE');
  return { pixels, width: metadata.width, height: metadata.height };
}

/** An ECG .npy file → [8, 2500] float32, lead-major. */
export async function decodeEcg(path: string): Promise<Float32Array> {
  try {
    const array = parseNpy(await readFile(path));
    if (array.shape.length !== 2 || array.shape[0] !== ECG_LEADS || array.shape[1] !== ECG_SAMPLES) {
      throw new UsageError(`${path}: MEDIA_INVALID: an ECG must be [${ECG_LEADS}, ${ECG_SAMPLES}], this one is [${array.shape.join(', ')}]`, 'MEDIA_INVALID');
    }
    return array.data;
  } catch (error) {
    if (error instanceof NpyFormatError) throw new UsageError(`${path}: MEDIA_INVALID: ${error.code}: ${error.message}`, 'MEDIA_INVALID');
    throw error;
  }
}

/**
 * Verifies and decodes the corpus at `folder` (see the file comment). Everything is checked before any
 * media is decoded: manifest and shard hashes, the rows, the presence of every media file.
 */
export async function loadTrainingCorpus(folder: string, options: CorpusLoadOptions): Promise<TrainingCorpus> {
  const { manifestSha256, plans } = await verifiedRows(folder);
  if (plans.length === 0) throw new UsageError(`${folder}: CORPUS_EMPTY: the corpus has no rows`, 'CORPUS_EMPTY');
  const media = join(folder, 'media');
  await assertMediaPresent(media, plans);

  const ids = new Set<string>();
  for (const plan of plans) {
    if (ids.has(plan.id)) throw new UsageError(`${folder}: CORPUS_DUPLICATE_ID: two rows have the id '${plan.id}' (rollouts are grouped by it)`, 'CORPUS_DUPLICATE_ID');
    ids.add(plan.id);
  }
  const labelSets = new Map<string, readonly string[]>();
  const domains = new Map<string, string>();
  const boxDatasets = new Set<string>();
  const maxLabels = new Map<string, number>();
  for (const plan of plans) {
    maxLabels.set(plan.datasetKey, Math.max(maxLabels.get(plan.datasetKey) ?? 0, plan.labels.length));
    if (!labelSets.has(plan.datasetKey)) labelSets.set(plan.datasetKey, plan.labelSet);
    if (!domains.has(plan.datasetKey)) domains.set(plan.datasetKey, plan.domain);
    if (plan.bbox !== null || plan.maskPath !== null) boxDatasets.add(plan.datasetKey);
  }

  // Single-label datasets (catalog task_type, else: no row with two labels) answer with one label.
  const catalog = loadCatalog();
  const answerLimit = new Map<string, number | undefined>();
  for (const key of labelSets.keys()) {
    let singleLabel: boolean;
    try {
      singleLabel = catalog.dataset(key).task_type === 'single-label';
    } catch {
      singleLabel = (maxLabels.get(key) ?? 0) <= 1;
    }
    answerLimit.set(key, singleLabel ? 1 : undefined);
  }

  const examples = new Array<TrainingExample>(plans.length);
  const concurrency = options.concurrency ?? 8;
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      if (index >= plans.length) return;
      const plan = plans[index];
      const image = plan.image === null ? null : await decodeImage(join(media, plan.image), options.imageSize);
      const ecg = plan.ecg === null ? null : await decodeEcg(join(media, plan.ecg));
      examples[index] = {
        question: {
          id: plan.id,
          datasetKey: plan.datasetKey,
          labelSet: labelSets.get(plan.datasetKey) ?? plan.labelSet,
          image: image?.pixels ?? null,
          ecg,
          imageWidth: image?.width ?? null,
          imageHeight: image?.height ?? null,
          boxTask: boxDatasets.has(plan.datasetKey),
          ...(answerLimit.get(plan.datasetKey) === undefined ? {} : { maxAnswerLabels: answerLimit.get(plan.datasetKey) }),
        },
        id: plan.id,
        domain: plan.domain,
        datasetKey: plan.datasetKey,
        split: plan.split,
        answer: plan.answer,
        labels: plan.labels,
        goldBox: plan.bbox,
        maskPath: plan.maskPath,
      };
      options.onDecoded?.(++done, plans.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return { folder, manifestSha256, examples, labelSets, domains };
}

/** The examples of one split, in corpus order. */
export function splitExamples(corpus: TrainingCorpus, split: SplitName): TrainingExample[] {
  return corpus.examples.filter((example) => example.split === split);
}
