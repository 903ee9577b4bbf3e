// trainer:drpo / grpo / eval end to end with the real TensorFlow.js policy (wasm) on a small corpus
// written by @qoq/training's writeTestCorpus: the run folder, exact resume after a SIGKILL of the process,
// trainer:eval reproducing eval.json, and exit 2 before training for every bad input.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256OfFile } from '@qoq/dataset-io';
import { probeWebGpu } from '@qoq/policy';
import { writeTestCorpus, writeTestStats } from '@qoq/training';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as drpoMain } from './drpo';
import { main as evalMain } from './eval';
import { main as grpoMain } from './grpo';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
let work: string;
let corpus: string;
let stats: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainer-e2e-'));
  corpus = join(work, 'corpus');
  stats = join(work, 'stats');
  await writeTestCorpus(corpus);
  await writeTestStats(stats, await sha256OfFile(join(corpus, 'manifest.json')));
});
afterAll(() => rm(work, { recursive: true, force: true }));

/** A tiny run: 12 steps of 8 questions × 5 rollouts, validation every 4, checkpoints every 3. */
const tiny = (output: string, extra: string[] = []): string[] => [
  '--config=smoke', `--corpus=${corpus}`, `--stats=${stats}`, `--output=${join(work, output)}`,
  '--steps=12', '--set=batch.questions=8', '--set=evaluation.every=4', '--set=checkpoint.every=3',
  '--set=evaluation.maxPerDataset=null', '--set=evaluation.bootstrap=50', '--set=optimizer.learningRate=0.003', ...extra,
];

async function run(main: typeof drpoMain, args: string[]): Promise<{ code: number; stderr: string }> {
  const lines: string[] = [];
  const code = await main(args, (line) => lines.push(line), () => undefined);
  return { code, stderr: lines.join('\n') };
}

/** The CLI as its own process (async, so the test worker keeps reporting), killed when `killWhen` matches stderr. */
function spawnTrainer(args: string[], killWhen?: RegExp): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/trainer/src/drpo.ts', ...args], { cwd: workspaceRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (killWhen && killWhen.test(stderr) && child.exitCode === null) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stderr }));
  });
}

const bytes = (path: string): Promise<Buffer> => readFile(path);

