// Runs a peer command to completion and returns its standard output and error and its wall time (the
// peers print their own timings as JSON on stdout); throws with its standard error when it fails.
import { spawn } from 'node:child_process';

export async function runCapturing(command: string, args: readonly string[], cwd?: string): Promise<{ stdout: string; stderr: string; seconds: number }> {
  const started = performance.now();
  const child = spawn(command, [...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`${command} exited with ${code}: ${Buffer.concat(stderr).toString('utf8').trim().slice(-500)}`);
  return { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), seconds: (performance.now() - started) / 1000 };
}
