// ingest:pairs and ingest:merge end to end through the real command lines, on a freshly generated
// sample (every layout, nine domains): rows against the generator's truth.json, the schema, DuckDB as an
// independent reader, exact-duplicate dropping, determinism, shards merged back byte for byte, and the
// exit codes a user scripts against.
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '@qoq/catalog';
import { openDataset, readParquetRows } from '@qoq/dataset-io';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDuckDb, treeBytes, tsx, workspaceRoot } from './stage-cli.test-support';

interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Async, so that the test worker keeps answering while a stage runs for tens of seconds. */
function run(script: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [join(workspaceRoot, script), ...args], { cwd: workspaceRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

interface TruthItem {
  dataset_key: string;
  id: string;
  split: string;
  labels: string[];
  boxes: { label: string; box: [number, number, number, number] }[];
  knobs: { latent_labels: string[] };
  format: Record<string, unknown>;
}

let scratch: string;
let raw: string;
let salt: string;
let common: string[];
let truth: Map<string, TruthItem>;
let built: CliResult;
const corpus = () => join(scratch, 'corpus');

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-ingest-pairs-'));
  raw = join(scratch, 'raw');
  const generated = await run('tools/sample-corpus/src/generate.ts', [`--output=${raw}`, '--scale=0.1', '--workers=2']);
  expect(generated.status, generated.stderr).toBe(0);
  // An exact copy of one pathology image under another name: one of the two must be dropped.
  const lungFolder = join(raw, 'lc25000/lung_colon_image_set/lung_image_sets/lung_n');
  const lungImages = (await readdir(lungFolder).catch(async () => [] as string[])).sort();
  const folder = lungImages.length > 0 ? lungFolder : join(raw, 'lc25000/lung_image_sets/lung_n');
  const images = (await readdir(folder)).sort();
  await copyFile(join(folder, images[0]), join(folder, `zz-copy-of-${images[0]}`));
  salt = join(scratch, 'salt');
  await writeFile(salt, 'a secret salt of at least sixteen bytes');
  const sources = join(raw, 'sources.json');
  for (const stage of ['dicom', 'images', 'ecg']) {
    const result = await run(`apps/ingest/src/${stage}.ts`, [`--sources=${sources}`, `--output=${join(scratch, stage)}`, `--salt-file=${salt}`, '--workers=2']);
    expect(result.status, result.stderr).toBe(0);
  }
  common = [`--sources=${sources}`, `--salt-file=${salt}`, `--media-from=${scratch}`];
  built = await run('apps/ingest/src/pairs.ts', [...common, `--output=${corpus()}`]);
  const parsed = JSON.parse(await readFile(join(raw, 'truth.json'), 'utf8')) as { items: TruthItem[] };
  truth = new Map(parsed.items.map((item) => [`${item.dataset_key}|${item.id}`, item]));
}, 900_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function provenanceById(folder: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for await (const row of readParquetRows(join(folder, 'provenance.parquet'))) out.set(String(row.id), row.source_paths as string[]);
  return out;
}

describe('ingest:pairs on the sample', () => {
  it('builds, and every row matches the generator truth and the schema', async () => {
    expect(built.status, built.stderr).toBe(0);
    expect(built.stdout).toMatch(/leakage check {5}passed/);
    const catalog = await loadCatalog();
    const sources = await provenanceById(corpus());
    const domains = new Set<string>();
    let rows = 0;
    let checkedBoxes = 0;
    const officialSplit = new Set(['ecg/ptb-xl', 'chest_xray/mimic-cxr']);
    for await (const row of (await openDataset(corpus())).rows()) {
      rows += 1;
      expect(catalog.validateInstructionPair(row)).toEqual([]);
      domains.add(String(row.domain));
      const source = (sources.get(String(row.id)) ?? [])[0];
      const item = truth.get(`${String(row.dataset_key)}|${source}`) ?? truth.get(`${String(row.dataset_key)}|${source}.hea`);
      expect(item, `${String(row.dataset_key)} ${source}`).toBeDefined();
      if (item === undefined) continue;
      expect(row.labels).toEqual(item.labels);
      // Official splits are kept (PTB-XL folds, MIMIC split.csv); elsewhere only truth's test set is official.
      if (officialSplit.has(item.dataset_key)) expect(row.split).toBe(item.split);
      if (['chest_xray/vindr', 'mammo/vindr', 'mri/brain_tumor'].includes(item.dataset_key)) expect(row.split === 'test').toBe(item.split === 'test');
      // Gold boxes, scaled into the written image: VinDr-Mammo and BUSI boxes are exact, VinDr-CXR test
      // boxes are the consensus (exact) for findings that are drawn; training boxes are 3 readers' means.
      const bbox = row.bbox as number[] | null;
      if (bbox !== null && ['mammo/vindr', 'ultrasound/busi', 'chest_xray/vindr'].includes(item.dataset_key)) {
        const meta = await sharp(join(corpus(), 'media', (row.images as string[])[0])).metadata();
        const sx = (meta.width ?? 0) / Number(item.format.width);
        const sy = (meta.height ?? 0) / Number(item.format.height);
        const exact = item.dataset_key !== 'chest_xray/vindr' || item.split === 'test';
        const tolerance = exact ? 1 : 3 * Math.max(sx, sy) + 1;
        const drawn = item.boxes.filter((box) => item.knobs.latent_labels.includes(box.label) && (row.labels as string[]).includes(box.label));
        if (drawn.length > 0 && (item.dataset_key !== 'chest_xray/vindr' || item.labels.every((label) => item.knobs.latent_labels.includes(label)))) {
          const near = drawn.some(({ box }) => Math.abs(box[0] * sx - bbox[0]) <= tolerance && Math.abs(box[1] * sy - bbox[1]) <= tolerance && Math.abs(box[2] * sx - bbox[2]) <= tolerance && Math.abs(box[3] * sy - bbox[3]) <= tolerance);
          expect(near, `${item.id}: ${JSON.stringify(bbox)} vs ${JSON.stringify(drawn)} × (${sx}, ${sy})`).toBe(true);
          checkedBoxes += 1;
        }
      }
      if (row.segmentation_path !== null) {
        const mask = await sharp(join(corpus(), 'media', String(row.segmentation_path))).metadata();
        const image = await sharp(join(corpus(), 'media', (row.images as string[])[0])).metadata();
        expect([mask.width, mask.height]).toEqual([image.width, image.height]);
      }
    }
    expect(checkedBoxes).toBeGreaterThan(10);
    expect([...domains].sort()).toEqual(['chest_xray', 'ct', 'derm', 'ecg', 'fundus', 'mammo', 'mri', 'pathology', 'ultrasound']);
    // DuckDB reads the same rows, and no patient sits in two splits.
    const [counted] = await queryDuckDb(`SELECT count(*)::INTEGER AS n FROM read_parquet('${corpus()}/pairs/*.parquet')`);
    expect(counted.n).toBe(rows);
    const leaks = await queryDuckDb(`SELECT patient_key FROM read_parquet('${corpus()}/pairs/*.parquet') GROUP BY patient_key HAVING count(DISTINCT split) > 1`);
    expect(leaks).toEqual([]);
  }, 120_000);

  it('drops an exact duplicate once and says which row it kept', async () => {
    const duplicates = (await readFile(join(corpus(), 'duplicates.jsonl'), 'utf8')).trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { dataset_key: string; kept_id: string });
    expect(duplicates).toHaveLength(1);
    expect(duplicates[0].dataset_key).toBe('pathology/lc25000');
    const ids = new Set<string>();
    for await (const row of (await openDataset(corpus(), { columns: ['id'] })).rows()) ids.add(String(row.id));
    expect(ids.has(duplicates[0].kept_id)).toBe(true);
  }, 60_000);

  it('keeps source paths out of the shareable rows', async () => {
    for await (const row of (await openDataset(corpus())).rows()) {
      const text = JSON.stringify(row);
      expect(text).not.toMatch(/\.dicom|\.dcm|\.jpe?g|\.hea|patient\d{5}|ISIC_/);
    }
  });

  it('is up to date on a re-run and byte-identical when rebuilt elsewhere', async () => {
    const again = await run('apps/ingest/src/pairs.ts', [...common, `--output=${corpus()}`]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/up to date/);
    const elsewhere = join(scratch, 'corpus-2');
    const rebuilt = await run('apps/ingest/src/pairs.ts', [...common, `--output=${elsewhere}`]);
    expect(rebuilt.status, rebuilt.stderr).toBe(0);
    expect(await treeBytes(elsewhere)).toEqual(await treeBytes(corpus()));
  }, 900_000);

  it('merges two shard builds into exactly the corpus built in one go', async () => {
    for (const index of [0, 1]) {
      const shard = await run('apps/ingest/src/pairs.ts', [...common, `--shard=${index}/2`, `--output=${join(scratch, 'shards', `s${index}`)}`]);
      expect(shard.status, shard.stderr).toBe(0);
    }
    const merged = await run('apps/ingest/src/merge.ts', [`--input=${join(scratch, 'shards')}`, `--output=${join(scratch, 'merged')}`]);
    expect(merged.status, merged.stderr).toBe(0);
    const whole = await treeBytes(corpus());
    const joined = await treeBytes(join(scratch, 'merged'));
    // .stage-input.json records what each command read (sources vs shard manifests); everything else is equal.
    whole.delete('/.stage-input.json');
    joined.delete('/.stage-input.json');
    expect([...joined.keys()].sort()).toEqual([...whole.keys()].sort());
    for (const [path, bytes] of whole) expect(joined.get(path)?.equals(bytes), path).toBe(true);
  }, 900_000);

  it('refuses an incomplete set of shards with exit 2', async () => {
    const merged = await run('apps/ingest/src/merge.ts', [`--shards=${join(scratch, 'shards', 's0')}`, `--output=${join(scratch, 'half')}`]);
    expect(merged.status).toBe(2);
    expect(merged.stderr).toMatch(/shards 1\/2 are missing/);
  }, 120_000);

  it('rejects rows whose media no stage wrote, and exits 3 with --fail-on-reject', async () => {
    const output = join(scratch, 'no-images');
    const result = await run('apps/ingest/src/pairs.ts', [`--sources=${join(raw, 'sources.json')}`, `--salt-file=${salt}`, `--media-from=${join(scratch, 'only-dicom')}`, `--output=${output}`]);
    expect(result.status).toBe(2);
    await run('apps/ingest/src/dicom.ts', [`--input=${join(raw, 'vindr-cxr')}`, '--dataset=chest_xray/vindr', `--output=${join(scratch, 'only-dicom/dicom')}`, `--salt-file=${salt}`]);
    const partial = await run('apps/ingest/src/pairs.ts', [`--sources=${join(raw, 'sources.json')}`, `--salt-file=${salt}`, `--media-from=${join(scratch, 'only-dicom')}`, `--output=${output}`, '--fail-on-reject']);
    expect(partial.status, partial.stderr).toBe(3);
    const rejects = (await readFile(join(output, 'rejects.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { code: string; dataset_key: string });
    expect(rejects.every((reject) => reject.code === 'PAIRS_MEDIA_NOT_INGESTED')).toBe(true);
    expect(rejects.some((reject) => reject.dataset_key === 'chest_xray/vindr')).toBe(false);
  }, 900_000);

  it('answers bad options with exit 2 and writes nothing', async () => {
    for (const args of [['--shard=2/2'], ['--test-ratio=0.7', '--validation-ratio=0.4'], ['--format=csv'], ['--no-such-option']]) {
      const output = join(scratch, 'bad');
      const result = await run('apps/ingest/src/pairs.ts', [...common, `--output=${output}`, ...args]);
      expect(result.status, args.join(' ')).toBe(2);
      await expect(readdir(output)).rejects.toThrow();
    }
  }, 900_000);
});
