// manifest.json of a dataset folder (design.md "The corpus"): shard names, row counts, SHA-256 per
// shard, schema version, options, code version. A reader trusts a folder only if its shards are exactly
// the ones the manifest lists, with the listed bytes and row counts.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { canonicalJson, type JsonValue } from './canonical-json';
import type { ColumnSpec } from './column-spec';
import { datasetIoFailure } from './dataset-io-error';
import { writeFileAtomically } from './atomic-write';
import { readParquetMetadata } from './parquet-reader';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_VERSION = 1;

export interface ManifestShard {
  /** Path relative to the dataset folder, `/`-separated (`pairs/part-00000.parquet`). */
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
  /** Set when a shard holds one split only (the dataset card then lists data_files per split). */
  split?: string;
}

export interface DatasetManifest {
  manifestVersion: typeof MANIFEST_VERSION;
  /** The record schema's version (data-specs/instruction-pair.schema.json, via libs/catalog). */
  schemaVersion: string;
  /** The version of the code that wrote the folder (resume logic compares it). */
  codeVersion: string;
  /** The options of the run that wrote the folder (no timestamps, no absolute paths). */
  options: { [key: string]: JsonValue };
  columns: readonly ColumnSpec[];
  shards: ManifestShard[];
  totalRows: number;
}

export type ManifestInput = Omit<DatasetManifest, 'manifestVersion' | 'totalRows'>;

export function buildManifest(input: ManifestInput): DatasetManifest {
  const totalRows = input.shards.reduce((sum, shard) => sum + shard.rows, 0);
  return { manifestVersion: MANIFEST_VERSION, ...input, totalRows };
}

/** Writes `<folder>/manifest.json` atomically, keys sorted, two-space indent, final newline. */
export async function writeManifest(folder: string, input: ManifestInput): Promise<DatasetManifest> {
  const manifest = buildManifest(input);
  await writeFileAtomically(join(folder, MANIFEST_FILE), `${canonicalJson(manifest)}\n`);
  return manifest;
}

function isShard(value: unknown): value is ManifestShard {
  const shard = value as ManifestShard;
  return (
    typeof shard === 'object' && shard !== null &&
    typeof shard.path === 'string' && !shard.path.startsWith('/') && !shard.path.split('/').includes('..') &&
    Number.isInteger(shard.rows) && Number.isInteger(shard.bytes) && /^[0-9a-f]{64}$/.test(shard.sha256) &&
    (shard.split === undefined || typeof shard.split === 'string')
  );
}

/** Reads and checks the shape of `<folder>/manifest.json` (not the shards: see verifyDataset). */
export async function readManifest(folder: string): Promise<DatasetManifest> {
  const path = join(folder, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw datasetIoFailure('MANIFEST_MISSING', 'the folder has no manifest.json: it is incomplete or not a dataset', path);
  }
  let manifest: DatasetManifest;
  try {
    manifest = JSON.parse(text) as DatasetManifest;
  } catch (error) {
    throw datasetIoFailure('MANIFEST_INVALID', `manifest.json is not JSON: ${(error as Error).message}`, path);
  }
  const problems: string[] = [];
  if (manifest.manifestVersion !== MANIFEST_VERSION) problems.push(`manifestVersion must be ${MANIFEST_VERSION}`);
  if (typeof manifest.schemaVersion !== 'string') problems.push('schemaVersion must be a string');
  if (typeof manifest.codeVersion !== 'string') problems.push('codeVersion must be a string');
  if (!Array.isArray(manifest.columns)) problems.push('columns must be a list');
  if (!Array.isArray(manifest.shards) || !manifest.shards.every(isShard)) problems.push('shards must be a list of {path, rows, bytes, sha256}');
  else if (manifest.totalRows !== manifest.shards.reduce((sum, shard) => sum + shard.rows, 0)) problems.push('totalRows is not the sum of the shard rows');
  if (problems.length > 0) throw datasetIoFailure('MANIFEST_INVALID', problems.join('; '), path);
  return manifest;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface VerifyOptions {
  /** Re-hash every shard (default true). false checks presence, size and footer row counts only. */
  hashes?: boolean;
}

/**
 * Checks that the folder's shards are exactly the manifest's: every listed shard present with its size,
 * row count (from the Parquet footer) and SHA-256; no unlisted `.parquet` file beside them.
 * Throws a DatasetIoFailure naming the offending file; returns the manifest.
 */
export async function verifyDataset(folder: string, options: VerifyOptions = {}): Promise<DatasetManifest> {
  const manifest = await readManifest(folder);
  const listed = new Set(manifest.shards.map((shard) => shard.path));
  for (const shard of manifest.shards) {
    const path = join(folder, shard.path);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      throw datasetIoFailure('SHARD_MISSING', `the manifest lists ${shard.path}, which is not there`, path);
    }
    if (size !== shard.bytes) {
      throw datasetIoFailure('SHARD_HASH_MISMATCH', `${shard.path} has ${size} bytes, the manifest says ${shard.bytes}`, path);
    }
    let rows: number;
    try {
      rows = Number((await readParquetMetadata(path)).num_rows);
    } catch (error) {
      throw datasetIoFailure('SHARD_HASH_MISMATCH', `${shard.path} is not a readable Parquet file: ${(error as Error).message}`, path);
    }
    if (rows !== shard.rows) {
      throw datasetIoFailure('SHARD_ROW_COUNT_MISMATCH', `${shard.path} holds ${rows} rows, the manifest says ${shard.rows}`, path);
    }
    if (options.hashes !== false) {
      const sha256 = await sha256OfFile(path);
      if (sha256 !== shard.sha256) {
        throw datasetIoFailure('SHARD_HASH_MISMATCH', `${shard.path} has SHA-256 ${sha256}, the manifest says ${shard.sha256}`, path);
      }
    }
  }
  const shardFolders = new Set(manifest.shards.map((shard) => dirname(shard.path)));
  for (const shardFolder of shardFolders) {
    for (const name of (await readdir(join(folder, shardFolder))).sort()) {
      const relative = shardFolder === '.' ? name : `${shardFolder}/${name}`;
      // Only shard-like names: provenance.parquet and the like may sit beside the shards.
      if (/-\d{5}\.parquet$/.test(name) && !listed.has(relative)) {
        throw datasetIoFailure('SHARD_UNLISTED', `${relative} is not in the manifest (a left-over or a foreign file)`, join(folder, relative));
      }
    }
  }
  return manifest;
}
