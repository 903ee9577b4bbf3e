// "Complete or absent" (design.md): a folder is built under a temporary sibling name and renamed at the
// end; a single file is written to a temporary name, fsynced, renamed, and its folder fsynced — so that a
// crash leaves the old content or the new, never a torn file.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

async function fsyncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** fsync(2) of a file written through a stream, before it is renamed into place. */
export async function fsyncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes `content` to `path` atomically (temp + fsync + rename + fsync of the folder). */
export async function writeFileAtomically(path: string, content: string | Uint8Array): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temporary, path);
  await fsyncDirectory(directory);
}

/** The temporary sibling a folder is built in: `.<name>.partial` next to it (one per final folder). */
export function temporaryFolderFor(finalDir: string): string {
  return join(dirname(finalDir), `.${basename(finalDir)}.partial`);
}

export interface AtomicFolderOptions {
  /**
   * What to do with a temporary folder left by a killed run: 'clean' (default) deletes it and starts
   * afresh; 'resume' hands it to `build` as it is, for a builder that skips the work already there
   * (e.g. by comparing shard hashes with its input manifest) — and keeps it if `build` throws.
   */
  leftover?: 'clean' | 'resume';
}

/**
 * Builds `finalDir` through `build(tmpDir)` and renames it into place only when `build` resolves.
 * If `build` throws, the temporary folder is removed (unless resuming) and `finalDir` is untouched:
 * a previous complete version stays, or there is none. An existing `finalDir` is replaced.
 */
export async function writeFolderAtomically<T>(
  finalDir: string,
  build: (tmpDir: string) => Promise<T>,
  options: AtomicFolderOptions = {},
): Promise<T> {
  const parent = dirname(finalDir);
  await mkdir(parent, { recursive: true });
  const temporary = temporaryFolderFor(finalDir);
  const resume = options.leftover === 'resume';
  if (!resume) await rm(temporary, { recursive: true, force: true });
  await mkdir(temporary, { recursive: true });
  let result: T;
  try {
    result = await build(temporary);
  } catch (error) {
    if (!resume) await rm(temporary, { recursive: true, force: true });
    throw error;
  }
  // rename(2) cannot replace a non-empty folder: move the old one aside first, drop it afterwards.
  const previous = join(parent, `.${basename(finalDir)}.previous`);
  await rm(previous, { recursive: true, force: true });
  const hadPrevious = await exists(finalDir);
  if (hadPrevious) await rename(finalDir, previous);
  await rename(temporary, finalDir);
  await fsyncDirectory(parent);
  if (hadPrevious) await rm(previous, { recursive: true, force: true });
  return result;
}