describe('trainer:drpo with the real policy', () => {
  let uninterrupted: { code: number; stderr: string };
  beforeAll(async () => {
    uninterrupted = await run(drpoMain, tiny('drpo'));
  }, 300_000);

  it('trains, validates, checkpoints and tests: the run folder of design.md', async () => {
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    expect(uninterrupted.stderr).toMatch(/drpo s0 step 12\/12 · reward [\d.]+ · acc [\d.]+ · loss/);
    const files = (await readdir(join(work, 'drpo'))).sort();
    expect(files).toEqual(['checkpoints', 'config.json', 'eval.json', 'metrics.jsonl', 'predictions-test.jsonl', 'report.html', 'rollouts.jsonl', 'run.json', 'timings.jsonl', 'validation.jsonl']);
    const metrics = (await readFile(join(work, 'drpo', 'metrics.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(metrics).toHaveLength(12);
    expect(metrics.every((m) => m.update.updates === 2 && Number.isFinite(m.update.loss) && m.update.grad_norm > 0)).toBe(true);
    const evaluation = JSON.parse(await readFile(join(work, 'drpo', 'eval.json'), 'utf8'));
    expect(evaluation.checkpoint.kind).toBe('best');
    expect(Object.keys(evaluation.policy.datasets)).toHaveLength(4);
    expect(evaluation.baselines.prevalence.overall.macro_f1.ci95).toHaveLength(2);
  });

  it('resumes after a SIGKILL of the process and ends with the bitwise weights of the uninterrupted run', async () => {
    const args = tiny('killed');
    const killed = await spawnTrainer(args, /step 7\/12/);
    expect(killed.signal).toBe('SIGKILL');
    const resumed = await spawnTrainer([...args, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming after step 6/);
    const last = 'checkpoints/step-000012/policy.bin';
    expect((await bytes(join(work, 'killed', last))).equals(await bytes(join(work, 'drpo', last)))).toBe(true);
    for (const file of ['metrics.jsonl', 'rollouts.jsonl', 'validation.jsonl', 'eval.json']) {
      expect(await readFile(join(work, 'killed', file), 'utf8')).toBe(await readFile(join(work, 'drpo', file), 'utf8'));
    }
  }, 300_000);

  it('re-evaluates a run with trainer:eval: the same eval.json, and other splits beside it', async () => {
    const copy = join(work, 'evaluated');
    await cp(join(work, 'drpo'), copy, { recursive: true });
    await rm(join(copy, 'eval.json'));
    expect((await run(evalMain, [`--run=${copy}`])).code).toBe(0);
    expect(await readFile(join(copy, 'eval.json'), 'utf8')).toBe(await readFile(join(work, 'drpo', 'eval.json'), 'utf8'));
    expect((await run(evalMain, [`--run=${copy}`, '--split=validation', '--checkpoint=last'])).code).toBe(0);
    expect(JSON.parse(await readFile(join(copy, 'eval-validation-last.json'), 'utf8')).checkpoint).toEqual({ kind: 'last', step: 12, validation_macro_f1: null });
  }, 300_000);

  it('trainer:grpo runs GRPO into its own folder', async () => {
    const { code, stderr } = await run(grpoMain, tiny('grpo', ['--steps=3']));
    expect(code, stderr).toBe(0);
    expect(JSON.parse(await readFile(join(work, 'grpo', 'config.json'), 'utf8')).estimator).toBe('grpo');
    expect(JSON.parse((await readFile(join(work, 'grpo', 'metrics.jsonl'), 'utf8')).split('\n')[0]).drpo).toBeNull();
  }, 300_000);
});

describe('exit 2 before training', () => {
  const expectRefused = async (args: string[], message: RegExp, output = 'refused'): Promise<void> => {
    const { code, stderr } = await run(drpoMain, [...tiny(output), ...args]);
    expect(code, stderr).toBe(2);
    expect(stderr).toMatch(message);
    await expect(readdir(join(work, output))).rejects.toThrow();
  };

  it('on an unknown config key, in the trainer config or the policy section', async () => {
    await expectRefused(['--set=optimizer.lr=0.1'], /unknown config key 'optimizer\.lr'/);
    await expectRefused(['--set=policy.hiddenSize=8'], /unknown config key 'policy\.hiddenSize'/);
  });

  it('on a bad option', async () => {
    await expectRefused(['--steps=many'], /--steps must be a positive integer/);
    await expectRefused(['--estimator=ppo'], /--estimator must be one of/);
    await expectRefused(['--resume', '--fresh'], /exclude each other/);
    await expectRefused(['--no-such-option'], /Unknown option/);
  });

  it('on --backend=webgpu without a GPU, naming why (a machine with one trains instead)', async () => {
    const probe = await probeWebGpu();
    if (probe.found) return;
    await expectRefused(['--backend=webgpu'], /--backend=webgpu: .*(no GPU adapter|cannot be loaded)/);
  });

  it('on statistics of another corpus', async () => {
    const other = join(work, 'other-stats');
    await writeTestStats(other, 'f'.repeat(64));
    await expectRefused([`--stats=${other}`], /STATS_OTHER_CORPUS/);
  });

  it('on a corpus that does not match its manifest, or misses a media file', async () => {
    const tampered = join(work, 'tampered');
    await cp(corpus, tampered, { recursive: true });
    const manifest = JSON.parse(await readFile(join(tampered, 'manifest.json'), 'utf8'));
    manifest.shards[0].sha256 = '0'.repeat(64);
    await writeFile(join(tampered, 'manifest.json'), JSON.stringify(manifest));
    await expectRefused([`--corpus=${tampered}`, '--stats=none'], /SHARD_HASH_MISMATCH/);
    const holed = join(work, 'holed');
    await cp(corpus, holed, { recursive: true });
    const folder = join(holed, 'media', 'mammo', 'cbis');
    const mask = (await readdir(folder)).find((name) => name.endsWith('_mask.png')) as string;
    await rm(join(folder, mask));
    await expectRefused([`--corpus=${holed}`, '--stats=none'], new RegExp(`${mask}: MEDIA_MISSING`));
  });

  it('on an existing run without --resume or --fresh', async () => {
    const { code, stderr } = await run(drpoMain, tiny('drpo'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/already holds a run: pass --resume/);
  });
});
