import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { writeSyntheticCorpus } from '@qoq/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(__dirname, '../../..');
let workDir: string;

async function door(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', `apps/stats/src/${name}.ts`, ...args], { cwd: root, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'qoq-stats-app-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('the stats commands', () => {
  it('stats:rarity exits 2 on a missing corpus, names it, says to run ingest:pairs, and writes nothing', async () => {
    const missing = join(workDir, 'nowhere');
    const output = join(workDir, 'out-missing');
    const result = await door('rarity', [`--input=${missing}`, `--output=${output}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(missing);
    expect(result.stderr).toContain('npx nx run ingest:pairs');
    expect(existsSync(output)).toBe(false);
  }, 130_000);

  it('stats:difficulty refuses an unknown option with exit 2', async () => {
    const result = await door('difficulty', ['--rollout=x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/rollout/);
  }, 130_000);

  it('stats:report writes stats.json and report.html and prints the run summary', async () => {
    const corpus = join(workDir, 'corpus');
    await writeSyntheticCorpus(corpus, { rows: { 'mri/brain_tumor': 20, 'ecg/cpsc': 30 } });
    const output = join(workDir, 'stats');
    const result = await door('report', [`--input=${corpus}`, `--output=${output}`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/stats:report: finished[\s\S]*inputs processed\s+50/);
    const stats = JSON.parse(readFileSync(join(output, 'stats.json'), 'utf8'));
    expect(stats.rarity.corpus.rows).toBe(50);
    // A corpus given by --input without --media-from: the stage figures are skipped, and say so.
    expect(stats.media.media_from).toBe('not-given');
    expect(stats.media.stages.map((stage: { status: string }) => stage.status)).toEqual(['not-read', 'not-read', 'not-read']);
    expect(readFileSync(join(output, 'report.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/);
  }, 130_000);
});
