import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGenerateCommand } from './generate-command';

function treeDigest(root: string): Map<string, string> {
  const digests = new Map<string, string>();
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else digests.set(relative(root, path), createHash('sha256').update(readFileSync(path)).digest('hex'));
    }
  };
  walk(root);
  return digests;
}

const scratch = mkdtempSync(join(tmpdir(), 'sample-determinism-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// At a reduced scale (0.05 of every split, the formula of spec.ts) to keep the suite fast: the scale
// changes how many items there are, not how an item is drawn or encoded.
describe('the sample corpus generator', () => {
  it('writes byte-identical trees when run twice with the same seed', async () => {
    await runGenerateCommand([`--output=${join(scratch, 'first')}`, '--scale=0.05', '--workers=2']);
    await runGenerateCommand([`--output=${join(scratch, 'second')}`, '--scale=0.05', '--workers=1']);
    const first = treeDigest(join(scratch, 'first'));
    const second = treeDigest(join(scratch, 'second'));
    expect(first.size).toBeGreaterThan(300);
    expect([...second.keys()]).toEqual([...first.keys()]);
    const differing = [...first].filter(([path, digest]) => second.get(path) !== digest).map(([path]) => path);
    expect(differing).toEqual([]);
  }, 600_000);

  it('writes a different corpus for a different seed', async () => {
    await runGenerateCommand([`--output=${join(scratch, 'other-seed')}`, '--scale=0.05', '--seed=7']);
    const first = treeDigest(join(scratch, 'first'));
    const other = treeDigest(join(scratch, 'other-seed'));
    expect(other.get('truth.json')).not.toEqual(first.get('truth.json'));
  }, 600_000);
});
