// Where a record's files come from: a folder on disk or buffers in memory (a worker handed bytes, a
// test, a tar member). The readers only ever ask for a file by its name relative to the header, as
// WFDB header(5) names signal files and segment headers.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { EcgError } from './ecg-error';

export interface RecordSource {
  /** Reads one file of the record; throws EcgError ECG_MISSING_FILE when absent. */
  readFile(name: string): Promise<Uint8Array>;
}

function assertInside(name: string): void {
  const cleaned = normalize(name);
  if (cleaned.startsWith('..') || cleaned.startsWith(sep) || name.includes('\0')) {
    throw new EcgError('WFDB_BAD_HEADER', `file name ${JSON.stringify(name)} leaves the record's folder`, name);
  }
}

function missingFileError(error: unknown, name: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
    return new EcgError('ECG_MISSING_FILE', `the record needs ${name}, which is not there`, name);
  }
  return error;
}

/** Files of a folder on disk. */
export function directorySource(directory: string): RecordSource {
  return {
    async readFile(name) {
      assertInside(name);
      try {
        const buffer = await readFile(join(directory, name));
        return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
      } catch (error) {
        throw missingFileError(error, name);
      }
    },
  };
}

/**
 * Files of a folder on disk, read synchronously: for a worker thread that reads one record at a time,
 * where each asynchronous read (open, stat, read, close through the thread pool) costs about twice
 * the CPU of the same read done in place.
 */
export function directorySourceSync(directory: string): RecordSource {
  return {
    readFile(name) {
      try {
        assertInside(name);
        const buffer = readFileSync(join(directory, name));
        return Promise.resolve(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
      } catch (error) {
        return Promise.reject(missingFileError(error, name));
      }
    },
  };
}

/** Files held in memory, by name; strings are taken as UTF-8 (headers). */
export function memorySource(files: Readonly<Record<string, Uint8Array | string>> | ReadonlyMap<string, Uint8Array | string>): RecordSource {
  const table = files instanceof Map ? files : new Map(Object.entries(files));
  return {
    async readFile(name) {
      const found = table.get(name);
      if (found === undefined) throw new EcgError('ECG_MISSING_FILE', `the record needs ${name}, which is not there`, name);
      return typeof found === 'string' ? new TextEncoder().encode(found) : found;
    },
  };
}
