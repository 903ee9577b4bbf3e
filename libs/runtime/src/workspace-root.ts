import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file that holds nx.json. */
export function findWorkspaceRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let folder = resolve(from);
  for (;;) {
    if (existsSync(join(folder, 'nx.json'))) return folder;
    const parent = dirname(folder);
    if (parent === folder) throw new Error('not inside the QoQ Forge workspace (no nx.json found)');
    folder = parent;
  }
}
