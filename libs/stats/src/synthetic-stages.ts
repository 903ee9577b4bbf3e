// Ingest stage outputs (dicom/, images/, ecg/) and the corpus's provenance.parquet, duplicates.jsonl and
// near-duplicates.jsonl for a synthetic corpus (synthetic-corpus.ts), so the media figures can be tested
// on small tables: every corpus media path is in a stage table, and each table also holds rows the corpus
// does not use (other sizes, later ECG windows, a dataset the corpus lacks), rejects and an input record.
// The columns are the stages' own names and types (DICOM_TABLE_COLUMNS, IMAGE_TABLE_COLUMNS,
// ECG_TABLE_COLUMNS, the provenance columns), limited to what stats reads; media.spec checks them.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCatalog } from '@qoq/catalog';
import { writeParquetFile, type ColumnSpec, type DatasetRow } from '@qoq/dataset-io';
import { mulberry32 } from '@qoq/runtime';
import { syntheticCorpusRows, type SyntheticCorpusPlan } from './synthetic-corpus';

export const SYNTHETIC_STAGE_COLUMNS: Readonly<Record<'dicom' | 'images' | 'ecg' | 'stageProvenance' | 'corpusProvenance', readonly ColumnSpec[]>> = {
  dicom: [
    { name: 'media_path', type: 'string', nullable: false },
    { name: 'dataset_key', type: 'string', nullable: false },
    { name: 'dicom_modality', type: 'string', nullable: true },
    { name: 'rows', type: 'int32', nullable: false },
    { name: 'columns', type: 'int32', nullable: false },
    { name: 'pixel_spacing', type: 'list<double>', nullable: true },
    { name: 'output_width', type: 'int32', nullable: false },
    { name: 'output_height', type: 'int32', nullable: false },
  ],
  images: [
    { name: 'media_path', type: 'string', nullable: false },
    { name: 'dataset_key', type: 'string', nullable: false },
    { name: 'source_width', type: 'int32', nullable: false },
    { name: 'source_height', type: 'int32', nullable: false },
    { name: 'output_width', type: 'int32', nullable: false },
    { name: 'output_height', type: 'int32', nullable: false },
  ],
  ecg: [
    { name: 'media_path', type: 'string', nullable: false },
    { name: 'dataset_key', type: 'string', nullable: false },
    { name: 'window_index', type: 'int32', nullable: false },
    { name: 'leads', type: 'list<string>', nullable: false },
    { name: 'sampling_frequency', type: 'double', nullable: false },
    { name: 'samples', type: 'int32', nullable: false },
    { name: 'original_sampling_frequency', type: 'double', nullable: false },
    { name: 'original_samples', type: 'int32', nullable: false },
    { name: 'leads_present', type: 'list<string>', nullable: false },
  ],
  stageProvenance: [
    { name: 'dataset_key', type: 'string', nullable: false },
    { name: 'source_path', type: 'string', nullable: false },
    { name: 'source_sha256', type: 'string', nullable: false },
    { name: 'media_paths', type: 'list<string>', nullable: false },
  ],
  corpusProvenance: [
    { name: 'id', type: 'string', nullable: false },
    { name: 'dataset_key', type: 'string', nullable: false },
    { name: 'source_index', type: 'int64', nullable: false },
    { name: 'source_paths', type: 'list<string>', nullable: false },
    { name: 'source_sha256', type: 'string', nullable: false },
    { name: 'media_paths', type: 'list<string>', nullable: false },
    { name: 'content_sha256', type: 'string', nullable: false },
    { name: 'dhash', type: 'string', nullable: true },
  ],
};

const DICOM_DATASETS = new Set(['chest_xray/vindr', 'chest_xray/mimic-cxr', 'mammo/vindr', 'ct/rspect']);
const DICOM_MODALITY: Readonly<Record<string, string>> = { 'chest_xray/vindr': 'DX', 'chest_xray/mimic-cxr': 'CR', 'mammo/vindr': 'MG', 'ct/rspect': 'CT' };
const SIZES = [[512, 512], [640, 480], [1024, 768], [2048, 2500], [300, 200], [333, 333], [800, 1200]] as const;
const LEADS_12 = ['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
const MAX_PIXELS = 262_144;

function output(width: number, height: number): [number, number] {
  const scale = Math.min(1, Math.sqrt(MAX_PIXELS / (width * height)));
  return [Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale))];
}

