// The end-of-run summary every command prints: what was read, written, rejected and skipped, how long
// it took and the peak memory, so a user sees at a glance whether a run is healthy.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from './exit-codes';
import { formatBytes, peakRssOfSelf } from './peak-rss';

export interface RunSummary {
  readonly stage: string;
  readonly processed: number;
  readonly written: number;
  readonly rejected: number;
  readonly skipped?: number;
  readonly rejectsByCode?: Record<string, number>;
  readonly elapsedMs: number;
  readonly peakRssBytes: number;
  readonly output?: string;
  /** True when the outputs were already up to date and nothing was redone. */
  readonly upToDate?: boolean;
}

export function formatRunSummary(summary: RunSummary): string {
  const lines = [`${summary.stage}: ${summary.upToDate ? 'up to date, nothing to do' : 'finished'}`];
  const rate = summary.elapsedMs > 0 ? (summary.processed / summary.elapsedMs) * 1000 : 0;
  lines.push(`  inputs processed  ${summary.processed} (${rate.toFixed(1)}/s)`);
  lines.push(`  outputs written   ${summary.written}`);
  if (summary.skipped !== undefined) lines.push(`  skipped           ${summary.skipped} (not this stage's input)`);
  lines.push(`  rejected          ${summary.rejected}${summary.rejected > 0 ? ' (see rejects.jsonl)' : ''}`);
  for (const [code, count] of Object.entries(summary.rejectsByCode ?? {})) lines.push(`    ${code}: ${count}`);
  lines.push(`  elapsed           ${(summary.elapsedMs / 1000).toFixed(2)} s`);
  lines.push(`  peak RSS          ${formatBytes(summary.peakRssBytes)}`);
  if (summary.output) lines.push(`  output            ${summary.output}`);
  return lines.join('\n');
}

/** design.md "Exit codes": 3 when the run had rejects and --fail-on-reject was given, else 0. */
export function finishedExitCode(rejected: number, failOnReject: boolean): ExitCode {
  return rejected > 0 && failOnReject ? ExitCode.FinishedWithRejects : ExitCode.Finished;
}

/**
 * An output that is already up to date: prints the summary (its rejects counted from the stored
 * rejects.jsonl) and returns the exit code the original run would have had.
 */
export async function reportUpToDate(
  stage: string,
  output: string,
  startedAt: number,
  failOnReject: boolean,
  stdout: (text: string) => void,
): Promise<ExitCode> {
  const rejected = (await readFile(join(output, 'rejects.jsonl'), 'utf8')).split('\n').filter(Boolean).length;
  stdout(`${formatRunSummary({ stage, processed: 0, written: 0, rejected, elapsedMs: performance.now() - startedAt, peakRssBytes: peakRssOfSelf(), output, upToDate: true })}\n`);
  return finishedExitCode(rejected, failOnReject);
}
