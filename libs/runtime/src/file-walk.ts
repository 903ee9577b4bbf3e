// Deterministic traversal and hashing of input trees: sorted by '/'-separated relative path (code
// unit order), never in file-system order, so outputs do not depend on the disk.
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ScratchArena } from './scratch-arena';

/** Relative paths of every regular file below `root`, sorted; symbolic links are not followed. */
export async function listFilesSorted(root: string): Promise<string[]> {
  const found: string[] = [];
  async function visit(relative: string): Promise<void> {
    const entries = await readdir(join(root, relative), { withFileTypes: true });
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) await visit(path);
      else if (entry.isFile()) found.push(path);
    }
  }
  await visit('');
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function sha256Bytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Files are read in chunks of this size into one buffer per read lane, reused from file to file. */
const CHUNK_BYTES = 1 << 20;

/**
 * SHA-256 of a file, read in chunks into `chunk` (a fresh 1 MiB buffer when not given): memory stays
 * bounded whatever the size, and a buffer reused across files costs no fresh pages (scratch-arena.ts).
 */
export async function sha256File(path: string, chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES)): Promise<string> {
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      hash.update(chunk.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest('hex');
}

/** SHA-256 of many files, a few reads in flight at a time; results in the order of `paths`. */
export async function sha256Files(paths: readonly string[], concurrency = 8): Promise<string[]> {
  const digests = new Array<string>(paths.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    while (next < paths.length) {
      const index = next++;
      digests[index] = await sha256File(paths[index], chunk);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, lane));
  return digests;
}

/**
 * Reads a whole file synchronously into memory of `arena` (no fresh allocation once the arena has
 * grown to the largest file): for worker threads that handle one file at a time. The view is valid
 * until the arena's next reset().
 */
export function readFileInto(path: string, arena: ScratchArena): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const bytes = arena.take(Uint8Array, size, false);
    let filled = 0;
    while (filled < size) {
      const count = readSync(fd, bytes, filled, size - filled, null);
      if (count === 0) break;
      filled += count;
    }
    // A file that shrank while being read: the bytes that exist, never stale memory after them.
    return filled === size ? bytes : bytes.subarray(0, filled);
  } finally {
    closeSync(fd);
  }
}
