// The verl RL-dataset export (design.md "Exports": export/verl/*.parquet), one file per split, in the
// layout verl's RLHFDataset reads: data_source, prompt (chat messages), images, ability,
// reward_model {style: 'rule', ground_truth}, extra_info {split, index, …}. These columns are structs
// and lists of structs, which our flat shard writer does not encode; parquet-wasm (Rust `parquet`)
// does, from Arrow record batches — streamed (transformParquetStream), 10,000 rows a batch, so that an
// export never holds a split in memory. parquet-rs writes a constant created_by and no timestamps.
// Arrow and parquet-wasm are loaded on first use: the compiled wasm costs ~50 MB of RSS that no other
// user of this library should pay.
import type * as Arrow from 'apache-arrow';
import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type * as ParquetWasm from 'parquet-wasm';
import { fsyncFile } from './atomic-write';
import type { DatasetRow, RowInput } from './column-spec';
import { datasetIoFailure } from './dataset-io-error';
import type { MediaPathHook } from './qoq-med-jsonl';
import { QOQ_MED_SPLITS, type QoqMedSplit } from './qoq-med-jsonl';

interface Libraries {
  arrow: typeof Arrow;
  parquetWasm: typeof ParquetWasm;
  schema: Arrow.Schema;
}

async function loadLibraries(): Promise<Libraries> {
  const [arrow, parquetWasm] = await Promise.all([import('apache-arrow'), import('parquet-wasm')]);
  const utf8 = () => new arrow.Utf8();
  const field = (name: string, type: Arrow.DataType, nullable = false) => new arrow.Field(name, type, nullable);
  const schema = new arrow.Schema([
    field('data_source', utf8()),
    field('prompt', new arrow.List(field('item', new arrow.Struct([field('role', utf8()), field('content', utf8())])))),
    field('images', new arrow.List(field('item', utf8()))),
    field('ability', utf8()),
    field('reward_model', new arrow.Struct([field('style', utf8()), field('ground_truth', utf8())])),
    field(
      'extra_info',
      new arrow.Struct([
        field('split', utf8()),
        field('index', new arrow.Int64()),
        field('id', utf8()),
        field('dataset_key', utf8()),
        field('domain', utf8()),
        field('bbox', new arrow.List(field('item', new arrow.Float64())), true),
        field('time_series', new arrow.List(field('item', utf8())), true),
      ]),
    ),
  ]);
  return { arrow, parquetWasm, schema };
}

export interface VerlRow {
  data_source: string;
  prompt: { role: 'user'; content: string }[];
  images: string[];
  ability: string;
  reward_model: { style: 'rule'; ground_truth: string };
  extra_info: { split: string; index: bigint; id: string; dataset_key: string; domain: string; bbox: number[] | null; time_series: string[] | null };
}

/** A corpus row as verl reads it; `index` is the row's position within its split. */
export async function toVerlRow(input: RowInput, index: number, mediaPath?: MediaPathHook): Promise<VerlRow> {
  const row = input as DatasetRow;
  const text = (name: string): string => {
    const value = row[name];
    if (typeof value !== 'string') throw datasetIoFailure('EXPORT_RECORD_INVALID', `${name} must be a string`, String(row.id ?? 'row'));
    return value;
  };
  const images = (row.images as string[] | null) ?? [];
  const timeSeries = row['time-series'] as string[] | null | undefined;
  const mapped = async (paths: string[], role: 'image' | 'time-series') => (mediaPath ? Promise.all(paths.map((p) => mediaPath(p, role))) : paths);
  return {
    data_source: text('dataset_key'),
    prompt: [{ role: 'user', content: text('problem') }],
    images: await mapped(images, 'image'),
    ability: text('domain'),
    reward_model: { style: 'rule', ground_truth: text('answer') },
    extra_info: {
      split: text('split'),
      index: BigInt(index),
      id: text('id'),
      dataset_key: text('dataset_key'),
      domain: text('domain'),
      bbox: (row.bbox as number[] | null | undefined) ?? null,
      time_series: timeSeries ? await mapped(timeSeries, 'time-series') : null,
    },
  };
}

const BATCH_ROWS = 10_000;

class VerlSplitFile {
  private builders: Arrow.Builder[];
  private pending = 0;
  private controller!: ReadableStreamDefaultController<ParquetWasm.RecordBatch>;
  private readonly input = new ReadableStream<ParquetWasm.RecordBatch>({ start: (c) => void (this.controller = c) }, { highWaterMark: 2 });
  private pump: Promise<void> | null = null;
  readonly hash = createHash('sha256');
  rows = 0;

