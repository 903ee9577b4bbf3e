import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '@qoq/runtime';
import { describe, expect, it } from 'vitest';
import { changedKeys, checkPolicyKeys, loadTrainerConfig, parseSetOverride, runFolderOf } from './trainer-config';

const work = mkdtempSync(join(tmpdir(), 'trainer-config-'));

function usageMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('trainer configs', () => {
  it('loads the named configs; smoke overrides default key by key', () => {
    const base = loadTrainerConfig('default');
    expect(base.estimator).toBe('drpo');
    expect(base.batch).toEqual({ questions: 32, rollouts: 5, miniBatches: 2, epochs: 1 });
    const smoke = loadTrainerConfig('smoke');
    expect(smoke.steps).toBeLessThan(base.steps);
    expect(smoke.optimizer).toEqual(base.optimizer);
    expect(smoke.evaluation.every).toBe(10);
    expect(runFolderOf(smoke, '/w')).toBe('/w/data/sample/runs/smoke-drpo-s0');
    expect(runFolderOf({ ...base, estimator: 'grpo', seed: 4 }, '/w')).toBe('/w/data/sample/runs/grpo-s4');
  });

  it('applies --set overrides, then the named options', () => {
    const config = loadTrainerConfig('default', {
      set: [parseSetOverride('optimizer.learningRate=3e-4'), parseSetOverride('drpo.domainKey=domain'), parseSetOverride('evaluation.maxPerDataset=null')],
      fields: { seed: 9, estimator: 'grpo' },
    });
    expect(config.optimizer.learningRate).toBe(3e-4);
    expect(config.optimizer.weightDecay).toBe(0.01);
    expect(config.drpo.domainKey).toBe('domain');
    expect(config.evaluation.maxPerDataset).toBeNull();
    expect(config.seed).toBe(9);
    expect(config.estimator).toBe('grpo');
  });

  it('names an unknown key, in a file or in --set, and a bad value', () => {
    const file = join(work, 'typo.json');
    writeFileSync(file, JSON.stringify({ optimizer: { learningrate: 0.1 } }));
    expect(usageMessage(() => loadTrainerConfig(file))).toMatch(/unknown config key 'optimizer\.learningrate'/);
    expect(usageMessage(() => loadTrainerConfig('default', { set: [parseSetOverride('batch.size=3')] }))).toMatch(/unknown config key 'batch\.size'/);
    expect(usageMessage(() => loadTrainerConfig('default', { set: [parseSetOverride('reward.mode=strict')] }))).toMatch(/reward\.mode.*"fixed", "code"/);
    expect(usageMessage(() => loadTrainerConfig('no-such-config'))).toMatch(/no trainer config 'no-such-config'/);
    expect(usageMessage(() => parseSetOverride('learningRate'))).toMatch(/KEY=VALUE/);
    expect(usageMessage(() => checkPolicyKeys({ imageSize: 32, hiddenSize: 3 }, { imageSize: 32 }))).toMatch(/unknown config key 'policy\.hiddenSize'/);
  });

  it('follows "extends" chains from any file and refuses cycles', () => {
    const a = join(work, 'a.json');
    const b = join(work, 'b.json');
    writeFileSync(a, JSON.stringify({ extends: 'smoke', steps: 7 }));
    expect(loadTrainerConfig(a).evaluation.every).toBe(10);
    expect(loadTrainerConfig(a).steps).toBe(7);
    writeFileSync(a, JSON.stringify({ extends: b }));
    writeFileSync(b, JSON.stringify({ extends: a }));
    expect(usageMessage(() => loadTrainerConfig(a))).toMatch(/cycle/);
  });

  it('lists the keys two configs differ in', () => {
    const base = loadTrainerConfig('default');
    expect(changedKeys(base, { ...base, steps: 9, loss: { ...base.loss, klCoefficient: 0 } })).toEqual(['loss.klCoefficient', 'steps']);
  });
});
