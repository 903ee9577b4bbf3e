// The ingest stages' outputs that ingest:pairs reads (--media-from=DIR with dicom/, images/, ecg/; see
// libs/pairs/src/stage-media-index.ts), SYNTHESIZED: running ingest:dicom / ingest:images / ingest:ecg
// over 2.61 M source files is their own benchmarks' business. Each stage folder gets provenance.parquet
// and its table (the stages' own column lists and @qoq/dataset-io writer), an empty rejects.jsonl and
// media/: one file per source, named like a stage names it (an HMAC-like hex name per source), each a
// hard link to a pool of small normalized media — 64 × 64 grey PNGs written with sharp, [8, 2500]
// float32 .npy for ECG — so equal pool members are exact duplicates, as the issue's set-up has it.
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ColumnSpec, RowInput } from '@qoq/dataset-io';
import { writeParquetFile } from '@qoq/dataset-io';
import { ECG_PROVENANCE_COLUMNS, ECG_TABLE_COLUMNS, encodeNpy } from '@qoq/ecg';
import { DICOM_PROVENANCE_COLUMNS, DICOM_TABLE_COLUMNS, IMAGE_PROVENANCE_COLUMNS, IMAGE_TABLE_COLUMNS } from '@qoq/imaging';
import sharp from 'sharp';
import { mulberry32 } from '@qoq/runtime';
import type { SourceRecord, StageName } from './generate-raw';

const TABLES: Record<StageName, { table: string; tableColumns: readonly ColumnSpec[]; provenanceColumns: readonly ColumnSpec[] }> = {
  dicom: { table: 'dicom.parquet', tableColumns: DICOM_TABLE_COLUMNS, provenanceColumns: DICOM_PROVENANCE_COLUMNS },
  images: { table: 'images.parquet', tableColumns: IMAGE_TABLE_COLUMNS, provenanceColumns: IMAGE_PROVENANCE_COLUMNS },
  ecg: { table: 'ecg.parquet', tableColumns: ECG_TABLE_COLUMNS, provenanceColumns: ECG_PROVENANCE_COLUMNS },
};

