// Where the normalized media of a source file are: the ingest stages (dicom, images, ecg) each write
// provenance.parquet (source path → media paths, source SHA-256) and a table with the output sizes.
// The pairs stage reuses those media instead of decoding anything again (design.md "Defaults").
// One dataset is loaded at a time, so memory follows the largest dataset, not the corpus; and it is held
// compactly (RSPECT has 1.79 M slices): per source a few bytes of record (SHA-256, media paths), an id
// into the distinct size tuples, and its path only as hashes (see hashesOf).
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readParquetRows, type CellValue, type DatasetRow } from '@qoq/dataset-io';

export type IngestStageName = 'dicom' | 'images' | 'ecg';

/** The output folder of each ingest stage the pairs stage reads (missing folders are allowed). */
export type IngestStageFolders = Readonly<Partial<Record<IngestStageName, string>>>;

export interface IngestedMedia {
  readonly stage: IngestStageName;
  /** The stage's output folder (its media/ holds the files). */
  readonly stageFolder: string;
  /** Paths relative to the stage's media/, ordered by frame (DICOM) or window (ECG) index. */
  readonly mediaPaths: readonly string[];
  readonly sourceSha256: string;
  /** Size of the source image (what adapter boxes are in) and of the written PNG; null for ECG. */
  readonly sourceWidth: number | null;
  readonly sourceHeight: number | null;
  readonly outputWidth: number | null;
  readonly outputHeight: number | null;
  /** EXIF orientation (1–8) the images stage applied; 1 for DICOM and ECG. */
  readonly exifOrientation: number;
}

export interface StageReject {
  readonly code: string;
  readonly message: string;
}

interface MediaSize {
  sourceWidth: number | null;
  sourceHeight: number | null;
  outputWidth: number | null;
  outputHeight: number | null;
  exifOrientation: number;
  index: number;
}

const STAGES = ['dicom', 'images', 'ecg'] as const;
/** Columns the index reads (the others of the stage tables are not decoded). */
const TABLE_COLUMNS: Record<IngestStageName, readonly string[]> = {
  dicom: ['media_path', 'dataset_key', 'columns', 'rows', 'output_width', 'output_height', 'frame_index'],
  images: ['media_path', 'dataset_key', 'source_width', 'source_height', 'output_width', 'output_height', 'exif_orientation'],
  ecg: ['media_path', 'dataset_key', 'window_index'],
};
const PROVENANCE_COLUMNS = ['dataset_key', 'source_path', 'source_sha256', 'media_paths'];

const TABLE_OF: Record<IngestStageName, string> = { dicom: 'dicom.parquet', images: 'images.parquet', ecg: 'ecg.parquet' };

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

