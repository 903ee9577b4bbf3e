// launch.mjs runs the apps' Nx targets from an esbuild bundle: the command must see what it would see
// when started directly through tsx, and pool workers must still start from inside the bundle.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findWorkspaceRoot } from './workspace-root';

const root = findWorkspaceRoot();
const launcher = fileURLToPath(new URL('./launch.mjs', import.meta.url));
const entry = fileURLToPath(new URL('./launch.test-entry.ts', import.meta.url));

describe('launch.mjs', () => {
  it('runs a TypeScript entry from its bundle with its own argv, import.meta.url and pool workers', () => {
    const run = spawnSync(process.execPath, [launcher, 'libs/runtime/src/launch.test-entry.ts', '--flag=1', 'two'], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { argv: string[]; file: string; root: string; squares: number[]; execArgv: string[] };
    expect(report).toEqual({ argv: [entry, '--flag=1', 'two'], file: entry, root, squares: [9, 16], execArgv: [] });
    // It ran from a bundle (no tsx preload in the process; the entry's bundle is in the cache).
    const cache = join(root, 'node_modules', '.cache', 'qoq-workers');
    expect(readdirSync(cache).some((name) => name.startsWith('launch.test-entry-') && name.endsWith('.mjs'))).toBe(true);
  });

  it('starts pool workers whatever Node flags the command was given: a V8 option, tsx preloads, both', () => {
    for (const flags of [['--max-old-space-size=256', launcher], ['--import', 'tsx'], ['--max-old-space-size=256', '--import', 'tsx']]) {
      const run = spawnSync(process.execPath, [...flags, 'libs/runtime/src/launch.test-entry.ts'], { cwd: root, encoding: 'utf8' });
      expect(run.stderr, flags.join(' ')).toBe('');
      expect((JSON.parse(run.stdout) as { squares: number[] }).squares, flags.join(' ')).toEqual([9, 16]);
    }
  });

  it('exits 2 with a usage line when no entry is given', () => {
    const run = spawnSync(process.execPath, [launcher], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^usage: node libs\/runtime\/src\/launch\.mjs <entry\.ts>/);
  });
});
