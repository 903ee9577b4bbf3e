import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '@qoq/runtime';
import { DEBIAN_PYTHON, requireOracle } from '@qoq/testing';
import { adamWStep, createAdamWState } from './adamw';

const hasTorch = requireOracle('torch');

/** Debian's python with torch, asynchronously (a long spawnSync would block the Vitest worker). */
function python(script: string, input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, ['-c', script]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`python exited ${code}: ${stderr.slice(-2000)}`))));
    child.stdin.end(input);
  });
}

// torch.optim.AdamW after torch.nn.utils.clip_grad_norm_, the released trainer's optimizer step.
const TORCH_ADAMW = `
import json, sys, torch
case = json.load(sys.stdin)
params = [torch.nn.Parameter(torch.tensor(w, dtype=torch.float32)) for w in case['weights']]
opt = torch.optim.AdamW(params, lr=case['lr'], betas=(0.9, 0.999), eps=1e-8, weight_decay=case['wd'], foreach=False)
norms = []
for step in case['grads']:
    opt.zero_grad(set_to_none=False)
    for p, g in zip(params, step):
        p.grad = torch.zeros_like(p) if g is None else torch.tensor(g, dtype=torch.float32)
    norms.append(float(torch.nn.utils.clip_grad_norm_(params, case['max_norm'])))
    opt.step()
print(json.dumps({'weights': [p.detach().numpy().astype('float64').tolist() for p in params], 'norms': norms}))
`;

describe('AdamW with global-norm clipping', () => {
  it.skipIf(!hasTorch)('matches torch.optim.AdamW after clip_grad_norm_ step for step', async () => {
    const random = mulberry32(5);
    const draw = (n: number, scale: number) => Array.from({ length: n }, () => (random() - 0.5) * scale);
    const weights = [draw(12, 2), draw(5, 2)];
    // Large gradients (clipped) and small ones (not), and a step where the second parameter has none.
    const grads: (number[] | null)[][] = [
      [draw(12, 4), draw(5, 4)],
      [draw(12, 0.01), draw(5, 0.01)],
      [draw(12, 1), null],
      [draw(12, 3), draw(5, 0.2)],
      [draw(12, 0.05), draw(5, 0.05)],
    ];
    const lr = 0.01;
    const wd = 0.1;
    const maxNorm = 0.5;
    const torch = JSON.parse(await python(TORCH_ADAMW, JSON.stringify({ weights, grads, lr, wd, max_norm: maxNorm }))) as { weights: number[][]; norms: number[] };

    const ours = weights.map((w) => Float32Array.from(w));
    const state = createAdamWState(ours);
    const norms = grads.map((step) => {
      const result = adamWStep(ours, step.map((g) => (g === null ? null : Float32Array.from(g))), state, { learningRate: lr, weightDecay: wd, maxGradNorm: maxNorm, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
      expect(result.applied).toBe(true);
      return result.gradNorm;
    });
    expect(state.step).toBe(5);
    norms.forEach((norm, i) => expect(norm).toBeCloseTo(torch.norms[i], 5));
    ours.forEach((w, p) => w.forEach((value, i) => expect(Math.abs(value - torch.weights[p][i])).toBeLessThan(2e-6)));
    // Not trivially equal to the start: the step moved every weight.
    ours.forEach((w, p) => w.forEach((value, i) => expect(value).not.toBe(Math.fround(weights[p][i]))));
  });

  it('skips a step whose gradient norm is not finite', () => {
    const w = [Float32Array.from([1, 2, 3])];
    const state = createAdamWState(w);
    const result = adamWStep(w, [Float32Array.from([1, Number.NaN, 0])], state, { learningRate: 0.1, weightDecay: 0.1, maxGradNorm: 1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
    expect(result.applied).toBe(false);
    expect(state.step).toBe(0);
    expect([...w[0]]).toEqual([1, 2, 3]);
  });
});
