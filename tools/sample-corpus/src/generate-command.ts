// Runs the generator CLI in a child process, as `nx run sample:generate` does (tests use it).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const WORKSPACE_ROOT = resolve(here, '../../..');

export interface GenerateRun {
  readonly seconds: number;
  /** The CLI's own VmHWM (covers its worker threads). */
  readonly peakRssMiB: number;
  readonly stdout: string;
}

export function runGenerateCommand(args: readonly string[]): GenerateRun {
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', pathToFileURL(join(tsxRoot, 'dist/loader.mjs')).href, join(here, 'generate.ts'), ...args], {
    cwd: WORKSPACE_ROOT,
    encoding: 'utf8',
    // The Nx target's environment (project.json): fewer malloc arenas and libuv threads, less memory.
    env: { ...process.env, MALLOC_ARENA_MAX: '2', UV_THREADPOOL_SIZE: '2' },
    maxBuffer: 1 << 24,
  });
  if (result.status !== 0) throw new Error(`generate failed (${result.status}): ${result.stderr}`);
  const peak = /peak RSS (\d+) MiB/.exec(result.stdout);
  return { seconds: (performance.now() - started) / 1000, peakRssMiB: peak ? Number(peak[1]) : NaN, stdout: result.stdout };
}
