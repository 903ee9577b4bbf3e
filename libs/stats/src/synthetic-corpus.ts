// A corpus folder as ingest:pairs writes it (design.md "The corpus": pairs/part-*.parquet, manifest.json,
// rejects.jsonl), with rows that pass the catalog's validateInstructionPair and counts the caller
// controls — for the stats tests and the 2.61 M-row benchmark while ingest:pairs has not landed.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { INSTRUCTION_PAIR_COLUMNS, INSTRUCTION_PAIR_SCHEMA_VERSION, loadCatalog, type Catalog, type DatasetSpec } from '@qoq/catalog';
import { writeFolderAtomically, writeManifest, writeParquetShards, type ColumnSpec, type DatasetManifest, type DatasetRow } from '@qoq/dataset-io';
import { mulberry32 } from '@qoq/runtime';

export interface SyntheticCorpusPlan {
  /** Rows per dataset_key, in the order given. */
  readonly rows: Readonly<Record<string, number>>;
  readonly seed?: number;
  readonly rowsPerShard?: number;
  readonly rowsPerGroup?: number;
}

/**
 * The split of the i-th row of a dataset: 7 of 10 train, 1 validation, 2 test — fixed, so tests know
 * the counts without reading the data.
 */
export function syntheticSplitOf(index: number): 'train' | 'validation' | 'test' {
  const slot = index % 10;
  return slot < 7 ? 'train' : slot === 7 ? 'validation' : 'test';
}


const HEX = '0123456789abcdef';
function hex(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += HEX[(random() * 16) | 0];
  return text;
}

interface PreparedDataset {
  readonly spec: DatasetSpec;
  readonly problem: string;
  /** Skewed class weights (label i has weight 1 / (i + 1)²), so rarity and imbalance have something to show. */
  readonly cumulative: Float64Array;
}

function prepare(catalog: Catalog, datasetKey: string): PreparedDataset {
  const spec = catalog.dataset(datasetKey);
  const problem = catalog.renderPrompt(datasetKey, spec.media_kind === 'ecg' ? {} : { imageCount: 1 });
  const weights = spec.label_set.map((_, index) => 1 / (index + 1) ** 2);
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((weight, index) => {
    sum += weight / total;
    cumulative[index] = sum;
  });
  return { spec, problem, cumulative };
}

function drawLabel(prepared: PreparedDataset, random: () => number): number {
  const u = random();
  const index = prepared.cumulative.findIndex((edge) => u < edge);
  return index === -1 ? prepared.cumulative.length - 1 : index;
}

/** Rows of the plan, dataset after dataset; deterministic for a seed. */
export function* syntheticCorpusRows(plan: SyntheticCorpusPlan, catalog: Catalog = loadCatalog()): Generator<DatasetRow> {
  const random = mulberry32(plan.seed ?? 1);
  for (const [datasetKey, count] of Object.entries(plan.rows)) {
    const prepared = prepare(catalog, datasetKey);
    const { spec } = prepared;
    const multiLabel = spec.task_type === 'multi-label' || spec.task_type === 'detection';
    for (let index = 0; index < count; index++) {
      const picked = new Set<number>([drawLabel(prepared, random)]);
      // Multi-label datasets: every third row carries a second (and sometimes a third) finding.
      if (multiLabel && spec.label_set.length > 2 && index % 3 === 0) {
        picked.add(drawLabel(prepared, random));
        if (index % 9 === 0) picked.add((index / 9) % spec.label_set.length);
      }
      const labels = [...picked].sort((a, b) => a - b).map((i) => spec.label_set[i]);
      const name = hex(random, 24);
      const isEcg = spec.media_kind === 'ecg';
      const localized = spec.localization !== 'none';
      const hasBox = !isEcg && (localized ? index % 2 === 0 : index % 7 === 0);
      const x = (random() * 200) | 0;
      const y = (random() * 200) | 0;
      yield {
        problem: prepared.problem,
        answer: labels.join(', '),
        images: isEcg ? [] : [`${datasetKey}/${name}.png`],
        'time-series': isEcg ? [`${datasetKey}/${name}.npy`] : null,
        dataset: spec.dataset,
        bbox: hasBox ? [x, y, x + 64.5, y + 80.25] : null,
        segmentation_path: spec.localization === 'mask' && index % 4 === 0 ? `${datasetKey}/${name}_mask.png` : null,
        id: `p-${name.slice(0, 16)}`,
        dataset_key: datasetKey,
        domain: spec.domain,
        modality: spec.modality,
        split: syntheticSplitOf(index),
        patient_key: `k-${hex(random, 12)}`,
        labels,
        label_set: spec.label_set,
        source_sha256: hex(random, 64),
        schema_version: INSTRUCTION_PAIR_SCHEMA_VERSION,
      };
    }
  }
}

/** The corpus columns as @qoq/dataset-io's writer takes them. */
export const CORPUS_COLUMNS: readonly ColumnSpec[] = INSTRUCTION_PAIR_COLUMNS.map(({ name, type, nullable }) => ({ name, type, nullable }));

/**
 * Writes a corpus folder (pairs/, manifest.json, an empty rejects.jsonl) atomically at `folder`.
 * `rows` replaces the plan's rows (for tests that need a hand-made bad row).
 */
export async function writeSyntheticCorpus(
  folder: string,
  plan: SyntheticCorpusPlan,
  rows?: Iterable<DatasetRow>,
): Promise<DatasetManifest> {
  return writeFolderAtomically(folder, async (tmp) => {
    await mkdir(join(tmp, 'pairs'));
    const shards = await writeParquetShards(rows ?? syntheticCorpusRows(plan), {
      directory: join(tmp, 'pairs'),
      columns: CORPUS_COLUMNS,
      rowsPerShard: plan.rowsPerShard ?? 500_000,
      rowsPerGroup: plan.rowsPerGroup ?? 10_000,
    });
    await writeFile(join(tmp, 'rejects.jsonl'), '');
    return writeManifest(tmp, {
      schemaVersion: String(INSTRUCTION_PAIR_SCHEMA_VERSION),
      codeVersion: 'synthetic',
      options: { seed: plan.seed ?? 1 },
      columns: CORPUS_COLUMNS,
      shards: shards.map((shard) => ({ path: `pairs/${shard.name}`, rows: shard.rows, bytes: shard.bytes, sha256: shard.sha256 })),
    });
  });
}
