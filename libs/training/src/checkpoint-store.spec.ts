import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PolicyState } from '@qoq/policy';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckpointStore, type CheckpointMeta } from './checkpoint-store';

const work = await mkdtemp(join(tmpdir(), 'training-checkpoints-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const state = (seed: number): PolicyState => ({
  names: ['a', 'a/m', 'b'],
  shapes: [[2, 3], [2, 3], [4]],
  values: [Float32Array.from({ length: 6 }, (_, i) => seed + i / 3), Float32Array.from({ length: 6 }, (_, i) => -i * 1e-7), Float32Array.of(Number.MIN_VALUE, -0, 1e30, seed)],
  optimizerStep: seed * 2,
});
const meta = (step: number, best: CheckpointMeta['best'] = null): CheckpointMeta => ({
  step,
  sampler: { epoch: 1, position: step, swaps: [[0, 3]] },
  drpo: null,
  logs: { metrics: { bytes: step * 10, lines: step } },
  best,
});

describe('CheckpointStore', () => {
  it('reads back what it wrote, bit for bit', async () => {
    const store = new CheckpointStore(join(work, 'roundtrip'));
    await store.write(meta(3), state(1), state(0));
    const loaded = await store.latest();
    expect(loaded?.step).toBe(3);
    expect(loaded?.sampler).toEqual(meta(3).sampler);
    for (let i = 0; i < 3; i++) expect(new Uint8Array(loaded?.policy.values[i].buffer as ArrayBuffer)).toEqual(new Uint8Array(state(1).values[i].slice().buffer));
    expect(Object.is(loaded?.policy.values[2][1], -0)).toBe(true);
    expect(loaded?.reference?.optimizerStep).toBe(0);
  });

  it('leaves the previous checkpoint usable when a write dies before its rename', async () => {
    const folder = join(work, 'crash');
    let crash = false;
    const store = new CheckpointStore(folder, (stage) => {
      if (crash && stage === 'before-rename') throw new Error('killed');
    });
    await store.write(meta(5), state(5), state(0));
    crash = true;
    await expect(store.write(meta(10), state(10), state(0))).rejects.toThrow('killed');
    expect((await readdir(folder)).sort()).toEqual(['.step-000010.partial', 'step-000005']);
    const loaded = await new CheckpointStore(folder).latest();
    expect(loaded?.step).toBe(5);
    expect(loaded?.policy.values[0]).toEqual(state(5).values[0]);
    expect(await readdir(folder)).toEqual(['step-000005']);
  });

  it('keeps the newest checkpoints and only the best folder the current one names', async () => {
    const folder = join(work, 'prune');
    const store = new CheckpointStore(folder);
    await store.writeBest({ step: 2, macroF1: 0.1, folder: 'best-step-000002' }, state(2));
    await store.writeBest({ step: 4, macroF1: 0.2, folder: 'best-step-000004' }, state(4));
    for (const step of [2, 4, 6]) await store.write(meta(step), state(step), null);
    const current = meta(6, { step: 4, macroF1: 0.2, folder: 'best-step-000004' });
    await store.prune(current, 2);
    expect((await readdir(folder)).sort()).toEqual(['best-step-000004', 'step-000004', 'step-000006']);
    expect((await store.readBest('best-step-000004')).policy.values[2]).toEqual(state(4).values[2]);
  });
});
