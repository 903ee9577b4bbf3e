// Peak resident memory, the figure the issues' memory goals are stated in. Worker threads share the
// process, so VmHWM of /proc/self covers them; child processes (peers in a benchmark) are sampled.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

function statusField(pid: number | 'self', field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Peak RSS of this process in bytes (Linux VmHWM; falls back to Node's maxRSS elsewhere). */
export function peakRssOfSelf(): number {
  return statusField('self', 'VmHWM') ?? process.resourceUsage().maxRSS * 1024;
}

function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
      try {
        return readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map(Number);
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** Current RSS of a process and all its descendants, in bytes. */
export function treeRss(rootPid: number): number {
  let total = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    total += statusField(pid, 'VmRSS') ?? 0;
    stack.push(...childrenOf(pid));
  }
  return total;
}

/**
 * Samples the RSS of a process tree every `intervalMs` and keeps the maximum: the peak of the whole
 * tree, which no single VmHWM gives. Sampling can miss a spike shorter than the interval, so for the
 * root process the exact VmHWM is folded in at the end when the root is this process.
 */
export class ProcessTreePeakRss {
  readonly #rootPid: number;
  readonly #timer: NodeJS.Timeout;
  #peak = 0;

  constructor(rootPid: number = process.pid, intervalMs = 50) {
    this.#rootPid = rootPid;
    this.#timer = setInterval(() => this.sample(), intervalMs);
    this.#timer.unref();
    this.sample();
  }

  sample(): void {
    this.#peak = Math.max(this.#peak, treeRss(this.#rootPid));
  }

  /** Stops sampling and returns the peak in bytes. */
  stop(): number {
    clearInterval(this.#timer);
    this.sample();
    if (this.#rootPid === process.pid) this.#peak = Math.max(this.#peak, peakRssOfSelf());
    return this.#peak;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024).toFixed(0)} KiB`;
}

export interface MeasuredRun {
  readonly seconds: number;
  /** Peak RSS of the command's whole process tree, in bytes. */
  readonly peakRss: number;
}

/**
 * Runs a command to completion and measures its wall time and the peak RSS of its process tree: how
 * the benchmarks time our commands and their peers alike. Throws when it exits non-zero.
 */
export async function runMeasured(command: string, args: readonly string[], cwd: string): Promise<MeasuredRun> {
  const started = performance.now();
  const child = spawn(command, [...args], { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  const sampler = new ProcessTreePeakRss(child.pid, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const peakRss = sampler.stop();
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, peakRss };
}