export interface SyntheticStageCounts {
  readonly rejects: Readonly<Record<'dicom' | 'images' | 'ecg', number>>;
  readonly duplicates: number;
  readonly nearDuplicates: number;
}

/**
 * Writes `<mediaFrom>/{dicom,images,ecg}/` for the corpus of `plan` and adds provenance.parquet,
 * duplicates.jsonl and near-duplicates.jsonl to the corpus folder `corpus` (written by writeSyntheticCorpus).
 */
export async function writeSyntheticStages(mediaFrom: string, corpus: string, plan: SyntheticCorpusPlan): Promise<SyntheticStageCounts> {
  const random = mulberry32((plan.seed ?? 1) + 101);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const catalog = loadCatalog();
  const tables = { dicom: [] as DatasetRow[], images: [] as DatasetRow[], ecg: [] as DatasetRow[] };
  const provenance = { dicom: [] as DatasetRow[], images: [] as DatasetRow[], ecg: [] as DatasetRow[] };
  const corpusProvenance: DatasetRow[] = [];
  const ids: Array<{ id: string; split: string }> = [];
  const perDataset = new Map<string, number>();

  const addImage = (datasetKey: string, mediaPath: string, width: number, height: number): void => {
    const [outWidth, outHeight] = output(width, height);
    if (DICOM_DATASETS.has(datasetKey)) {
      const spacing = datasetKey === 'ct/rspect' ? [pick([0.5, 0.625, 0.78125]), 0.78125] : datasetKey === 'mammo/vindr' && random() < 0.5 ? [0.1, 0.1] : null;
      tables.dicom.push({ media_path: mediaPath, dataset_key: datasetKey, dicom_modality: random() < 0.1 ? null : DICOM_MODALITY[datasetKey], rows: height, columns: width, pixel_spacing: spacing, output_width: outWidth, output_height: outHeight });
      provenance.dicom.push({ dataset_key: datasetKey, source_path: `${mediaPath}.dcm`, source_sha256: '0'.repeat(64), media_paths: [mediaPath] });
    } else {
      tables.images.push({ media_path: mediaPath, dataset_key: datasetKey, source_width: width, source_height: height, output_width: outWidth, output_height: outHeight });
      provenance.images.push({ dataset_key: datasetKey, source_path: `${mediaPath}.jpg`, source_sha256: '0'.repeat(64), media_paths: [mediaPath] });
    }
  };
  const addEcg = (datasetKey: string, mediaPath: string): void => {
    const rate = pick([500, 500, 250, 1000, 257]);
    const seconds = pick([10, 10, 10, 8.5, 12, 30]);
    const leads = random() < 0.2 ? LEADS_12.slice(0, 8) : LEADS_12;
    const windows = Math.floor(seconds / 10) || 1;
    const record = { dataset_key: datasetKey, leads: LEADS_12, sampling_frequency: 250, samples: 2500, original_sampling_frequency: rate, original_samples: Math.round(rate * seconds), leads_present: leads };
    const paths: string[] = [];
    for (let window = 0; window < windows; window++) {
      const path = window === 0 ? mediaPath : mediaPath.replace(/\.npy$/, `_w${window}.npy`);
      paths.push(path);
      tables.ecg.push({ media_path: path, window_index: window, ...record });
    }
    provenance.ecg.push({ dataset_key: datasetKey, source_path: `${mediaPath}.hea`, source_sha256: '0'.repeat(64), media_paths: paths });
  };

  for (const row of syntheticCorpusRows(plan, catalog)) {
    const datasetKey = row.dataset_key as string;
    const media = [...((row.images as string[] | null) ?? []), ...((row['time-series'] as string[] | null) ?? [])];
    const index = perDataset.get(datasetKey) ?? 0;
    perDataset.set(datasetKey, index + 1);
    corpusProvenance.push({ id: row.id, dataset_key: datasetKey, source_index: BigInt(index), source_paths: [`src/${index}`], source_sha256: row.source_sha256, media_paths: media, content_sha256: 'c'.repeat(64), dhash: null });
    ids.push({ id: row.id as string, split: row.split as string });
    for (const path of media) {
      if (datasetKey.startsWith('ecg/')) addEcg(datasetKey, path);
      else {
        const [width, height] = pick(SIZES);
        addImage(datasetKey, path, width, height);
      }
    }
  }
  // Rows the corpus does not use: other sizes in each image dataset, and a dataset the corpus lacks.
  for (const datasetKey of perDataset.keys()) {
    if (datasetKey.startsWith('ecg/')) addEcg(datasetKey, `${datasetKey}/unused.npy`);
    else for (let i = 0; i < 3; i++) addImage(datasetKey, `${datasetKey}/unused-${i}.png`, 4000 + i, 3000 + i);
  }
  for (let i = 0; i < 4; i++) addImage('local/extra', `local/extra/x${i}.png`, 100 * (i + 1), 50 * (i + 1));

  const rejects = {
    dicom: [
      { dataset_key: 'mammo/vindr', path: 'a.dcm', code: 'DICOM_TRUNCATED', message: 'x' },
      { dataset_key: 'mammo/vindr', path: 'b.dcm', code: 'DICOM_TRUNCATED', message: 'x' },
      { dataset_key: 'ct/rspect', path: 'c.dcm', code: 'DICOM_BURNED_IN', message: 'x' },
    ],
    images: [{ dataset_key: 'derm/ham10000', path: 'd.jpg', code: 'IMAGE_CORRUPT', message: 'x' }],
    ecg: [{ dataset_key: 'ecg/ptb-xl', path: 'e.hea', code: 'ECG_TRUNCATED', message: 'x' }],
  };
  const stageTables = { dicom: 'dicom.parquet', images: 'images.parquet', ecg: 'ecg.parquet' } as const;
  for (const stage of ['dicom', 'images', 'ecg'] as const) {
    const folder = join(mediaFrom, stage);
    await mkdir(folder, { recursive: true });
    await writeParquetFile(join(folder, stageTables[stage]), tables[stage], { columns: SYNTHETIC_STAGE_COLUMNS[stage] });
    await writeParquetFile(join(folder, 'provenance.parquet'), provenance[stage], { columns: SYNTHETIC_STAGE_COLUMNS.stageProvenance });
    await writeFile(join(folder, 'rejects.jsonl'), rejects[stage].map((r) => JSON.stringify(r)).join('\n') + '\n');
    await writeFile(join(folder, '.stage-input.json'), `${JSON.stringify({ digest: 'synthetic', manifest: { stage: `ingest:${stage}`, inputs: provenance[stage].length + rejects[stage].length + 5 } })}\n`);
  }

  await writeParquetFile(join(corpus, 'provenance.parquet'), corpusProvenance, { columns: SYNTHETIC_STAGE_COLUMNS.corpusProvenance });
  const duplicates = ids.slice(0, 3).map(({ id }, i) => ({ content_sha256: `${i}`.repeat(64), dataset_key: corpusProvenance[i].dataset_key, dropped_id: `dropped-${i}`, kept_id: id, kept_dataset_key: corpusProvenance[i].dataset_key }));
  await writeFile(join(corpus, 'duplicates.jsonl'), duplicates.map((d) => JSON.stringify(d)).join('\n') + '\n');
  const near: string[] = [];
  for (let i = 0; i + 7 < ids.length && near.length < 40; i += 5) {
    near.push(JSON.stringify({ a_id: ids[i].id, b_id: ids[i + 7].id, distance: i % 9, a_split: ids[i].split, b_split: ids[i + 7].split }));
  }
  await writeFile(join(corpus, 'near-duplicates.jsonl'), near.join('\n') + '\n');
  return { rejects: { dicom: rejects.dicom.length, images: rejects.images.length, ecg: rejects.ecg.length }, duplicates: duplicates.length, nearDuplicates: near.length };
}