/** A row of `columns`: `values` where given, else a neutral value of the column's type (null where allowed). */
function rowOf(columns: readonly ColumnSpec[], values: Record<string, unknown>): RowInput {
  const row: Record<string, unknown> = {};
  for (const column of columns) {
    if (column.name in values) row[column.name] = values[column.name];
    else if (column.nullable) row[column.name] = null;
    else if (column.type.startsWith('list<')) row[column.name] = [];
    else row[column.name] = column.type === 'string' ? '' : column.type === 'bool' ? false : 0;
  }
  return row;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What each stage's table says of a source beyond the output size (64 × 64 grey). */
function tableValues(stage: StageName, datasetKey: string): Record<string, unknown> {
  if (stage === 'dicom') {
    const mammo = datasetKey.startsWith('mammo/');
    return {
      transfer_syntax_uid: '1.2.840.10008.1.2.1', rows: mammo ? 3518 : 512, columns: mammo ? 2800 : 512, frames: 1, photometric_interpretation: 'MONOCHROME2',
      samples_per_pixel: 1, bits_allocated: 16, bits_stored: 12, modality_lut: 'rescale', window_source: 'preset', output_width: 64, output_height: 64, output_channels: 1,
      date_mode: 'shift', patient_identity_removed: 'YES', deidentification_method: 'PS3.15 Basic Profile',
    };
  }
  if (stage === 'images') {
    return { source_format: 'png', source_width: 512, source_height: 512, exif_orientation: 1, source_colour_space: 'srgb', channels: 1, bit_depth: 8, source_pages: 1, output_width: 64, output_height: 64, output_channels: 1 };
  }
  return {
    window_index: 0, window_start_seconds: 0, leads: ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'], sampling_frequency: 250, samples: 2500, amplitude: 'mV', source_format: 'wfdb-16',
    original_sampling_frequency: 500, original_samples: 5000, leads_present: ['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'], units: ['mV'], checksum_status: 'ok', initial_value_status: 'ok', resampling: 'polyphase',
  };
}

export interface StageOutputs {
  readonly mediaFrom: string;
  readonly imagePool: number;
  readonly ecgPool: number;
}

/** Writes `<root>/stages/{dicom,images,ecg}` for `sources`; `poolSize` PNGs, a tenth as many ECG .npy. */
export async function generateStageOutputs(root: string, sources: readonly SourceRecord[], poolSize: number): Promise<StageOutputs> {
  const random = mulberry32(7);
  const pngPool: string[] = [];
  for (let i = 0; i < poolSize; i += 1) {
    // 16 × 16 random grey, resized to 64 × 64: small PNGs (~2 KB) whose difference hashes are far apart.
    const small = Buffer.alloc(16 * 16);
    for (let p = 0; p < small.length; p += 1) small[p] = Math.floor(random() * 256);
    const file = join(root, 'pool', 'png', `p${String(i).padStart(5, '0')}.png`);
    mkdirSync(dirname(file), { recursive: true });
    await sharp(small, { raw: { width: 16, height: 16, channels: 1 } }).resize(64, 64, { kernel: 'cubic' }).png({ compressionLevel: 6, adaptiveFiltering: false }).toFile(file);
    pngPool.push(file);
  }
  const ecgPoolSize = Math.max(1, Math.round(poolSize / 10));
  const npyPool: string[] = [];
  for (let i = 0; i < ecgPoolSize; i += 1) {
    const values = new Float32Array(8 * 2500);
    for (let p = 0; p < values.length; p += 1) values[p] = Math.sin((p % 2500) / (20 + (i % 50))) * (1 + (p / 2500) * 0.1) + i * 1e-3;
    const file = join(root, 'pool', 'npy', `e${String(i).padStart(5, '0')}.npy`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, encodeNpy(values, [8, 2500]));
    npyPool.push(file);
  }

  const mediaFrom = join(root, 'stages');
  const counters: Record<StageName, number> = { dicom: 0, images: 0, ecg: 0 };
  const madeDirs = new Set<string>();
  // Media per source, named as a stage names them: <modality>/<dataset>/<hex>.png|.npy.
  const mediaOf = (source: SourceRecord): string => `${source.datasetKey}/${sha256(`${source.datasetKey}\u0000${source.sourcePath}`).slice(0, 32)}${source.stage === 'ecg' ? '.npy' : '.png'}`;
  for (const source of sources) {
    const media = join(mediaFrom, source.stage, 'media', mediaOf(source));
    const folder = dirname(media);
    if (!madeDirs.has(folder)) {
      mkdirSync(folder, { recursive: true });
      madeDirs.add(folder);
    }
    // Images and DICOM share the PNG pool: one reference counter over both, so links stay even.
    const pool = source.stage === 'ecg' ? npyPool : pngPool;
    const counter = source.stage === 'ecg' ? 'ecg' : 'images';
    linkSync(pool[counters[counter] % pool.length], media);
    counters[counter] += 1;
  }
  for (const stage of ['dicom', 'images', 'ecg'] as const) {
    const folder = join(mediaFrom, stage);
    mkdirSync(folder, { recursive: true });
    const { table, tableColumns, provenanceColumns } = TABLES[stage];
    const ofStage = function* () {
      for (const source of sources) if (source.stage === stage) yield source;
    };
    await writeParquetFile(
      join(folder, table),
      (function* () {
        for (const source of ofStage()) {
          yield rowOf(tableColumns, { ...tableValues(stage, source.datasetKey), media_path: mediaOf(source), dataset_key: source.datasetKey, source_sha256: sha256(`${source.datasetKey}/${source.sourcePath}`), patient_key: '' });
        }
      })(),
      { columns: tableColumns },
    );
    await writeParquetFile(
      join(folder, 'provenance.parquet'),
      (function* () {
        for (const source of ofStage()) {
          // The SHA-256 of the source's identity stands in for that of its bytes (the raw files are pool links).
          yield rowOf(provenanceColumns, { dataset_key: source.datasetKey, source_path: source.sourcePath, source_sha256: sha256(`${source.datasetKey}/${source.sourcePath}`), media_paths: [mediaOf(source)], source_files: [source.sourcePath], patient_key: '' });
        }
      })(),
      { columns: provenanceColumns },
    );
    writeFileSync(join(folder, 'rejects.jsonl'), '');
  }
  return { mediaFrom, imagePool: pngPool.length, ecgPool: npyPool.length };
}
