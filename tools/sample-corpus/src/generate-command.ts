// Runs the generator CLI in a child process, as `nx run sample:generate` does (tests use it).
import { spawn } from 'node:child_process';
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

/**
 * Runs the generator as a child process and waits for it without blocking the event loop: a test
 * worker whose loop is blocked for minutes (spawnSync) misses Vitest's RPC deadline and fails the run.
 */
export async function runGenerateCommand(args: readonly string[]): Promise<GenerateRun> {
  const tsxRoot = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', pathToFileURL(join(tsxRoot, 'dist/loader.mjs')).href, join(here, 'generate.ts'), ...args], {
    cwd: WORKSPACE_ROOT,
    // The Nx target's environment (project.json): fewer malloc arenas and libuv threads, less memory.
    env: { ...process.env, MALLOC_ARENA_MAX: '2', UV_THREADPOOL_SIZE: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (status !== 0) throw new Error(`generate failed (${status}): ${stderr}`);
  const peak = /peak RSS (\d+) MiB/.exec(stdout);
  return { seconds: (performance.now() - started) / 1000, peakRssMiB: peak ? Number(peak[1]) : NaN, stdout };
}
