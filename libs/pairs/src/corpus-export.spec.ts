import { DuckDBInstance } from '@duckdb/node-api';
import { INSTRUCTION_PAIR_COLUMNS, validateInstructionPair, type InstructionPair } from '@qoq/catalog';
import { writeFolderAtomically, writeManifest, writeParquetShards } from '@qoq/dataset-io';
import { encodeNpy } from '@qoq/ecg';
import { mulberry32 } from '@qoq/runtime';
import { DEBIAN_PYTHON, requireOracle } from '@qoq/testing';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { CorpusExportFailure, type CorpusExportErrorCode } from './corpus-export-error';
import { exportCorpus } from './corpus-export';

const root = mkdtempSync(join(tmpdir(), 'qoq-export-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hasTorch = requireOracle('torch');
const SUFFIX = 'You FIRST think about the reasoning process as an internal monologue and then provide the final answer.';
const CXR_LABELS = ['Atelectasis', 'Cardiomegaly', 'No Finding', 'Pleural Effusion'];
const ECG_LABELS = ['Normal', 'Conduction Disturbance', 'Hypertrophy', 'Myocardial Infarction', 'ST/T Change', 'Atrial Fibrillation/Flutter', 'Other'];
const BUSI_LABELS = ['benign', 'malignant', 'normal'];

function pair(fields: Partial<InstructionPair> & Pick<InstructionPair, 'id' | 'split' | 'dataset_key' | 'labels' | 'label_set'>): InstructionPair {
  const [modality, dataset] = fields.dataset_key.split('/');
  const images = fields.images ?? [];
  const timeSeries = fields['time-series'] ?? null;
  const placeholders = images.map(() => '<image>').join('') + (timeSeries ?? []).map(() => '<time_series>').join('');
  return {
    problem: `${placeholders}\nWhat is the diagnosis? Answer with one of the following:\n${fields.label_set.join('\n')} ${SUFFIX}`,
    answer: fields.labels.join(', '),
    images,
    'time-series': timeSeries,
    dataset,
    bbox: fields.bbox ?? null,
    segmentation_path: fields.segmentation_path ?? null,
    id: fields.id,
    dataset_key: fields.dataset_key,
    domain: (modality === 'ultrasound' ? 'ultrasound' : modality) as InstructionPair['domain'],
    modality,
    split: fields.split,
    patient_key: `patient-${fields.id}`,
    labels: fields.labels,
    label_set: fields.label_set,
    source_sha256: createHash('sha256').update(fields.id).digest('hex'),
    schema_version: 1,
  };
}

/** Rows in corpus order: an image with a box, ECGs (one file shared by two rows), an image with a mask. */
const ROWS: InstructionPair[] = [
  pair({ id: 'r1', split: 'train', dataset_key: 'chest_xray/vindr', images: ['chest_xray/vindr/3f9a01.png'], bbox: [12.5, 20, 40.25, 33], labels: ['Cardiomegaly'], label_set: CXR_LABELS }),
  pair({ id: 'r2', split: 'train', dataset_key: 'ecg/ptb-xl', 'time-series': ['ecg/ptb-xl/77ab10.npy'], labels: ['Normal'], label_set: ECG_LABELS }),
  pair({ id: 'r3', split: 'test', dataset_key: 'ultrasound/busi', images: ['ultrasound/busi/c0ffee.png'], segmentation_path: 'ultrasound/busi/c0ffee_mask.png', labels: ['malignant'], label_set: BUSI_LABELS }),
  pair({ id: 'r4', split: 'validation', dataset_key: 'ecg/ptb-xl', 'time-series': ['ecg/ptb-xl/91de22.npy'], labels: ['Hypertrophy', 'ST/T Change'], label_set: ECG_LABELS }),
  pair({ id: 'r5', split: 'train', dataset_key: 'ecg/ptb-xl', 'time-series': ['ecg/ptb-xl/77ab10.npy'], labels: ['Other'], label_set: ECG_LABELS }),
];

/** An [8, 2500] float32 ECG with values a float64 detour would change (fractions, tiny, negative, -0). */
function ecgValues(seed: number): Float32Array {
  const random = mulberry32(seed);
  const values = Float32Array.from({ length: 8 * 2500 }, () => (random() - 0.5) * 3.3);
  values[0] = -0;
  values[1] = 1.401298464324817e-45;
  return values;
}

async function png(width: number, height: number, seed: number): Promise<Buffer> {
  const random = mulberry32(seed);
  const pixels = Buffer.from(Array.from({ length: width * height * 3 }, () => Math.floor(random() * 256)));
  return sharp(pixels, { raw: { width, height, channels: 3 } }).png().toBuffer();
}

async function mediaFiles(): Promise<Record<string, Uint8Array>> {
  return {
    'chest_xray/vindr/3f9a01.png': await png(48, 40, 1),
    'ultrasound/busi/c0ffee.png': await png(32, 24, 2),
    'ultrasound/busi/c0ffee_mask.png': await png(32, 24, 3),
    'ecg/ptb-xl/77ab10.npy': encodeNpy(ecgValues(4), [8, 2500]),
    'ecg/ptb-xl/91de22.npy': encodeNpy(ecgValues(5), [8, 2500]),
  };
}

/** A corpus folder as ingest:pairs writes it: media/, pairs/part-*.parquet, manifest.json. */
async function buildCorpus(folder: string, rows: readonly InstructionPair[] = ROWS, media?: Record<string, Uint8Array>): Promise<string> {
  const files = media ?? (await mediaFiles());
  await writeFolderAtomically(folder, async (tmp) => {
    for (const [path, bytes] of Object.entries(files)) {
      await mkdir(dirname(join(tmp, 'media', path)), { recursive: true });
      await writeFile(join(tmp, 'media', path), bytes);
    }
    await mkdir(join(tmp, 'pairs'));
    const columns = INSTRUCTION_PAIR_COLUMNS.map(({ name, type, nullable }) => ({ name, type, nullable }));
    const shards = await writeParquetShards(rows, { directory: join(tmp, 'pairs'), columns, rowsPerShard: 3 });
    await writeManifest(tmp, {
      schemaVersion: '1',
      codeVersion: 'test',
      options: {},
      columns,
      shards: shards.map((s) => ({ path: `pairs/${s.name}`, rows: s.rows, bytes: s.bytes, sha256: s.sha256 })),
    });
  });
  return folder;
}

/** Every file under a folder, relative path → SHA-256. */
function tree(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[relative(folder, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(folder);
  return out;
}

function python(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, ['-c', script, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`python exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

async function failureOf(promise: Promise<unknown>): Promise<{ code: CorpusExportErrorCode; path: string; message: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CorpusExportFailure);
  const { code, path, message } = (error as CorpusExportFailure).error;
  return { code, path, message };
}

/** The official record the JSONL must hold for a row: official fields only, ECG paths as .pt. */
function officialRecord(row: InstructionPair): Record<string, unknown> {
  const record: Record<string, unknown> = { problem: row.problem, answer: row.answer, images: row.images };
  if (row['time-series'] !== null) record['time-series'] = row['time-series'].map((p) => p.replace(/\.npy$/, '.pt'));
  record.dataset = row.dataset;
  if (row.bbox !== null) record.bbox = row.bbox;
  if (row.segmentation_path !== null) record.segmentation_path = row.segmentation_path;
  return record;
}

// What the official loader does with a record, checked by Python itself: JSON lines, paths joined to
// the JSONL's folder, ECG tensors torch.load-ed (weights_only) and compared bit for bit with the .npy.
const QOQ_CHECK = `
import sys, os, json, numpy, torch
export_dir, media_dir = sys.argv[1], sys.argv[2]
out = {}
for split in ('train', 'validation', 'test'):
    records = []
    with open(os.path.join(export_dir, split + '.jsonl'), encoding='utf-8') as f:
        for line in f:
            record = json.loads(line)
            checks = {'keys': list(record.keys()), 'images': [], 'segmentation': None, 'tensors': []}
            for p in record['images']:
                with open(os.path.join(export_dir, p), 'rb') as image:
                    checks['images'].append(image.read(8) == b'\\x89PNG\\r\\n\\x1a\\n')
            if 'segmentation_path' in record:
                checks['segmentation'] = os.path.isfile(os.path.join(export_dir, record['segmentation_path']))
            for p in record.get('time-series', []):
                t = torch.load(os.path.join(export_dir, p), weights_only=True)
                source = numpy.load(os.path.join(media_dir, p[:-3] + '.npy'))
                checks['tensors'].append({
                    'dtype': str(t.dtype), 'shape': list(t.shape), 'contiguous': t.is_contiguous(),
                    'bitwise_equal': torch.equal(t.view(torch.int32), torch.from_numpy(source.view(numpy.int32))),
                })
            records.append({'record': record, 'checks': checks})
    out[split] = records
print(json.dumps(out))
`;

describe('exportCorpus', () => {
  it('builds a corpus whose rows follow the instruction-pair schema (the fixture is what ingest:pairs writes)', () => {
    for (const row of ROWS) expect(validateInstructionPair(row), row.id).toEqual([]);
  });

  it.skipIf(!hasTorch)('writes the official JSONL per split with its media beside it: the loader reads images, masks and ECG tensors', async () => {
    const corpus = await buildCorpus(join(root, 'qoq', 'corpus'));
    const summary = await exportCorpus({ corpusDir: corpus, format: 'qoq-jsonl' });
    const exportDir = join(corpus, 'export', 'qoq-med');
    expect(summary.outputDir).toBe(exportDir);
    expect(summary.files.map((f) => [f.name, f.rows])).toEqual([['train.jsonl', 3], ['validation.jsonl', 1], ['test.jsonl', 1]]);
    expect(Object.keys(tree(exportDir)).sort()).toEqual([
      'chest_xray/vindr/3f9a01.png',
      'ecg/ptb-xl/77ab10.pt',
      'ecg/ptb-xl/91de22.pt',
      'export.json',
      'test.jsonl',
      'train.jsonl',
      'ultrasound/busi/c0ffee.png',
      'ultrasound/busi/c0ffee_mask.png',
      'validation.jsonl',
    ]);
    expect(summary.media).toMatchObject({ files: 5, tensors: 2, reused: 1 });

    const checked = JSON.parse(await python(QOQ_CHECK, [exportDir, join(corpus, 'media')])) as Record<string, { record: unknown; checks: { keys: string[]; images: boolean[]; segmentation: boolean | null; tensors: unknown[] } }[]>;
    for (const split of ['train', 'validation', 'test'] as const) {
      const expected = ROWS.filter((row) => row.split === split);
      expect(checked[split].map((c) => c.record), split).toEqual(expected.map(officialRecord));
      checked[split].forEach(({ checks }, index) => {
        const row = expected[index];
        expect(checks.keys).toEqual(Object.keys(officialRecord(row)));
        expect(checks.images).toEqual(row.images.map(() => true));
        expect(checks.segmentation).toBe(row.segmentation_path === null ? null : true);
        expect(checks.tensors).toEqual((row['time-series'] ?? []).map(() => ({ dtype: 'torch.float32', shape: [8, 2500], contiguous: true, bitwise_equal: true })));
      });
    }
    // Images and masks are the corpus's files, hard-linked (one file system here), not re-encoded.
    for (const path of ['chest_xray/vindr/3f9a01.png', 'ultrasound/busi/c0ffee_mask.png']) {
      expect(statSync(join(exportDir, path)).ino).toBe(statSync(join(corpus, 'media', path)).ino);
    }
    const exportJson = JSON.parse(readFileSync(join(exportDir, 'export.json'), 'utf8')) as { corpus: { manifestSha256: string; rows: number } };
    expect(exportJson.corpus).toEqual({ manifestSha256: createHash('sha256').update(readFileSync(join(corpus, 'manifest.json'))).digest('hex'), rows: 5 });
  });

  it('writes verl Parquet per split with the expected columns, its media (ECG as .pt) beside it', async () => {
    const corpus = await buildCorpus(join(root, 'verl', 'corpus'));
    const summary = await exportCorpus({ corpusDir: corpus, format: 'verl' });
    const exportDir = join(corpus, 'export', 'verl');
    expect(summary.files.map((f) => [f.name, f.rows])).toEqual([['train.parquet', 3], ['validation.parquet', 1], ['test.parquet', 1]]);
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const connection = await instance.connect();
    try {
      for (const split of ['train', 'validation', 'test'] as const) {
        const path = join(exportDir, `${split}.parquet`);
        const columns = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)).getRowObjectsJson().map((c) => c.column_name);
        expect(columns).toEqual(['data_source', 'prompt', 'images', 'ability', 'reward_model', 'extra_info']);
        const rows = (await connection.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRowObjectsJS();
        const expected = ROWS.filter((row) => row.split === split);
        expect(rows).toEqual(
          expected.map((row, index) => ({
            data_source: row.dataset_key,
            prompt: [{ role: 'user', content: row.problem }],
            images: row.images,
            ability: row.domain,
            reward_model: { style: 'rule', ground_truth: row.answer },
            extra_info: {
              split,
              index: BigInt(index),
              id: row.id,
              dataset_key: row.dataset_key,
              domain: row.domain,
              bbox: row.bbox,
              time_series: row['time-series']?.map((p) => p.replace(/\.npy$/, '.pt')) ?? null,
            },
          })),
        );
        for (const row of rows as { images: string[]; extra_info: { time_series: string[] | null } }[]) {
          for (const media of [...row.images, ...(row.extra_info.time_series ?? [])]) expect(existsSync(join(exportDir, media)), media).toBe(true);
        }
      }
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
    // No masks in verl rows, so none beside them.
    expect(existsSync(join(exportDir, 'ultrasound/busi/c0ffee_mask.png'))).toBe(false);
  });

  it('gives the same bytes on a re-run and in another output folder', async () => {
    const corpus = await buildCorpus(join(root, 'again', 'corpus'));
    for (const format of ['qoq-jsonl', 'verl'] as const) {
      const first = await exportCorpus({ corpusDir: corpus, format });
      const before = tree(first.outputDir);
      await exportCorpus({ corpusDir: corpus, format });
      expect(tree(first.outputDir), format).toEqual(before);
      const elsewhere = await exportCorpus({ corpusDir: corpus, format, outputDir: join(root, 'again', `out-${format}`) });
      expect(tree(elsewhere.outputDir), format).toEqual(before);
    }
    // A changed ECG value changes its tensor (the export is not cached on names).
    const changed = await mediaFiles();
    const values = ecgValues(5);
    values[7] += 1;
    changed['ecg/ptb-xl/91de22.npy'] = encodeNpy(values, [8, 2500]);
    const other = await buildCorpus(join(root, 'again', 'changed'), ROWS, changed);
    const a = tree((await exportCorpus({ corpusDir: corpus, format: 'qoq-jsonl' })).outputDir);
    const b = tree((await exportCorpus({ corpusDir: other, format: 'qoq-jsonl' })).outputDir);
    expect(b['ecg/ptb-xl/91de22.pt']).not.toBe(a['ecg/ptb-xl/91de22.pt']);
    expect(b['ecg/ptb-xl/77ab10.pt']).toBe(a['ecg/ptb-xl/77ab10.pt']);
  });

  it('refuses a row whose media file is missing, naming it, and leaves the previous export as it was', async () => {
    const corpus = await buildCorpus(join(root, 'missing', 'corpus'));
    const exportDir = join(corpus, 'export', 'qoq-med');
    await exportCorpus({ corpusDir: corpus, format: 'qoq-jsonl' });
    const before = tree(exportDir);
    rmSync(join(corpus, 'media', 'ultrasound/busi/c0ffee_mask.png'));
    const failure = await failureOf(exportCorpus({ corpusDir: corpus, format: 'qoq-jsonl' }));
    expect(failure.code).toBe('MEDIA_MISSING');
    expect(failure.path).toBe(join(corpus, 'media', 'ultrasound/busi/c0ffee_mask.png'));
    expect(tree(exportDir)).toEqual(before);
    expect(readdirSync(join(corpus, 'export'))).toEqual(['qoq-med']);
    // Nothing half-written when there was no export before either (verl rows carry no mask: an image).
    rmSync(join(corpus, 'media', 'chest_xray/vindr/3f9a01.png'));
    const fresh = await failureOf(exportCorpus({ corpusDir: corpus, format: 'verl', outputDir: join(root, 'missing', 'verl') }));
    expect(fresh).toMatchObject({ code: 'MEDIA_MISSING', path: join(corpus, 'media', 'chest_xray/vindr/3f9a01.png') });
    expect(readdirSync(join(root, 'missing'))).toEqual(['corpus']);
  });

  it('refuses a corpus that does not match its manifest, naming the shard', async () => {
    const corpus = await buildCorpus(join(root, 'altered', 'corpus'));
    const shard = join(corpus, 'pairs', 'part-00001.parquet');
    const bytes = readFileSync(shard);
    bytes[100] ^= 0xff;
    writeFileSync(shard, bytes);
    const failure = await failureOf(exportCorpus({ corpusDir: corpus, format: 'verl' }));
    expect(failure).toMatchObject({ code: 'CORPUS_INVALID', path: shard });
    expect(existsSync(join(corpus, 'export'))).toBe(false);
    rmSync(join(corpus, 'manifest.json'));
    expect(await failureOf(exportCorpus({ corpusDir: corpus, format: 'qoq-jsonl' }))).toMatchObject({ code: 'CORPUS_INVALID', path: join(corpus, 'manifest.json') });
  });

  it('refuses an ECG file that is not float32, and a media path that leaves media/', async () => {
    const media = await mediaFiles();
    const float64 = Buffer.from(encodeNpy(ecgValues(4).subarray(0, 10), [10]));
    float64.write("'<f8'", float64.indexOf("'<f4'"), 'latin1');
    media['ecg/ptb-xl/77ab10.npy'] = float64;
    const corpus = await buildCorpus(join(root, 'bad-npy', 'corpus'), ROWS, media);
    const failure = await failureOf(exportCorpus({ corpusDir: corpus, format: 'qoq-jsonl' }));
    expect(failure.code).toBe('MEDIA_INVALID');
    expect(failure.path).toBe(join(corpus, 'media', 'ecg/ptb-xl/77ab10.npy'));
    expect(failure.message).toMatch(/<f8/);

    const escaping = ROWS.map((row) => (row.id === 'r1' ? { ...row, images: ['chest_xray/vindr/../../../manifest.json'] } : row));
    const corpus2 = await buildCorpus(join(root, 'escape', 'corpus'), escaping);
    expect((await failureOf(exportCorpus({ corpusDir: corpus2, format: 'verl' }))).code).toBe('MEDIA_PATH_INVALID');
  });

  it('refuses an output folder whose replacement would remove the corpus or part of it', async () => {
    const corpus = await buildCorpus(join(root, 'output', 'corpus'));
    const before = tree(corpus);
    for (const outputDir of [corpus, join(root, 'output'), join(corpus, 'media'), join(corpus, 'pairs', 'x'), join(corpus, 'export')]) {
      expect((await failureOf(exportCorpus({ corpusDir: corpus, format: 'qoq-jsonl', outputDir }))).code, outputDir).toBe('OUTPUT_INVALID');
    }
    expect(tree(corpus)).toEqual(before);
    const nested = await exportCorpus({ corpusDir: corpus, format: 'qoq-jsonl', outputDir: join(corpus, 'export', 'mine') });
    expect(nested.rows).toBe(5);
    // A folder outside the corpus that holds something else than an earlier export is not replaced.
    const unrelated = join(root, 'output', 'notes');
    mkdirSync(unrelated);
    writeFileSync(join(unrelated, 'keep.txt'), 'mine');
    expect(await failureOf(exportCorpus({ corpusDir: corpus, format: 'verl', outputDir: unrelated }))).toMatchObject({ code: 'OUTPUT_INVALID', path: unrelated });
    expect(readFileSync(join(unrelated, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
