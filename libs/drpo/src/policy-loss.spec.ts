import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { lowVarKl } from './kl-damping';
import { dualClipTokenLoss, policyLoss } from './policy-loss';
import { policyLossTensor } from './policy-loss-tensor';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('dual-clip PPO per token (clip 0.2 / 0.3, c = 3.0)', () => {
  it('is −A·ratio inside the clip range', () => {
    const { loss, clipped } = dualClipTokenLoss(Math.log(1.1), 0, 2);
    expect(loss).toBeCloseTo(-2 * 1.1, 12);
    expect(clipped).toBe(false);
  });
  it('clips a positive advantage at ratio 1.3', () => {
    const { loss, clipped } = dualClipTokenLoss(Math.log(2), 0, 1);
    expect(loss).toBeCloseTo(-1.3, 12);
    expect(clipped).toBe(true);
  });
  it('keeps the pessimistic unclipped term for a negative advantage below 1.3', () => {
    expect(dualClipTokenLoss(Math.log(1.2), 0, -1).loss).toBeCloseTo(1.2, 12);
    expect(dualClipTokenLoss(Math.log(0.5), 0, -1).loss).toBeCloseTo(0.8, 12);
  });
  it('caps a negative advantage at −A·3 (the dual clip)', () => {
    const token = dualClipTokenLoss(Math.log(10), 0, -1);
    expect(token.loss).toBe(3);
    expect(token.dualClipped).toBe(true);
  });
});

describe('the k3 KL term', () => {
  it('is exp(d) − d − 1 with d = ref − logp, clamped to [−10, 10]', () => {
    expect(lowVarKl(0, 0)).toBe(0);
    expect(lowVarKl(-1, -0.5)).toBeCloseTo(Math.exp(0.5) - 0.5 - 1, 14);
    expect(lowVarKl(-20, 0)).toBe(10);
  });
});

describe('the loss over a micro-batch', () => {
  it('is the token-mean over response tokens plus 1e-4 · token-mean KL, padding ignored', () => {
    const result = policyLoss({
      logp: [Math.log(1.1), Math.log(2), 5],
      oldLogp: [0, 0, 0],
      refLogp: [0, 0, 0],
      advantages: [2, 1, 100],
      responseMask: [1, 1, 0],
      entropy: [1, 3, 100],
    });
    const kl = (lowVarKl(Math.log(1.1), 0) + lowVarKl(Math.log(2), 0)) / 2;
    expect(result.policyLoss).toBeCloseTo((-2.2 - 1.3) / 2, 12);
    expect(result.klLoss).toBeCloseTo(kl, 14);
    expect(result.loss).toBeCloseTo(result.policyLoss + 1e-4 * kl, 14);
    expect(result.clipFraction).toBe(0.5);
    expect(result.entropy).toBe(2);
  });

  it('agrees between float64 arrays and tfjs tensors, and has gradients', () => {
    const token = fc.record({
      logp: fc.double({ min: -6, max: 0, noNaN: true }),
      delta: fc.double({ min: -1, max: 1, noNaN: true }),
      ref: fc.double({ min: -6, max: 0, noNaN: true }),
      advantage: fc.double({ min: -3, max: 3, noNaN: true }),
      mask: fc.constantFrom(0, 1, 1, 1),
    });
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 24 }), (tokens) => {
        const logp = tokens.map((t) => Math.fround(t.logp));
        const oldLogp = tokens.map((t) => Math.fround(t.logp + t.delta));
        const refLogp = tokens.map((t) => Math.fround(t.ref));
        const advantages = tokens.map((t) => Math.fround(t.advantage));
        const responseMask = tokens.map((t) => t.mask);
        const expected = policyLoss({ logp, oldLogp, refLogp, advantages, responseMask });
        const [loss, gradient] = tf.tidy(() => {
          const variable = tf.tensor1d(logp);
          const f = (x: tf.Tensor) =>
            policyLossTensor({ logp: x, oldLogp: tf.tensor1d(oldLogp), refLogp: tf.tensor1d(refLogp), advantages: tf.tensor1d(advantages), responseMask: tf.tensor1d(responseMask) }).loss;
          return [f(variable).dataSync()[0], tf.grad(f)(variable).dataSync()];
        });
        expect(Math.abs(loss - expected.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(expected.loss)));
        // The written-out gradient against central differences of the float64 loss.
        gradient.forEach((g, i) => {
          const h = 1e-6;
          const shifted = (delta: number) => policyLoss({ logp: logp.map((x, j) => (j === i ? x + delta : x)), oldLogp, refLogp, advantages, responseMask }).loss;
          const numeric = (shifted(h) - shifted(-h)) / (2 * h);
          // Kinks (the clip boundaries) are measure-zero; skip tokens within h of one.
          const logRatio = logp[i] - oldLogp[i];
          const nearKink = [Math.log(0.8), Math.log(1.3), Math.log(3)].some((k) => Math.abs(logRatio - k) < 1e-4);
          if (!nearKink) expect(Math.abs(g - numeric)).toBeLessThan(1e-3 * Math.max(1, Math.abs(numeric)));
        });
        responseMask.forEach((m, i) => m === 0 && expect(Math.abs(gradient[i])).toBe(0));
      }),
      { numRuns: 80 },
    );
  });

  it('reports the same clip fractions and entropy from tensors as from arrays', () => {
    const arrays = { logp: [Math.log(2), Math.log(10), 0, -1], oldLogp: [0, 0, 0, -1], refLogp: [0, 0, 0, 0], advantages: [1, -1, 0.5, 2], responseMask: [1, 1, 1, 0], entropy: [0.5, 1, 1.5, 9] };
    const expected = policyLoss(arrays);
    const [clip, dual, entropy] = tf.tidy(() => {
      const r = policyLossTensor({
        logp: tf.tensor1d(arrays.logp),
        oldLogp: tf.tensor1d(arrays.oldLogp),
        refLogp: tf.tensor1d(arrays.refLogp),
        advantages: tf.tensor1d(arrays.advantages),
        responseMask: tf.tensor1d(arrays.responseMask),
        entropy: tf.tensor1d(arrays.entropy),
      });
      return [r.clipFraction.dataSync()[0], r.dualClipFraction.dataSync()[0], r.entropy?.dataSync()[0]];
    });
    expect(clip).toBeCloseTo(expected.clipFraction, 6);
    expect(dual).toBeCloseTo(expected.dualClipFraction, 6);
    expect(entropy).toBeCloseTo(expected.entropy ?? Number.NaN, 6);
    expect(expected.clipFraction).toBeCloseTo(1 / 3, 12);
    expect(expected.dualClipFraction).toBeCloseTo(1 / 3, 12);
  });

  it('pushes logp up for a positive advantage and down for a negative one', () => {
    const gradient = tf.tidy(() =>
      tf.grad((x: tf.Tensor) =>
        policyLossTensor({ logp: x, oldLogp: tf.zeros([2]), refLogp: tf.zeros([2]), advantages: tf.tensor1d([1, -1]), responseMask: tf.ones([2]) }).loss,
      )(tf.zeros([2])).dataSync(),
    );
    expect(gradient[0]).toBeLessThan(0);
    expect(gradient[1]).toBeGreaterThan(0);
  });
});
