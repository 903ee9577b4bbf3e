// The exact duplicates of a build, kept on disk: with many copies of few media (2.6 M rows over 10,000
// files) nearly every row is a duplicate, and millions of records in memory would cost gigabytes. Records
// are buffered, spilled in sorted runs to a folder of the work directory and k-way merged into
// duplicates.jsonl: the same bytes as sorting them all in memory (by dropped_id, ties in arrival order).
import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { DuplicateRecord } from './corpus-writer';

/** Records held in memory before a sorted run is written. */
const DEFAULT_RUN_RECORDS = 100_000;

interface Entry {
  readonly key: string;
  readonly line: string;
}

/** Buffered writer of text to one file handle. */
class TextSink {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly handle: FileHandle) {}
  async write(text: string): Promise<void> {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    await this.handle.write(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/** Bytes of buffered records: when reached, a sorted run is written. */
const RUN_BYTES = 32 << 20;

/** A string's UTF-16 code units, big-endian: their byte order is the code-unit order of `<` on strings. */
function codeUnitBytes(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

export class DuplicateLog {
  /**
   * Records not yet spilled, as bytes outside the JavaScript heap (millions of small objects kept for a
   * while would be promoted to the old generation and make the heap, garbage and all, grow): per record
   * its key in code-unit bytes, then its JSON line in UTF-8.
   */
  private bytes = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private starts: number[] = [];
  private keyLengths: number[] = [];
  private lineLengths: number[] = [];
  private readonly runs: string[] = [];
  private total = 0;

  /** `folder`: where sorted runs are spilled (created on the first spill, removed by writeSorted / discard). */
  constructor(
    private readonly folder: string,
    private readonly runRecords = DEFAULT_RUN_RECORDS,
  ) {}

  get count(): number {
    return this.total;
  }

  async add(record: DuplicateRecord): Promise<void> {
    const key = codeUnitBytes(record.dropped_id);
    const line = `${JSON.stringify(record)}\n`;
    const lineLength = Buffer.byteLength(line);
    if (this.used + key.length + lineLength > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + key.length + lineLength));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.starts.push(this.used);
    key.copy(this.bytes, this.used);
    this.used += key.length;
    this.bytes.write(line, this.used);
    this.used += lineLength;
    this.keyLengths.push(key.length);
    this.lineLengths.push(lineLength);
    this.total += 1;
    if (this.starts.length >= this.runRecords || this.used >= RUN_BYTES) await this.spill();
  }

  /** The buffered records in order (stable: equal keys keep their arrival order). */
  private *sortedBuffer(): Generator<Entry> {
    const { bytes, starts, keyLengths, lineLengths } = this;
    const order = Array.from(starts.keys()).sort((a, b) => bytes.compare(bytes, starts[b], starts[b] + keyLengths[b], starts[a], starts[a] + keyLengths[a]) || a - b);
    for (const at of order) {
      const keyEnd = starts[at] + keyLengths[at];
      yield { key: Buffer.from(bytes.subarray(starts[at], keyEnd)).swap16().toString('utf16le'), line: bytes.toString('utf8', keyEnd, keyEnd + lineLengths[at]) };
    }
  }

  private clearBuffer(): void {
    this.used = 0;
    this.starts = [];
    this.keyLengths = [];
    this.lineLengths = [];
    if (this.bytes.length > RUN_BYTES * 2) this.bytes = Buffer.allocUnsafe(1 << 20);
  }

  private async spill(): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const path = join(this.folder, `run-${String(this.runs.length).padStart(6, '0')}.txt`);
    const handle = await open(path, 'w');
    try {
      // One entry per line: the key as JSON (no raw newline or tab), a tab, the record's JSON line.
      const sink = new TextSink(handle);
      for (const entry of this.sortedBuffer()) await sink.write(`${JSON.stringify(entry.key)}\t${entry.line}`);
      await sink.flush();
    } finally {
      await handle.close();
    }
    this.runs.push(path);
    this.clearBuffer();
  }

  /** Writes every record to `path` as JSON lines sorted by dropped_id (stable), then removes the runs. */
  async writeSorted(path: string): Promise<void> {
    const handle = await open(path, 'w');
    try {
      const sink = new TextSink(handle);
      if (this.runs.length === 0) {
        for (const entry of this.sortedBuffer()) await sink.write(entry.line);
      } else {
        const sources: (AsyncIterator<Entry> | Iterator<Entry>)[] = this.runs.map((run) => readRun(run));
        sources.push(this.sortedBuffer());
        // A binary heap of the runs' heads by (key, run): on equal keys the earlier run wins (records arrive
        // in run order), so the merge is stable.
        const heap: { entry: Entry; run: number }[] = [];
        const before = (a: { entry: Entry; run: number }, b: { entry: Entry; run: number }): boolean => a.entry.key < b.entry.key || (a.entry.key === b.entry.key && a.run < b.run);
        const push = (item: { entry: Entry; run: number }): void => {
          let at = heap.push(item) - 1;
          while (at > 0) {
            const parent = (at - 1) >> 1;
            if (!before(heap[at], heap[parent])) break;
            [heap[at], heap[parent]] = [heap[parent], heap[at]];
            at = parent;
          }
        };
        const pop = (): { entry: Entry; run: number } => {
          const top = heap[0];
          const last = heap.pop() as { entry: Entry; run: number };
          if (heap.length > 0) {
            heap[0] = last;
            let at = 0;
            for (;;) {
              const left = at * 2 + 1;
              const right = left + 1;
              let smallest = at;
              if (left < heap.length && before(heap[left], heap[smallest])) smallest = left;
              if (right < heap.length && before(heap[right], heap[smallest])) smallest = right;
              if (smallest === at) break;
              [heap[at], heap[smallest]] = [heap[smallest], heap[at]];
              at = smallest;
            }
          }
          return top;
        };
        for (let run = 0; run < sources.length; run += 1) {
          const entry = await nextOf(sources[run]);
          if (entry !== null) push({ entry, run });
        }
        while (heap.length > 0) {
          const { entry, run } = pop();
          await sink.write(entry.line);
          const next = await nextOf(sources[run]);
          if (next !== null) push({ entry: next, run });
        }
      }
      await sink.flush();
    } finally {
      await handle.close();
    }
    await this.discard();
  }

  /** Drops the records and removes the spilled runs. */
  async discard(): Promise<void> {
    this.clearBuffer();
    this.runs.length = 0;
    await rm(this.folder, { recursive: true, force: true });
  }
}

async function nextOf(source: AsyncIterator<Entry> | Iterator<Entry>): Promise<Entry | null> {
  const next = await source.next();
  return next.done ? null : next.value;
}

/**
 * The lines of a text file (without their '\n'), read a chunk at a time as they are consumed: unlike
 * readline's iterator, which reads ahead without bound, at most one chunk per open file is held.
 */
export async function* readLines(path: string, chunkBytes = 1 << 18): AsyncGenerator<string> {
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      const lines = (rest + decoder.write(chunk.subarray(0, bytesRead))).split('\n');
      rest = lines.pop() ?? '';
      yield* lines;
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } finally {
    await handle.close();
  }
}

async function* readRun(path: string): AsyncGenerator<Entry> {
  for await (const line of readLines(path)) {
    if (line === '') continue;
    const tab = line.indexOf('\t');
    yield { key: JSON.parse(line.slice(0, tab)) as string, line: `${line.slice(tab + 1)}\n` };
  }
}
