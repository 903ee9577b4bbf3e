// What the end-to-end tests of the ingest commands share: running a command as a user does, reading
// its Parquet back with an independent reader (DuckDB), and reading an output tree byte for byte.
import { spawnSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

export const workspaceRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const tsx = join(workspaceRoot, 'node_modules/.bin/tsx');

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `apps/ingest/src/<entryFile>` through tsx from the workspace root, as the Nx target does. */
export function stageCli(entryFile: string, timeoutMs = 300_000): (args: string[]) => CliResult {
  const entry = join(workspaceRoot, 'apps/ingest/src', entryFile);
  return (args) => {
    const result = spawnSync(tsx, [entry, ...args], { cwd: workspaceRoot, encoding: 'utf8', timeout: timeoutMs });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
}

export async function queryDuckDb(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(sql);
  const rows = reader.getRowObjectsJson() as Record<string, unknown>[];
  connection.closeSync();
  return rows;
}

/** Every file below `root`, by path relative to it, with its bytes. */
export async function treeBytes(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(path.slice(root.length), await readFile(path));
  }
  return out;
}
