// The GPU bundle is built from a small corpus and run from another folder with an empty environment:
// it must need nothing of the repository, of npm or of the network. Without a GPU (CI) the candidate is
// the cpu backend; --candidate=webgpu must then exit 3 naming why.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTestCorpus } from '@qoq/training';

const root = resolve(__dirname, '../../..');
let scratch: string;

function run(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-gpu-bundle-'));
  await writeTestCorpus(join(scratch, 'corpus'));
  const built = await run(process.execPath, ['--import', 'tsx', 'tools/gpu/src/bundle.ts', `--corpus=${join(scratch, 'corpus')}`, `--output=${join(scratch, 'out')}`, '--questions=24'], { cwd: root });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
  expect(built.stdout).toMatch(/goal ≤ 60 MiB met/);
  await run('tar', ['-xzf', join(scratch, 'out', 'qoq-gpu.tar.gz'), '-C', scratch], { cwd: scratch });
}, 240_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('tools/gpu bundle', () => {
  it('holds Node, the runner, the pruned packages (linux-x64 Dawn only) and the questions; under 60 MiB', async () => {
    const folder = join(scratch, 'qoq-gpu');
    expect((await readdir(folder)).sort()).toEqual(['README.txt', 'node', 'node_modules', 'run.mjs', 'run.sh', 'sample-questions']);
    expect(await readdir(join(folder, 'node_modules', 'webgpu', 'dist'))).toEqual(['linux-x64']);
    expect((await stat(join(scratch, 'out', 'qoq-gpu.tar.gz'))).size).toBeLessThan(60 * 1024 * 1024);
    const pack = JSON.parse(await readFile(join(folder, 'sample-questions', 'questions.json'), 'utf8')) as { questions: { datasetKey: string }[] };
    expect(pack.questions).toHaveLength(24);
    expect(new Set(pack.questions.map((question) => question.datasetKey)).size).toBe(4);
  });

  it('runs parity and timings from an empty environment, writing its results', async () => {
    const result = await run(join(scratch, 'qoq-gpu', 'run.sh'), ['--candidate=cpu', '--steps=2', '--batch=6', '--rollouts=3', '--timing-steps=1', '--large={"imageSize":32,"hiddenWidth":96}', `--results=${join(scratch, 'results')}`], {
      cwd: tmpdir(),
      env: { PATH: '/usr/bin:/bin' },
    });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/parity: PASSED/);
    expect(result.stdout).toMatch(/timing large \(\d+ parameters\) on cpu: [\d.]+ ms a step/);
    const [json] = (await readdir(join(scratch, 'results'))).filter((name) => name.endsWith('.json'));
    const saved = JSON.parse(await readFile(join(scratch, 'results', json), 'utf8')) as { parity: { passed: boolean; steps: unknown[] }; timings: unknown[] };
    expect(saved.parity.passed).toBe(true);
    expect(saved.parity.steps).toHaveLength(2);
    expect(saved.timings).toHaveLength(4);
  }, 120_000);

  it('exits 3 naming the reason when the GPU is asked for and none is found', async () => {
    const result = await run(join(scratch, 'qoq-gpu', 'run.sh'), ['--candidate=webgpu'], { cwd: tmpdir(), env: { PATH: '/usr/bin:/bin' } });
    if (result.stdout.includes('adapter: none')) {
      expect(result.status).toBe(3);
      expect(result.stdout).toMatch(/the candidate backend webgpu is unavailable/);
    } else {
      // A machine with a real GPU: the check runs for real.
      expect(result.stdout).toMatch(/parity: (PASSED|FAILED)/);
    }
  }, 120_000);
});
