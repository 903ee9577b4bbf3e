import { spawnSync } from 'node:child_process';
import { DEBIAN_PYTHON } from './oracle';

export interface PythonResult {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a Python script with Debian's interpreter; throws with its stderr when it fails. */
export function runPython(script: string, args: readonly string[] = [], input?: string | Buffer): PythonResult {
  const result = spawnSync(DEBIAN_PYTHON, ['-c', script, ...args], {
    input,
    maxBuffer: 1 << 30,
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`python oracle failed (exit ${result.status}): ${result.stderr.slice(-2000)}`);
  }
  return { stdout: result.stdout, stderr: result.stderr };
}