  private freshBuilders() {
    const { arrow, schema } = this.libraries;
    return schema.fields.map((f) => arrow.makeBuilder({ type: f.type, nullValues: [null, undefined] }));
  }

  constructor(
    readonly split: QoqMedSplit,
    readonly temporary: string,
    private readonly libraries: Libraries,
    private readonly properties: () => ParquetWasm.WriterProperties,
  ) {
    this.builders = this.freshBuilders();
  }

  /** Starts the Parquet stream with the first batch (transformParquetStream reads it for the schema). */
  private start(): void {
    const output = this.libraries.parquetWasm.transformParquetStream(this.input, this.properties());
    this.pump = (async () => {
      const file = await open(this.temporary, 'w');
      try {
        for await (const chunk of (await output) as unknown as AsyncIterable<Uint8Array>) {
          this.hash.update(chunk);
          await file.write(chunk);
        }
      } finally {
        await file.close();
      }
    })();
  }

  async append(row: VerlRow): Promise<void> {
    this.libraries.schema.fields.forEach((f, i) => this.builders[i].append(row[f.name as keyof VerlRow] as never));
    this.rows++;
    if (++this.pending >= BATCH_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pending === 0) return;
    const columns: Record<string, Arrow.Vector> = {};
    this.libraries.schema.fields.forEach((f, i) => (columns[f.name] = this.builders[i].finish().toVector()));
    this.builders = this.freshBuilders();
    this.pending = 0;
    const wasmTable = this.wasmTable(columns);
    for (const batch of wasmTable.recordBatches()) this.controller.enqueue(batch);
    if (!this.pump) this.start();
    // Back-pressure: let the Parquet writer drain its input before building more batches.
    while ((this.controller.desiredSize ?? 1) <= 0) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  private wasmTable(columns: Record<string, Arrow.Vector>): ParquetWasm.Table {
    const { arrow, parquetWasm, schema } = this.libraries;
    return parquetWasm.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(schema, columns), 'stream'));
  }

  async finish(): Promise<void> {
    await this.flush();
    this.controller.close();
    if (this.pump) return this.pump;
    // A split without rows: a stream has no batch to take the schema from, so write the empty table whole.
    const { arrow, parquetWasm, schema } = this.libraries;
    const empty = parquetWasm.Table.fromIPCStream(arrow.tableToIPC(new arrow.Table(schema), 'stream'));
    const bytes = parquetWasm.writeParquet(empty, this.properties());
    this.hash.update(bytes);
    await writeFile(this.temporary, bytes);
  }
}

export interface VerlExportFile {
  split: QoqMedSplit;
  name: string;
  rows: number;
  sha256: string;
}

/** Writes `<exportDir>/{train,validation,test}.parquet`; each file appears only when complete. */
export async function writeVerlParquet(
  rows: Iterable<RowInput> | AsyncIterable<RowInput>,
  exportDir: string,
  options: { mediaPath?: MediaPathHook } = {},
): Promise<VerlExportFile[]> {
  await mkdir(exportDir, { recursive: true });
  const libraries = await loadLibraries();
  const { parquetWasm } = libraries;
  const properties = () =>
    new parquetWasm.WriterPropertiesBuilder().setCompression(parquetWasm.Compression.ZSTD).setMaxRowGroupSize(BATCH_ROWS).build();
  const files = QOQ_MED_SPLITS.map((split) => new VerlSplitFile(split, join(exportDir, `.${split}.parquet.partial`), libraries, properties));
  const bySplit = new Map<string, VerlSplitFile>(files.map((f) => [f.split, f]));
  try {
    for await (const input of rows) {
      const row = input as DatasetRow;
      const file = bySplit.get(row.split as string);
      if (!file) throw datasetIoFailure('EXPORT_RECORD_INVALID', `split must be one of ${QOQ_MED_SPLITS.join(', ')}`, String(row.id ?? 'row'));
      await file.append(await toVerlRow(row, file.rows, options.mediaPath));
    }
    for (const file of files) {
      await file.finish();
      await fsyncFile(file.temporary);
      await rename(file.temporary, join(exportDir, `${file.split}.parquet`));
    }
  } catch (error) {
    for (const file of files) await rm(file.temporary, { force: true });
    throw error;
  }
  return files.map((f) => ({ split: f.split, name: `${f.split}.parquet`, rows: f.rows, sha256: f.hash.digest('hex') }));
}
