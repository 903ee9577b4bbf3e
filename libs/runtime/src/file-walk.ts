// Deterministic traversal and hashing of input trees: sorted by '/'-separated relative path (code
// unit order), never in file-system order, so outputs do not depend on the disk.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

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

/** Files up to this size are read whole: a stream per small file costs ~10× the hashing itself. */
const WHOLE_FILE_LIMIT = 16 << 20;

/** SHA-256 of a file; large files are streamed, so memory stays bounded whatever the size. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  if ((await stat(path)).size <= WHOLE_FILE_LIMIT) return hash.update(await readFile(path)).digest('hex');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** SHA-256 of many files, a few reads in flight at a time; results in the order of `paths`. */
export async function sha256Files(paths: readonly string[], concurrency = 8): Promise<string[]> {
  const digests = new Array<string>(paths.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < paths.length) {
      const index = next++;
      digests[index] = await sha256File(paths[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, paths.length) }, lane));
  return digests;
}
