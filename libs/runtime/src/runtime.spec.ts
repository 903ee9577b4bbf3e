import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ExitCode,
  LeakageError,
  ProcessTreePeakRss,
  Progress,
  RejectLog,
  UsageError,
  WorkerPool,
  canonicalJson,
  listFilesSorted,
  loadSalt,
  openStageWorkspace,
  parseCommandLine,
  resolveSources,
  runCommand,
  saltedName,
  sha256File,
  type InputManifest,
} from './index';

let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-runtime-'));
});
afterEach(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('command line', () => {
  it('parses the common options and a command option', () => {
    const { common, options } = parseCommandLine(['--input=/x', '--fail-on-reject', '--workers=3', '--rate=500'], {
      rate: { type: 'string' },
    });
    expect(common).toMatchObject({ input: '/x', failOnReject: true, workers: 3, saltFile: undefined });
    expect(options.rate).toBe('500');
  });

  it('refuses an unknown option instead of ignoring a typo', () => {
    expect(() => parseCommandLine(['--max-pixel=0'], { 'max-pixels': { type: 'string' } })).toThrow(UsageError);
  });

  it('refuses a worker count that is not a positive integer', () => {
    expect(() => parseCommandLine(['--workers=0'], {})).toThrow(/positive integer/);
    expect(() => parseCommandLine(['--workers=two'], {})).toThrow(UsageError);
  });
});

describe('exit codes', () => {
  const quiet = { stderr: () => undefined };
  it('maps usage errors to 2, leakage to 4 and anything else to 1', async () => {
    expect(await runCommand(async () => ExitCode.Finished, quiet)).toBe(0);
    expect(await runCommand(async () => Promise.reject(new UsageError('bad')), quiet)).toBe(2);
    expect(await runCommand(async () => Promise.reject(new LeakageError('p1 in train and test')), quiet)).toBe(4);
    expect(await runCommand(async () => Promise.reject(new TypeError('bug')), quiet)).toBe(1);
  });
});

describe('rejects.jsonl', () => {
  it('keeps typed error codes and sorts lines so worker timing cannot reorder them', () => {
    const log = new RejectLog();
    log.addError('b/2.dcm', { code: 'DICOM_TRUNCATED', message: 'ends inside (7FE0,0010)' });
    log.addError('a/1.dcm', new Error('plain failure'));
    const lines = log.toJsonl().trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines).toEqual([
      { path: 'a/1.dcm', code: 'INTERNAL', message: 'plain failure' },
      { path: 'b/2.dcm', code: 'DICOM_TRUNCATED', message: 'ends inside (7FE0,0010)' },
    ]);
    expect(log.countsByCode()).toEqual({ DICOM_TRUNCATED: 1, INTERNAL: 1 });
  });
});

describe('salt', () => {
  it('refuses real data without a salt file and accepts the public salt only for the sample', async () => {
    await expect(loadSalt(undefined, false)).rejects.toThrow(/--salt-file is required/);
    expect((await loadSalt(undefined, true)).isPublicSample).toBe(true);
  });

  it('gives different names under different salts and ignores a trailing newline', async () => {
    await writeFile(join(scratch, 'a'), '0123456789abcdef0123456789abcdef\n');
    await writeFile(join(scratch, 'b'), '0123456789abcdef0123456789abcdef');
    await writeFile(join(scratch, 'c'), 'another secret of 32 characters!');
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((name) => loadSalt(join(scratch, name), false)));
    expect(saltedName(a, 'files/p10/p10000032/x.dcm')).toBe(saltedName(b, 'files/p10/p10000032/x.dcm'));
    expect(saltedName(a, 'files/p10/p10000032/x.dcm')).not.toBe(saltedName(c, 'files/p10/p10000032/x.dcm'));
    expect(saltedName(a, 'x')).toMatch(/^[0-9a-f]{24}$/);
    await writeFile(join(scratch, 'short'), 'tiny');
    await expect(loadSalt(join(scratch, 'short'), false)).rejects.toThrow(/at least 16 bytes/);
  });
});

describe('worker pool', () => {
  it('returns outcomes in input order, with task errors as values and buffers transferred', async () => {
    const pool = new WorkerPool<{ value: number; fail?: boolean; delayMs?: number }, { square: number; buffer: ArrayBuffer }>({
      script: new URL('./worker-pool.test-worker.ts', import.meta.url),
      size: 2,
      window: 3,
    });
    try {
      // Early tasks are slow so later ones finish first: order must still be the input order.
      const tasks = Array.from({ length: 12 }, (_, value) => ({ value, fail: value === 5, delayMs: value < 3 ? 60 : 0 }));
      const outcomes = [];
      for await (const outcome of pool.mapOrdered(tasks)) outcomes.push(outcome);
      expect(outcomes).toHaveLength(12);
      outcomes.forEach((outcome, value) => {
        if (value === 5) {
          expect(outcome).toEqual({ ok: false, error: { code: 'TEST_FAILURE', message: 'task 5 failed on purpose' } });
        } else {
          expect(outcome.ok).toBe(true);
          if (outcome.ok) {
            expect(outcome.value.square).toBe(value * value);
            expect(new Float64Array(outcome.value.buffer)[0]).toBe(value * value);
          }
        }
      });
    } finally {
      await pool.close();
    }
  });
});

