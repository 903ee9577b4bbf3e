// The one read of every input file before the stage decides what to do: its SHA-256 (for the input
// manifest and provenance) and, for WFDB headers, the segment headers a multi-segment record names
// (for record discovery). Files are read synchronously through one reused buffer: on PTB-XL-sized
// inputs (tens of thousands of small files) the asynchronous reads and the buffers allocated per file
// cost several times the hashing itself. Runs on the pool's worker threads, a batch per task.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { segmentHeadersOf } from './ecg-record-discovery';

export interface InputScan {
  /** SHA-256 (hex) of each file, in the order given. */
  readonly digests: string[];
  /** Segment headers named by the headers that were parsed (paths relative to the folder). */
  readonly segmentHeaders: string[];
}

const CHUNK_BYTES = 1 << 20;
let scratch: Buffer | undefined;

/** Scans `files` (relative to `folder`); `parseHeader[i]` says whether file i is a header to parse. */
export function scanInputFiles(folder: string, files: readonly string[], parseHeader: readonly boolean[]): InputScan {
  scratch ??= Buffer.allocUnsafe(CHUNK_BYTES);
  const buffer = scratch;
  const digests: string[] = [];
  const segmentHeaders: string[] = [];
  for (const [index, path] of files.entries()) {
    const hash = createHash('sha256');
    const parts: Buffer[] = [];
    const fd = openSync(join(folder, path), 'r');
    try {
      for (;;) {
        const count = readSync(fd, buffer, 0, CHUNK_BYTES, null);
        if (count === 0) break;
        const chunk = buffer.subarray(0, count);
        hash.update(chunk);
        if (parseHeader[index]) parts.push(Buffer.from(chunk));
      }
    } finally {
      closeSync(fd);
    }
    digests.push(hash.digest('hex'));
    if (parseHeader[index]) segmentHeaders.push(...segmentHeadersOf(path, Buffer.concat(parts).toString('latin1')));
  }
  return { digests, segmentHeaders };
}
