import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@qoq/runtime';
import { POLICY_GRADIENT_CONFIGS } from './kernel-gradients';
import { initBackend, type PolicyBackend } from './tf-backend';

/** Random values in [low, high), seeded. */
function values(count: number, seed: number, low = -1, high = 1): Float32Array {
  const random = mulberry32(seed);
  return Float32Array.from({ length: count }, () => low + (high - low) * random());
}

/**
 * Compares tf.grads of sum(f(xs) · w) (a random projection, so every output element matters) with central
 * finite differences in float64 of the same float32 forward pass.
 */
function checkGradient(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: { shape: number[]; low?: number; high?: number }[], seed: number): void {
  const xs = inputs.map((input, i) => values(input.shape.reduce((a, b) => a * b, 1), seed + i, input.low, input.high));
  const outputShape = tf.tidy(() => f(...xs.map((x, i) => tf.tensor(x, inputs[i].shape))).shape);
  const weights = values(outputShape.reduce((a, b) => a * b, 1), seed + 99);
  const objective = (...args: tf.Tensor[]): tf.Scalar => tf.sum(tf.mul(f(...args), tf.tensor(weights, outputShape))) as tf.Scalar;
  const analytic = tf.tidy(() => tf.grads(objective)(xs.map((x, i) => tf.tensor(x, inputs[i].shape))).map((g) => g.dataSync().slice()));
  const at = (replaced: Float32Array[]): number => tf.tidy(() => objective(...replaced.map((x, i) => tf.tensor(x, inputs[i].shape))).dataSync()[0]);
  const eps = 1e-2;
  xs.forEach((x, i) => {
    expect(analytic[i].length).toBe(x.length);
    for (let k = 0; k < x.length; k++) {
      const plus = xs.map((v) => v.slice());
      const minus = xs.map((v) => v.slice());
      plus[i][k] += eps;
      minus[i][k] -= eps;
      const numeric = (at(plus) - at(minus)) / (2 * eps);
      expect(Math.abs(analytic[i][k] - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
    }
  });
}

describe.each<PolicyBackend>(['cpu', 'wasm'])('kernel gradients on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  it('registers a gradient for every kernel of the differentiated path', () => {
    for (const config of POLICY_GRADIENT_CONFIGS) expect(tf.getGradient(config.kernelName), config.kernelName).toBeDefined();
  });

  it('matMul, in all four transpose modes and batched', () => {
    checkGradient((a, b) => tf.matMul(a, b), [{ shape: [3, 4] }, { shape: [4, 2] }], 1);
    checkGradient((a, b) => tf.matMul(a, b, true, false), [{ shape: [4, 3] }, { shape: [4, 2] }], 2);
    checkGradient((a, b) => tf.matMul(a, b, false, true), [{ shape: [3, 4] }, { shape: [2, 4] }], 3);
    checkGradient((a, b) => tf.matMul(a, b, true, true), [{ shape: [4, 3] }, { shape: [2, 4] }], 4);
    checkGradient((a, b) => tf.matMul(a, b), [{ shape: [2, 3, 4] }, { shape: [2, 4, 2] }], 5);
  });

  it('add, sub, mul and div with broadcasting', () => {
    checkGradient((a, b) => tf.add(a, b), [{ shape: [3, 4] }, { shape: [4] }], 10);
    checkGradient((a, b) => tf.sub(a, b), [{ shape: [2, 3, 4] }, { shape: [3, 4] }], 11);
    checkGradient((a, b) => tf.mul(a, b), [{ shape: [3, 1] }, { shape: [3, 4] }], 12);
    checkGradient((a, b) => tf.div(a, b), [{ shape: [3, 4] }, { shape: [4], low: 1, high: 2 }], 13);
  });

  it('unary kernels: neg, relu, tanh, sigmoid, exp, log, cast', () => {
    checkGradient((x) => tf.neg(x), [{ shape: [5] }], 20);
    checkGradient((x) => tf.relu(x), [{ shape: [6], low: 0.1, high: 1 }], 21);
    checkGradient((x) => tf.relu(x), [{ shape: [6], low: -1, high: -0.1 }], 22);
    checkGradient((x) => tf.tanh(x), [{ shape: [2, 3] }], 23);
    checkGradient((x) => tf.sigmoid(x), [{ shape: [2, 3] }], 24);
    checkGradient((x) => tf.exp(x), [{ shape: [4] }], 25);
    checkGradient((x) => tf.log(x), [{ shape: [4], low: 0.5, high: 2 }], 26);
    checkGradient((x) => tf.cast(x, 'float32'), [{ shape: [4] }], 27);
  });

  it('reshape, sum, mean, slice, stack and logSoftmax', () => {
    checkGradient((x) => tf.reshape(x, [6, 2]), [{ shape: [3, 4] }], 30);
    checkGradient((x) => tf.sum(x, 1), [{ shape: [3, 4] }], 31);
    checkGradient((x) => tf.sum(x), [{ shape: [3, 4] }], 32);
    checkGradient((x) => tf.mean(x, 1), [{ shape: [2, 5, 3] }], 33);
    checkGradient((x) => tf.slice(x, [0, 2], [3, 3]), [{ shape: [3, 7] }], 34);
    checkGradient((a, b) => tf.stack([a, b]), [{ shape: [2, 3] }, { shape: [2, 3] }], 35);
    checkGradient((x) => tf.logSoftmax(x), [{ shape: [3, 5] }], 36);
  });
});