describe('stage workspace', () => {
  const manifest: InputManifest = {
    stage: 'ingest:test',
    codeVersion: 'v1',
    options: { rate: 250, leads: ['I', 'II'] },
    inputs: [{ path: 'a.hea', sha256: 'aa' }],
  };

  it('resumes a killed run from its journal, commits atomically, then reports up to date', async () => {
    const output = join(scratch, 'out');
    const first = await openStageWorkspace<{ rows: number }>(output, manifest);
    if (first.upToDate) throw new Error('fresh output cannot be up to date');
    await writeFile(join(first.workDir, 'item-1.npy'), 'x');
    await first.markDone('item-1', { rows: 1 });
    // Simulate a kill mid-write of the journal: a torn last line.
    await writeFile(join(first.workDir, '.journal.jsonl'), `${JSON.stringify({ key: 'item-1', record: { rows: 1 } })}\n{"key":"item-2","rec`);
    expect(await readdir(scratch)).toEqual(['out.partial']);

    const second = await openStageWorkspace<{ rows: number }>(output, manifest);
    if (second.upToDate) throw new Error('a partial run is not up to date');
    expect([...second.resumed]).toEqual([['item-1', { rows: 1 }]]);
    await second.commit();
    expect(await readdir(scratch)).toEqual(['out']);
    expect((await readdir(output)).sort()).toEqual(['.stage-input.json', 'item-1.npy']);

    expect((await openStageWorkspace(output, manifest)).upToDate).toBe(true);
    // Other options: the work is redone from scratch.
    const changed = await openStageWorkspace(output, { ...manifest, options: { rate: 500 } });
    expect(changed.upToDate).toBe(false);
    if (!changed.upToDate) expect(changed.resumed.size).toBe(0);
  });

  it('hashes options canonically, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });
});

describe('inputs', () => {
  it('lists files sorted by path, not in file-system order, and hashes them', async () => {
    await mkdir(join(scratch, 'tree/a'), { recursive: true });
    for (const name of ['b.txt', 'a/z.txt', 'a/b.txt', 'C.txt']) await writeFile(join(scratch, 'tree', name), name);
    expect(await listFilesSorted(join(scratch, 'tree'))).toEqual(['C.txt', 'a/b.txt', 'a/z.txt', 'b.txt']);
    // SHA-256("abc"), FIPS 180-2 appendix B.1.
    await writeFile(join(scratch, 'abc'), 'abc');
    expect(await sha256File(join(scratch, 'abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('resolves --input to a local dataset key and refuses --input with --sources', async () => {
    const resolved = await resolveSources({ input: join(scratch, 'my-cxr'), dataset: undefined, sources: undefined }, scratch);
    expect(resolved.entries[0]).toMatchObject({ datasetKey: 'local/my-cxr', layout: undefined });
    expect(resolved.isBundledSample).toBe(false);
    await expect(resolveSources({ input: 'x', dataset: undefined, sources: 'y' }, scratch)).rejects.toThrow(UsageError);
  });

  it('reads a sources file relative to its own folder and tells how to make the missing sample', async () => {
    await writeFile(join(scratch, 'sources.json'), JSON.stringify([{ dataset_key: 'ecg/ptb-xl', layout: 'ptb-xl', folder: 'ptb-xl' }]));
    const resolved = await resolveSources({ input: undefined, dataset: undefined, sources: join(scratch, 'sources.json') }, scratch);
    expect(resolved.entries).toEqual([{ datasetKey: 'ecg/ptb-xl', layout: 'ptb-xl', folder: join(scratch, 'ptb-xl') }]);
    await expect(resolveSources({ input: undefined, dataset: undefined, sources: undefined }, scratch)).rejects.toThrow(/sample:generate/);
  });
});

describe('progress and memory', () => {
  it('prints plain lines, not a redrawn bar, when not on a terminal', () => {
    let text = '';
    let clock = 0;
    const progress = new Progress({ label: 'ecg', total: 4, stream: { isTTY: false, write: (chunk: string) => (text += chunk) }, plainIntervalMs: 10, now: () => clock });
    for (let i = 0; i < 4; i += 1) {
      clock += 20;
      progress.tick();
    }
    progress.finish();
    expect(text).not.toContain('\r');
    expect(text.trim().split('\n').at(-1)).toMatch(/^ecg: 4\/4 100\.0%/);
  });

  it('counts the memory of child processes in the peak of the process tree', async () => {
    const sampler = new ProcessTreePeakRss(process.pid, 10);
    const before = sampler.stop();
    const tree = new ProcessTreePeakRss(process.pid, 10);
    // A child that holds ~200 MB for a moment.
    const child = spawn(process.execPath, ['-e', 'const b=Buffer.alloc(200*1024*1024,1);setTimeout(()=>console.log(b[5]),400)']);
    await new Promise((resolve) => child.on('exit', resolve));
    const peak = tree.stop();
    expect(peak - before).toBeGreaterThan(150 * 1024 * 1024);
    expect(await readFile('/proc/self/status', 'utf8')).toContain('VmHWM');
  });
});
