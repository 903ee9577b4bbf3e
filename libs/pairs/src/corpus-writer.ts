// Writes a corpus folder (design.md "The corpus"): pairs/part-*.parquet, provenance.parquet, media/,
// manifest.json, README.md, rejects.jsonl, duplicates.jsonl, near-duplicates.jsonl. Rows arrive in
// their final order; the same rows give the same bytes, whether built in one go or merged from shards.
import { link, copyFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { INSTRUCTION_PAIR_COLUMNS, INSTRUCTION_PAIR_SCHEMA_VERSION, type InstructionPair, type Split } from '@qoq/catalog';
import { datasetCard, ParquetShardWriter, writeManifest, type ColumnSpec, type DatasetManifest, type JsonValue } from '@qoq/dataset-io';
import type { Reject } from '@qoq/runtime';
import { DuplicateLog } from './duplicate-log';
import { DIFFERENCE_HASH_BITS, hammingDistance } from './media-content';

/** The data owner's side of a row: where it came from (never part of the shareable pairs). */
export interface ProvenanceRow {
  id: string;
  dataset_key: string;
  /** Position of the source sample in its dataset's adapter order: the corpus row order (with the dataset). */
  source_index: number;
  source_paths: string[];
  source_sha256: string;
  media_paths: string[];
  /** Decoded-content hash of the row's media (deduplication key). */
  content_sha256: string;
  /** 256-bit difference hash of images[0] (hex), null for ECG rows. */
  dhash: string | null;
}

export const PROVENANCE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', type: 'string', nullable: false },
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'source_index', type: 'int64', nullable: false },
  { name: 'source_paths', type: 'list<string>', nullable: false },
  { name: 'source_sha256', type: 'string', nullable: false },
  { name: 'media_paths', type: 'list<string>', nullable: false },
  { name: 'content_sha256', type: 'string', nullable: false },
  { name: 'dhash', type: 'string', nullable: true },
];

export const PAIR_COLUMNS: readonly ColumnSpec[] = INSTRUCTION_PAIR_COLUMNS.map(({ name, type, nullable }) => ({ name, type, nullable }));

/** A dropped exact duplicate: the row it would have been, and the row kept in its place. */
export interface DuplicateRecord {
  content_sha256: string;
  dataset_key: string;
  dropped_id: string;
  kept_id: string;
  kept_dataset_key: string;
}

export interface NearDuplicateRecord {
  a_id: string;
  b_id: string;
  distance: number;
  a_split: Split;
  b_split: Split;
}

export interface CorpusSummary {
  readonly rows: number;
  readonly manifest: DatasetManifest;
  readonly nearDuplicates: number;
  readonly crossSplitNearDuplicates: number;
}

/** Hard link when the stage output is on the same file system (no bytes copied), else a copy. */
export async function placeMediaFile(from: string, to: string, madeFolders?: Set<string>): Promise<void> {
  // `madeFolders`: folders already created by this caller (a build places thousands of files in a few folders).
  const folder = dirname(to);
  if (madeFolders === undefined || !madeFolders.has(folder)) {
    await mkdir(folder, { recursive: true });
    madeFolders?.add(folder);
  }
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code === 'EXDEV' || code === 'EPERM' || code === 'ENOTSUP') await copyFile(from, to);
    else throw error;
  }
}

const SPLIT_CODE: Record<Split, number> = { train: 0, validation: 1, test: 2 };
const SPLIT_OF_CODE: Split[] = ['train', 'validation', 'test'];

/**
 * Near-duplicate image pairs by dHash: the bits are cut into (distance + 1) bands; two hashes within
 * `distance` bits agree on at least one band (pigeonhole), so only rows sharing a band value are compared.
 * Pairs of one patient (slices of a series, views of a study) are expected and not reported.
 */
export function findNearDuplicates(
  ids: readonly string[],
  hashes: readonly bigint[],
  splits: Uint8Array,
  patients: readonly string[],
  distance: number,
): NearDuplicateRecord[] {
  const bits = DIFFERENCE_HASH_BITS;
  const bands = Math.min(distance + 1, bits);
  const width = Math.ceil(bits / bands);
  const seen = new Set<string>();
  const found: NearDuplicateRecord[] = [];
  for (let band = 0; band < bands; band += 1) {
    const shift = BigInt(band * width);
    const mask = (1n << BigInt(Math.max(0, Math.min(width, bits - band * width)))) - 1n;
    const buckets = new Map<bigint, number[]>();
    hashes.forEach((hash, index) => {
      const key = (hash >> shift) & mask;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(index);
      else buckets.set(key, [index]);
    });
    for (const bucket of buckets.values()) {
      if (bucket.length < 2) continue;
      for (let i = 0; i < bucket.length; i += 1) {
        for (let j = i + 1; j < bucket.length; j += 1) {
          const a = bucket[i];
          const b = bucket[j];
          if (patients[a] === patients[b]) continue;
          const pair = `${a},${b}`;
          if (seen.has(pair)) continue;
          const d = hammingDistance(hashes[a], hashes[b]);
          if (d > distance) continue;
          seen.add(pair);
          found.push({ a_id: ids[a], b_id: ids[b], distance: d, a_split: SPLIT_OF_CODE[splits[a]], b_split: SPLIT_OF_CODE[splits[b]] });
        }
      }
    }
  }
  return found.sort((x, y) => (x.a_id < y.a_id ? -1 : x.a_id > y.a_id ? 1 : x.b_id < y.b_id ? -1 : x.b_id > y.b_id ? 1 : 0));
}

