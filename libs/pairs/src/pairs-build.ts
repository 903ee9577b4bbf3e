// The corpus build: two passes over every dataset's adapter stream. Pass 1 registers patients (keys,
// label strata, official splits) so that splits can be assigned; pass 2 turns the samples of this
// shard's patients into rows, reusing the ingest stages' media, dropping exact duplicates and writing
// the rows in (dataset, source order) — an order that does not depend on sharding, so shards merge back
// into exactly the corpus a single build writes.
import { createHash } from 'node:crypto';
import { writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AdapterError, readDataset, type SourceSample } from '@qoq/adapters';
import type { Catalog, LayoutId, Split } from '@qoq/catalog';
import { patientKey } from '@qoq/deid';
import { RejectLog, saltedName, type Progress, type Salt, type SourceEntry } from '@qoq/runtime';
import type { CorpusWriter } from './corpus-writer';
import { placeMediaFile } from './corpus-writer';
import { DuplicateLog } from './duplicate-log';
import { differenceHash, mediaContentHash, unionMaskPng } from './media-content';
import { buildPairRow } from './pair-row';
import type { PairsStageOptions, ShardSelection } from './pairs-options';
import { SplitPlanner } from './split-assignment';
import { StageMediaIndex, type IngestStageFolders, type IngestedMedia } from './stage-media-index';

export interface BuildRequest {
  readonly catalog: Catalog;
  /** Sorted by dataset key by the caller. */
  readonly sources: readonly SourceEntry[];
  readonly salt: Salt;
  readonly stageFolders: IngestStageFolders;
  readonly options: PairsStageOptions;
  readonly writer: CorpusWriter;
  /** The corpus work folder (media/ is written under it). */
  readonly directory: string;
  readonly progress?: Progress;
}

export interface SplitDescription {
  readonly namespace: string;
  readonly datasets: readonly string[];
  readonly patients: number;
  readonly source: string;
  readonly method: string;
}

export interface BuildResult {
  readonly rejects: RejectLog;
  /** Spilled to `<directory>/.duplicates/` as it grows; CorpusWriter.finish writes and removes it. */
  readonly duplicates: DuplicateLog;
  readonly samples: number;
  readonly skippedOtherShards: number;
  readonly splits: readonly SplitDescription[];
}

/** Which of N patient-disjoint partitions a patient belongs to (unsalted, like the split). */
export function shardOfPatient(namespace: string, rawPatientKey: string, count: number): number {
  return createHash('sha256').update(`shard\u0000${namespace}\u0000${rawPatientKey}`).digest().readUInt32BE(0) % count;
}

export function namespaceOf(entry: SourceEntry): string {
  return entry.patientNamespace ?? entry.datasetKey;
}

/** One dataset's adapter stream; AdapterError (the whole dataset unreadable) becomes a reject. */
async function* samplesOf(request: BuildRequest, entry: SourceEntry, rejects: RejectLog | null): AsyncGenerator<SourceSample> {
  try {
    for await (const item of readDataset({
      catalog: request.catalog,
      datasetKey: entry.datasetKey,
      root: entry.folder,
      layout: entry.layout as LayoutId | undefined,
      options: request.options.adapter,
    })) {
      if (item.kind === 'sample') yield item.sample;
      else rejects?.add({ dataset_key: entry.datasetKey, path: item.reject.path, code: item.reject.code, message: item.reject.message });
    }
  } catch (error) {
    if (!(error instanceof AdapterError)) throw error;
    rejects?.add({ dataset_key: entry.datasetKey, path: error.path, code: error.code, message: error.message });
  }
}

/** Media keys of a sample: the identity of its row id (source paths, never written anywhere shareable). */
function sampleIdentity(sample: SourceSample): string {
  return `${sample.datasetKey}\u0000${sample.media.join('\u0000')}`;
}

