// The run's line logs (metrics.jsonl, rollouts.jsonl, validation.jsonl, timings.jsonl): appended once per
// step, their length in bytes and lines recorded in each checkpoint, and cut back to that length on
// resume, so the logs of a resumed run are those of an uninterrupted one.
import { open, readFile, stat, truncate, type FileHandle } from 'node:fs/promises';
import { createReadStream } from 'node:fs';

export interface LogLength {
  readonly bytes: number;
  readonly lines: number;
}

export class JsonlLog {
  private handle: FileHandle | null = null;
  private bytes = 0;
  private lines = 0;

  private constructor(readonly path: string) {}

  /** Opens `path` for appending, first cut back to `length` (a checkpoint's) or emptied when null. */
  static async open(path: string, length: LogLength | null): Promise<JsonlLog> {
    const log = new JsonlLog(path);
    let size = 0;
    try {
      size = (await stat(path)).size;
    } catch {
      size = -1;
    }
    const target = length ?? { bytes: 0, lines: 0 };
    if (size >= 0 && size < target.bytes) {
      throw new Error(`${path} has ${size} bytes, the checkpoint recorded ${target.bytes}: the log was truncated or replaced`);
    }
    if (size >= 0) await truncate(path, target.bytes);
    log.handle = await open(path, 'a');
    log.bytes = target.bytes;
    log.lines = target.lines;
    if (length !== null && length.bytes > 0) {
      const counted = await countLines(path);
      if (counted !== length.lines) throw new Error(`${path} holds ${counted} lines at ${length.bytes} bytes, the checkpoint recorded ${length.lines}`);
    }
    return log;
  }

  get length(): LogLength {
    return { bytes: this.bytes, lines: this.lines };
  }

  /** Appends values as lines, in one write. */
  async append(values: readonly unknown[]): Promise<void> {
    if (values.length === 0) return;
    if (!this.handle) throw new Error(`${this.path} is closed`);
    const text = values.map((value) => `${JSON.stringify(value)}\n`).join('');
    const buffer = Buffer.from(text, 'utf8');
    await this.handle.write(buffer);
    this.bytes += buffer.byteLength;
    this.lines += values.length;
  }

  /** fsync, so that a checkpoint never records bytes that a crash could lose. */
  async sync(): Promise<void> {
    await this.handle?.sync();
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }
}

async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    const bytes = chunk as Buffer;
    for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a) lines++;
  }
  return lines;
}

/** Reads a JSONL file into values (for reports and tests; the run's logs are small). */
export async function readJsonl<T>(path: string): Promise<T[]> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}