export interface CorpusWriterOptions {
  readonly directory: string;
  readonly rowsPerShard: number;
}

/** Receives rows in final order and writes the corpus folder's files. */
export class CorpusWriter {
  private readonly pairs: ParquetShardWriter;
  private readonly provenance: ParquetShardWriter;
  private rowCount = 0;
  private readonly imageIds: string[] = [];
  private readonly imageHashes: bigint[] = [];
  private readonly imagePatients: string[] = [];
  private imageSplits = new Uint8Array(1024);

  constructor(private readonly options: CorpusWriterOptions) {
    this.pairs = new ParquetShardWriter({ directory: join(options.directory, 'pairs'), columns: PAIR_COLUMNS, rowsPerShard: options.rowsPerShard });
    this.provenance = new ParquetShardWriter({ directory: options.directory, columns: PROVENANCE_COLUMNS, rowsPerShard: Number.MAX_SAFE_INTEGER, shardStem: '.provenance' });
  }

  static async create(options: CorpusWriterOptions): Promise<CorpusWriter> {
    await mkdir(join(options.directory, 'pairs'), { recursive: true });
    await mkdir(join(options.directory, 'media'), { recursive: true });
    return new CorpusWriter(options);
  }

  get rows(): number {
    return this.rowCount;
  }

  async add(row: InstructionPair, provenance: ProvenanceRow): Promise<void> {
    await this.pairs.append(row);
    await this.provenance.append(provenance);
    if (provenance.dhash !== null) {
      if (this.imageIds.length === this.imageSplits.length) {
        const grown = new Uint8Array(this.imageSplits.length * 2);
        grown.set(this.imageSplits);
        this.imageSplits = grown;
      }
      this.imageSplits[this.imageIds.length] = SPLIT_CODE[row.split];
      this.imageIds.push(row.id);
      this.imagePatients.push(row.patient_key);
      this.imageHashes.push(BigInt(`0x${provenance.dhash}`));
    }
    this.rowCount += 1;
  }

  async abort(): Promise<void> {
    await this.pairs.abort();
    await this.provenance.abort();
  }

  /** Closes the tables and writes manifest, card and reports. */
  async finish(input: {
    options: { [key: string]: JsonValue };
    codeVersion: string;
    rejects: readonly Reject[];
    /** A DuplicateLog (spilled to disk; large builds) or the records themselves. */
    duplicates: DuplicateLog | readonly DuplicateRecord[];
    nearDuplicateDistance: number;
    description: string;
  }): Promise<CorpusSummary> {
    const shards = await this.pairs.close();
    const provenanceShards = await this.provenance.close();
    await rename(join(this.options.directory, provenanceShards[0].name), join(this.options.directory, 'provenance.parquet'));
    const nearDuplicates = findNearDuplicates(this.imageIds, this.imageHashes, this.imageSplits, this.imagePatients, input.nearDuplicateDistance);
    const jsonLines = (records: readonly object[]) => records.map((record) => `${JSON.stringify(record)}\n`).join('');
    await writeFile(join(this.options.directory, 'rejects.jsonl'), jsonLines(input.rejects));
    // Sorted, so that the order does not depend on how the build was partitioned (ingest:merge).
    if (input.duplicates instanceof DuplicateLog) {
      await input.duplicates.writeSorted(join(this.options.directory, 'duplicates.jsonl'));
    } else {
      const duplicates = [...input.duplicates].sort((a, b) => (a.dropped_id < b.dropped_id ? -1 : a.dropped_id > b.dropped_id ? 1 : 0));
      await writeFile(join(this.options.directory, 'duplicates.jsonl'), jsonLines(duplicates));
    }
    await writeFile(join(this.options.directory, 'near-duplicates.jsonl'), jsonLines(nearDuplicates));
    const manifest = await writeManifest(this.options.directory, {
      schemaVersion: String(INSTRUCTION_PAIR_SCHEMA_VERSION),
      codeVersion: input.codeVersion,
      options: input.options,
      columns: PAIR_COLUMNS,
      shards: shards.map((shard) => ({ path: `pairs/${shard.name}`, rows: shard.rows, bytes: shard.bytes, sha256: shard.sha256 })),
    });
    await writeFile(
      join(this.options.directory, 'README.md'),
      datasetCard(manifest, {
        prettyName: 'QoQ Forge instruction corpus',
        license: 'other',
        licenseNotes: 'Each source dataset keeps its own licence and data-use agreement (see data-specs/datasets/*.json).',
        taskCategories: ['visual-question-answering', 'image-classification', 'object-detection'],
        language: ['en'],
        tags: ['medical', 'qoq-med', 'drpo'],
        description: input.description,
      }),
    );
    const crossSplit = nearDuplicates.filter((pair) => pair.a_split !== pair.b_split).length;
    return { rows: this.rowCount, manifest, nearDuplicates: nearDuplicates.length, crossSplitNearDuplicates: crossSplit };
  }
}