/** Bounded cache of per-file fingerprints: a media file referenced by many rows is read once. */
class FingerprintCache<T> {
  private readonly entries = new Map<string, Promise<T>>();
  constructor(private readonly limit: number) {}
  get(key: string, compute: () => Promise<T>): Promise<T> {
    let found = this.entries.get(key);
    if (found === undefined) {
      if (this.entries.size >= this.limit) this.entries.clear();
      found = compute();
      this.entries.set(key, found);
    }
    return found;
  }
}

export async function buildPairs(request: BuildRequest): Promise<BuildResult> {
  const { catalog, salt, options } = request;
  const rejects = new RejectLog();
  const shard: ShardSelection | null = options.shard;
  // Adapter-level rejects concern no patient: shard 0 reports them, so the merged shards list each once.
  const reportsUnowned = shard === null || shard.index === 0;
  const unknown = request.sources.filter((entry) => !catalog.hasDataset(entry.datasetKey));
  for (const entry of unknown) {
    if (reportsUnowned) {
      rejects.add({ dataset_key: entry.datasetKey, path: '', code: 'PAIRS_UNKNOWN_DATASET', message: `${entry.datasetKey} is not in the catalog (data-specs/datasets/): no prompt or label set, so no pairs` });
    }
  }
  const sources = request.sources.filter((entry) => catalog.hasDataset(entry.datasetKey));

  // Pass 1: patients per namespace.
  const planners = new Map<string, SplitPlanner>();
  const namespaceDatasets = new Map<string, string[]>();
  for (const entry of sources) {
    const namespace = namespaceOf(entry);
    let planner = planners.get(namespace);
    if (planner === undefined) {
      planner = new SplitPlanner(namespace, options.ratios, options.splitMethod);
      planners.set(namespace, planner);
      namespaceDatasets.set(namespace, []);
    }
    namespaceDatasets.get(namespace)?.push(entry.datasetKey);
    for await (const sample of samplesOf(request, entry, reportsUnowned ? rejects : null)) {
      planner.addRow(sample.patientKey, catalog.inCatalogOrder(sample.datasetKey, sample.labels), sample.officialSplit);
    }
  }
  for (const planner of planners.values()) planner.assign();

  // Pass 2: rows.
  const duplicates = new DuplicateLog(join(request.directory, '.duplicates'));
  const keptByContent = new Map<string, { id: string; datasetKey: string }>();
  // Rows sharing a media file are adjacent or near (abnormalities of one image): a small cache suffices,
  // and its entries die young (a large one would fill the old generation with garbage at 2.6 M rows).
  const contentCache = new FingerprintCache<string>(4_096);
  const dhashCache = new FingerprintCache<string>(200_000);
  let samples = 0;
  let skippedOtherShards = 0;
  const stageDatasets = await StageMediaIndex.datasetsPerStage(request.stageFolders);
  const madeFolders = new Set<string>();
  for (const entry of sources) {
    const namespace = namespaceOf(entry);
    const planner = planners.get(namespace) as SplitPlanner;
    const index = await StageMediaIndex.load(request.stageFolders, entry.datasetKey, stageDatasets);
    let sourceIndex = -1;
    let previousIdentity = '';
    let occurrence = 0;
    let lastPatient: string | null = null;
    let lastPatientKey = '';
    for await (const sample of samplesOf(request, entry, null)) {
      sourceIndex += 1;
      samples += 1;
      request.progress?.tick();
      // Samples sharing their media (CBIS-DDSM abnormalities of one image) are adjacent: adapters sort by media path.
      const identity = sampleIdentity(sample);
      occurrence = identity === previousIdentity ? occurrence + 1 : 0;
      previousIdentity = identity;
      if (shard !== null && shardOfPatient(namespace, sample.patientKey, shard.count) !== shard.index) {
        skippedOtherShards += 1;
        continue;
      }
      const media: IngestedMedia[] = [];
      let missing: string | null = null;
      for (const path of sample.media) {
        const found = index.lookup(path);
        if (found === undefined || found.mediaPaths.length === 0) {
          missing = path;
          break;
        }
        media.push(found);
      }
      if (missing !== null) {
        const stageReject = index.rejectOf(missing);
        rejects.add({
          dataset_key: entry.datasetKey,
          path: missing,
          code: 'PAIRS_MEDIA_NOT_INGESTED',
          message: stageReject
            ? `the ingest stage rejected it (${stageReject.code}: ${stageReject.message})`
            : 'no ingest stage wrote media for it (run ingest:dicom, ingest:images and ingest:ecg on the same sources first)',
        });
        continue;
      }
      const id = saltedName(salt, `pair\u0000${identity}\u0000${occurrence}`);
      const split: Split = planner.splitOf(sample.patientKey);
      const hasMask = sample.masks.length > 0 && media[0].outputWidth !== null && media[0].outputHeight !== null;
      const segmentationPath = hasMask
        ? `${dirname(media[0].mediaPaths[0])}/${saltedName(salt, `mask\u0000${entry.datasetKey}\u0000${sample.masks.join('\u0000')}`)}.png`
        : null;
      // Consecutive samples mostly share their patient (the slices of a study): its HMAC is computed once.
      if (sample.patientKey !== lastPatient) {
        lastPatient = sample.patientKey;
        lastPatientKey = patientKey(salt, `${namespace}\u0000${sample.patientKey}`);
      }
      const row = buildPairRow(catalog, { sample, media, id, patientKey: lastPatientKey, split, segmentationPath });
      const rowMedia = [...row.images, ...(row['time-series'] ?? [])];
      const stageFolderOf = new Map<string, string>();
      for (const item of media) for (const path of item.mediaPaths) stageFolderOf.set(path, item.stageFolder);
      const files = rowMedia.map((path) => join(stageFolderOf.get(path) ?? '', 'media', path));
      const contentHash = files.length === 1 ? await contentCache.get(files[0], () => mediaContentHash(files)) : await mediaContentHash(files);
      // 64 bits of the hash key the map (collision odds ~1e-7 at 2.6 M rows) to keep it small.
      const contentKey = contentHash.slice(0, 16);
      const kept = keptByContent.get(contentKey);
      if (kept !== undefined) {
        await duplicates.add({ content_sha256: contentHash, dataset_key: entry.datasetKey, dropped_id: id, kept_id: kept.id, kept_dataset_key: kept.datasetKey });
        continue;
      }
      if (segmentationPath !== null) {
        // Written only for rows that are kept, so a deduplicated build holds no orphan mask.
        try {
          const png = await unionMaskPng(sample.masks.map((mask) => join(entry.folder, mask)), media[0].outputWidth ?? 0, media[0].outputHeight ?? 0);
          await mkdir(join(request.directory, 'media', dirname(segmentationPath)), { recursive: true });
          await writeFile(join(request.directory, 'media', segmentationPath), png);
        } catch (error) {
          rejects.add({ dataset_key: entry.datasetKey, path: sample.masks[0], code: 'PAIRS_MASK_UNREADABLE', message: `mask cannot be decoded: ${error instanceof Error ? error.message : String(error)}` });
          continue;
        }
      }
      keptByContent.set(contentKey, { id, datasetKey: entry.datasetKey });
      for (const [path, file] of rowMedia.map((path, at) => [path, files[at]] as const)) await placeMediaFile(file, join(request.directory, 'media', path), madeFolders);
      const dhash = row.images.length > 0 ? await dhashCache.get(files[0], () => differenceHash(files[0])) : null;
      await request.writer.add(row, {
        id,
        dataset_key: entry.datasetKey,
        source_index: sourceIndex,
        source_paths: [...sample.media],
        source_sha256: row.source_sha256,
        media_paths: rowMedia,
        content_sha256: contentHash,
        dhash,
      });
    }
  }
  const splits: SplitDescription[] = [...planners.values()].map((planner) => ({ ...planner.describe(), datasets: namespaceDatasets.get(planner.namespace) ?? [] }));
  return { rejects, duplicates, samples, skippedOtherShards, splits };
}