function numberOrNull(value: CellValue | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

function text(value: CellValue | undefined): string {
  return typeof value === 'string' ? value : '';
}

/** The sizes of one table row: DICOM columns × rows, images source_width × source_height. */
function sizeOfRow(stage: IngestStageName, row: DatasetRow): MediaSize {
  if (stage === 'dicom') {
    return {
      sourceWidth: numberOrNull(row.columns),
      sourceHeight: numberOrNull(row.rows),
      outputWidth: numberOrNull(row.output_width),
      outputHeight: numberOrNull(row.output_height),
      exifOrientation: 1,
      index: numberOrNull(row.frame_index) ?? 0,
    };
  }
  if (stage === 'images') {
    return {
      sourceWidth: numberOrNull(row.source_width),
      sourceHeight: numberOrNull(row.source_height),
      outputWidth: numberOrNull(row.output_width),
      outputHeight: numberOrNull(row.output_height),
      exifOrientation: numberOrNull(row.exif_orientation) ?? 1,
      index: 0,
    };
  }
  return { sourceWidth: null, sourceHeight: null, outputWidth: null, outputHeight: null, exifOrientation: 1, index: numberOrNull(row.window_index) ?? 0 };
}

/**
 * Rows of a table with only `columns` decoded; a table written without one of them (an older stage) is
 * read whole, which gives the same rows (absent cells read as undefined either way).
 */
async function* tableRows(path: string, columns: readonly string[]): AsyncGenerator<DatasetRow> {
  let rows: AsyncGenerator<DatasetRow> = readParquetRows(path, { columns });
  let first: IteratorResult<DatasetRow>;
  try {
    first = await rows.next();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    rows = readParquetRows(path);
    first = await rows.next();
  }
  if (first.done) return;
  yield first.value;
  yield* rows;
}

/**
 * Two independent hashes of a string's code units: 52 bits (a Map key that costs no string) and 32 more
 * bits checked on lookup. Like the 64-bit content keys of the dedup map, they stand for the string: at
 * 1.8 M paths the odds that two paths share all 84 bits are about 1e-13.
 */
function hashesOf(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ text.length;
  let c = 0x2545f491;
  for (let at = 0; at < text.length; at += 1) {
    const unit = text.charCodeAt(at);
    a = Math.imul(a ^ unit, 0x01000193);
    b = Math.imul(b ^ unit, 0x5bd1e995);
    b ^= b >>> 15;
    c = Math.imul(c + unit, 0x27d4eb2d);
    c ^= c >>> 13;
  }
  return [(a >>> 0) * 0x100000 + (b >>> 12), (c ^ (b << 20)) >>> 0];
}

/** A growable typed array (doubling; one array per column of a few bytes per entry). */
class Column<T extends Float64Array | Uint32Array> {
  private values: T;
  constructor(private readonly make: (length: number) => T) {
    this.values = make(1024);
  }
  get(at: number): number {
    return this.values[at];
  }
  set(at: number, value: number): void {
    if (at >= this.values.length) {
      const grown = this.make(Math.max(at + 1, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[at] = value;
  }
}

const float64 = (length: number): Float64Array => new Float64Array(length);
const uint32 = (length: number): Uint32Array => new Uint32Array(length);

/** Distinct value tuples (sizes, orientation, stage, frame index) by id: most sources of a dataset share one. */
class Shapes<T> {
  private readonly ids = new Map<string, number>();
  readonly values: T[] = [];
  idOf(value: T): number {
    const key = JSON.stringify(value);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(value);
    }
    return id;
  }
}

/**
 * Entries 0, 1, 2, … keyed by strings (by their hashes): a string set again points to its new entry. An
 * open-addressing table in typed arrays, so that 1.8 M keys cost 12 bytes each outside the JavaScript heap
 * (a Map would hold them in it, and the heap's growth, garbage included, would follow).
 */
class HashedEntries {
  private keys = new Float64Array(1024);
  private values = new Uint32Array(1024);
  private filled = 0;
  private readonly seconds = new Column(uint32);
  /** Strings whose 52-bit hash another string already has: kept apart, by both hashes. */
  private readonly shared = new Map<string, number>();

  /** The slot of `key` (stored + 1, so 0 marks an empty slot), or the empty slot where it would go. */
  private slotOf(key: number): number {
    const mask = this.keys.length - 1;
    let slot = (key % 0x40000000) & mask;
    while (this.keys[slot] !== 0 && this.keys[slot] !== key + 1) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Uint32Array(values.length * 2);
    for (let at = 0; at < keys.length; at += 1) {
      if (keys[at] === 0) continue;
      const slot = this.slotOf(keys[at] - 1);
      this.keys[slot] = keys[at];
      this.values[slot] = values[at];
    }
  }

  add(text: string, entry: number): void {
    const [key, second] = hashesOf(text);
    this.seconds.set(entry, second);
    const slot = this.slotOf(key);
    if (this.keys[slot] === 0) {
      this.keys[slot] = key + 1;
      this.values[slot] = entry;
      this.filled += 1;
      if (this.filled * 2 > this.keys.length) this.grow();
    } else if (this.seconds.get(this.values[slot]) === second) {
      this.values[slot] = entry;
    } else {
      this.shared.set(`${key}:${second}`, entry);
    }
  }

  get(text: string): number | undefined {
    const [key, second] = hashesOf(text);
    const slot = this.slotOf(key);
    if (this.keys[slot] === 0) return undefined;
    const known = this.values[slot];
    return this.seconds.get(known) === second ? known : this.shared.get(`${key}:${second}`);
  }

  get size(): number {
    return this.filled + this.shared.size;
  }
}

/** The sizes of a stage table's rows by media path (while one dataset's index is built). */
class MediaSizes {
  private readonly shapes = new Shapes<MediaSize>();
  private readonly shapeOf = new Column(uint32);
  private readonly byPath = new HashedEntries();
  private count = 0;
  set(path: string, size: MediaSize): void {
    const entry = this.count;
    this.count += 1;
    this.shapeOf.set(entry, this.shapes.idOf(size));
    this.byPath.add(path, entry);
  }
  get(path: string): MediaSize | undefined {
    const entry = this.byPath.get(path);
    return entry === undefined ? undefined : this.shapes.values[this.shapeOf.get(entry)];
  }
}

/** Bytes appended in chunks (no doubling, no copy): a record never spans two chunks. */
class ByteStore {
  private static readonly CHUNK = 1 << 22;
  private readonly chunks: Buffer[] = [];
  private used = ByteStore.CHUNK;
  /** Appends `bytes`; returns the position (chunk × 2^32 + offset). */
  append(bytes: Buffer): number {
    if (this.used + bytes.length > ByteStore.CHUNK || this.chunks.length === 0) {
      this.chunks.push(Buffer.allocUnsafe(Math.max(ByteStore.CHUNK, bytes.length)));
      this.used = 0;
    }
    const chunk = this.chunks.length - 1;
    bytes.copy(this.chunks[chunk], this.used);
    const position = chunk * 2 ** 32 + this.used;
    this.used += bytes.length;
    return position;
  }
  slice(position: number, length: number): Buffer {
    const chunk = Math.floor(position / 2 ** 32);
    const offset = position - chunk * 2 ** 32;
    return this.chunks[chunk].subarray(offset, offset + length);
  }
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * One dataset's sources → media, compactly (RSPECT: 1.79 M slices): per source a record in a byte store
 * (its SHA-256 as 32 bytes when it is lowercase hex, its media paths as UTF-8), its sizes as an id in a
 * table of distinct size tuples, and its path only as hashes.
 */
class CompactMediaTable {
  private readonly bytes = new ByteStore();
  private readonly positions = new Column(float64);
  /** Record length × 2 + 1 when the SHA-256 is stored as 32 raw bytes. */
  private readonly lengths = new Column(uint32);
  private readonly shapeOf = new Column(uint32);
  private readonly shapes = new Shapes<{ stage: IngestStageName; sourceWidth: number | null; sourceHeight: number | null; outputWidth: number | null; outputHeight: number | null; exifOrientation: number }>();
  private readonly bySource = new HashedEntries();
  private count = 0;

  constructor(private readonly stageFolders: IngestStageFolders) {}

  get size(): number {
    return this.bySource.size;
  }

  /** Adds (or, for a source path already present, replaces) an entry. */
  set(sourcePath: string, media: Omit<IngestedMedia, 'stageFolder'>): void {
    const raw = HEX_SHA256.test(media.sourceSha256);
    const text = Buffer.from(`${raw ? '' : `${media.sourceSha256}\u0000`}${media.mediaPaths.join('\u0000')}`, 'utf8');
    const record = raw ? Buffer.concat([Buffer.from(media.sourceSha256, 'hex'), text]) : text;
    const entry = this.count;
    this.count += 1;
    this.positions.set(entry, this.bytes.append(record));
    this.lengths.set(entry, record.length * 2 + (raw ? 1 : 0));
    const { stage, sourceWidth, sourceHeight, outputWidth, outputHeight, exifOrientation } = media;
    this.shapeOf.set(entry, this.shapes.idOf({ stage, sourceWidth, sourceHeight, outputWidth, outputHeight, exifOrientation }));
    this.bySource.add(sourcePath, entry);
  }

  get(sourcePath: string): IngestedMedia | undefined {
    const entry = this.bySource.get(sourcePath);
    if (entry === undefined) return undefined;
    const length = this.lengths.get(entry);
    const record = this.bytes.slice(this.positions.get(entry), length >>> 1);
    let sourceSha256: string;
    let mediaPaths: string[];
    if ((length & 1) === 1) {
      sourceSha256 = record.toString('hex', 0, 32);
      mediaPaths = record.toString('utf8', 32).split('\u0000');
    } else {
      [sourceSha256, ...mediaPaths] = record.toString('utf8').split('\u0000');
    }
    const shape = this.shapes.values[this.shapeOf.get(entry)];
    return {
      stage: shape.stage,
      stageFolder: this.stageFolders[shape.stage] as string,
      mediaPaths,
      sourceSha256,
      sourceWidth: shape.sourceWidth,
      sourceHeight: shape.sourceHeight,
      outputWidth: shape.outputWidth,
      outputHeight: shape.outputHeight,
      exifOrientation: shape.exifOrientation,
    };
  }
}

/** The datasets each stage's provenance.parquet holds (read once per build, so a dataset's index skips the other stages). */
export type StageDatasets = ReadonlyMap<IngestStageName, ReadonlySet<string>>;

/** The media of one dataset across the ingest stages, by source path relative to the dataset folder. */
export class StageMediaIndex {
  private constructor(
    private readonly bySource: CompactMediaTable,
    private readonly rejects: ReadonlyMap<string, StageReject>,
  ) {}

  /** Which datasets each stage folder holds media of (from the dataset_key column of its provenance). */
  static async datasetsPerStage(folders: IngestStageFolders): Promise<StageDatasets> {
    const found = new Map<IngestStageName, Set<string>>();
    for (const stage of STAGES) {
      const folder = folders[stage];
      const keys = new Set<string>();
      found.set(stage, keys);
      if (folder === undefined || !(await exists(join(folder, 'provenance.parquet')))) continue;
      for await (const row of tableRows(join(folder, 'provenance.parquet'), ['dataset_key'])) keys.add(text(row.dataset_key));
    }
    return found;
  }

  /** `present` (datasetsPerStage) lets stages without the dataset go unread; without it every stage is read. */
  static async load(folders: IngestStageFolders, datasetKey: string, present?: StageDatasets): Promise<StageMediaIndex> {
    const bySource = new CompactMediaTable(folders);
    const rejects = new Map<string, StageReject>();
    for (const stage of STAGES) {
      const folder = folders[stage];
      if (folder === undefined || !(await exists(join(folder, 'provenance.parquet')))) continue;
      const rejectText = await readFile(join(folder, 'rejects.jsonl'), 'utf8').catch(() => '');
      for (const line of rejectText.split('\n')) {
        if (line.trim() === '') continue;
        const reject = JSON.parse(line) as { dataset_key?: string; path?: string; code?: string; message?: string };
        if (reject.dataset_key === datasetKey && typeof reject.path === 'string') {
          rejects.set(reject.path, { code: reject.code ?? 'UNKNOWN', message: reject.message ?? '' });
        }
      }
      if (present !== undefined && !(present.get(stage)?.has(datasetKey) ?? false)) continue;
      const sizes = new MediaSizes();
      if (await exists(join(folder, TABLE_OF[stage]))) {
        for await (const row of tableRows(join(folder, TABLE_OF[stage]), TABLE_COLUMNS[stage])) {
          if (row.dataset_key !== datasetKey) continue;
          sizes.set(text(row.media_path), sizeOfRow(stage, row));
        }
      }
      for await (const row of tableRows(join(folder, 'provenance.parquet'), PROVENANCE_COLUMNS)) {
        if (row.dataset_key !== datasetKey) continue;
        const mediaPaths = Array.isArray(row.media_paths) ? row.media_paths.filter((path): path is string => typeof path === 'string') : [];
        if (mediaPaths.length === 0) continue;
        const ordered = mediaPaths.length === 1 ? mediaPaths : [...mediaPaths].sort((a, b) => (sizes.get(a)?.index ?? 0) - (sizes.get(b)?.index ?? 0) || (a < b ? -1 : 1));
        const first = sizes.get(ordered[0]);
        bySource.set(text(row.source_path), {
          stage,
          mediaPaths: ordered,
          sourceSha256: text(row.source_sha256),
          sourceWidth: first?.sourceWidth ?? null,
          sourceHeight: first?.sourceHeight ?? null,
          outputWidth: first?.outputWidth ?? null,
          outputHeight: first?.outputHeight ?? null,
          exifOrientation: first?.exifOrientation ?? 1,
        });
      }
    }
    return new StageMediaIndex(bySource, rejects);
  }

  /** The media made from a source file; WFDB records are looked up by their header (`<record>.hea`). */
  lookup(sourcePath: string): IngestedMedia | undefined {
    return this.bySource.get(sourcePath) ?? this.bySource.get(`${sourcePath}.hea`);
  }

  /** Why an ingest stage rejected a source file, if it did. */
  rejectOf(sourcePath: string): StageReject | undefined {
    return this.rejects.get(sourcePath) ?? this.rejects.get(`${sourcePath}.hea`);
  }

  get size(): number {
    return this.bySource.size;
  }
}
