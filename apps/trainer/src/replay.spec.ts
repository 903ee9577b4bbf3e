import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from './replay';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const work = mkdtempSync(join(tmpdir(), 'trainer-replay-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A rollout log as a trainer writes it: 6 steps × 8 questions × 5 rollouts over 4 dataset keys. */
function writeRolloutLog(path: string): number {
  const keys = ['ct/lndb', 'mri/brain_tumor', 'mammo/vindr', 'chest_xray/vindr'];
  const lines: string[] = [];
  let state = 7;
  const next = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let step = 0; step < 6; step++) {
    for (let q = 0; q < 8; q++) {
      for (let r = 0; r < 5; r++) {
        const key = keys[(q * 3 + step) % 4];
        const accuracy = [0, 0.5, 2 / 3, 1][Math.floor(next() * 4)];
        lines.push(JSON.stringify({ step, question_id: `s${step}-q${q}`, domain: key.split('/')[0], dataset_key: key, reward: 0.5 * accuracy + 0.1 + 0.1 * 0.6, accuracy }));
      }
    }
  }
  writeFileSync(path, lines.join('\n') + '\n');
  return lines.length;
}

function runReplay(args: string[]): { status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'apps/trainer/src/replay.ts', ...args], { cwd: workspaceRoot, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

const rowsOf = (path: string): Record<string, unknown>[] =>
  readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

function expectReplayed(rows: Record<string, unknown>[], count: number): void {
  expect(rows).toHaveLength(count);
  for (const row of rows) {
    for (const field of ['group_normalized_reward', 'domain_temperature', 'cluster_temperature', 'cluster_id', 'advantage']) expect(row).toHaveProperty(field);
    expect(typeof row.accuracy).toBe('number'); // extra input fields are kept
  }
  // Every group's advantages sum to zero.
  const sums = new Map<string, number>();
  for (const row of rows) sums.set(row.question_id as string, (sums.get(row.question_id as string) ?? 0) + (row.advantage as number));
  for (const sum of sums.values()) expect(Math.abs(sum)).toBeLessThan(1e-9);
}

describe('trainer:replay end to end', () => {
  const input = join(work, 'rollouts.jsonl');
  const count = writeRolloutLog(input);

  it('runs as a process and writes every rollout with the five DRPO fields added', () => {
    const output = join(work, 'replayed.jsonl');
    const { status, stderr } = runReplay([`--input=${input}`, `--output=${output}`, '--mode=code']);
    expect(status, stderr).toBe(0);
    expectReplayed(rowsOf(output), count);
    expect(readdirSync(work).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 120_000);

  it('replays in the fixed and incremental modes and with GRPO', async () => {
    for (const args of [['--mode=fixed'], ['--mode=incremental', '--seed=3'], ['--estimator=grpo'], ['--domain-key=domain']]) {
      const output = join(work, `replayed${args.join('')}.jsonl`);
      expect(await main([`--input=${input}`, `--output=${output}`, ...args], () => undefined)).toBe(0);
      expectReplayed(rowsOf(output), count);
    }
  });

  it('exits 2 and writes nothing on bad input', () => {
    const bad = join(work, 'bad.jsonl');
    writeFileSync(bad, '{"step": 0, "question_id": "a", "domain": "ct", "reward": 1}\n{"step": 0, "question_id": "a", "domain": "ct", "reward": "high"}\n');
    const folder = mkdtempSync(join(work, 'out-'));
    const output = join(folder, 'never.jsonl');
    const result = runReplay([`--input=${bad}`, `--output=${output}`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/line 2: "reward" must be a finite number/);
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(folder)).toEqual([]);
  }, 120_000);

  it('returns 2 for bad usage', async () => {
    const messages: string[] = [];
    const output = join(work, 'unused.jsonl');
    expect(await main([`--input=${input}`], (line) => messages.push(line))).toBe(2);
    expect(await main([`--input=${input}`, `--output=${output}`, '--estimator=ppo'], (line) => messages.push(line))).toBe(2);
    expect(await main([`--input=${join(work, 'missing.jsonl')}`, `--output=${output}`], (line) => messages.push(line))).toBe(2);
    expect(await main([`--input=${input}`, `--output=${output}`, '--bogus'], (line) => messages.push(line))).toBe(2);
    expect(messages.join('\n')).toMatch(/--estimator must be one of drpo, grpo/);
    expect(existsSync(output)).toBe(false);
  });
});
