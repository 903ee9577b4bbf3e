// Gradients of the kernels the policy differentiates through. tfjs-core registers its gradient functions
// only from its ESM build (dist/register_all_gradients.js, extensionless imports that Node cannot load
// under tsx or vitest); the CommonJS bundle Node loads (dist/tf-core.node.js) has none, so
// tf.variableGrads fails with "gradient function not found for Add". These are the same derivatives,
// written against the public API and registered once (an already registered gradient is kept).
// Every one is checked against central finite differences in kernel-gradients.spec.ts.
import * as tf from '@tensorflow/tfjs-core';

type GradFunc = tf.GradConfig['gradFunc'];

/** Sums the gradient of a broadcast operand back to the operand's shape. */
function unbroadcast(dy: tf.Tensor, shape: number[], outShape: number[]): tf.Tensor {
  const axes = tf.backend_util.getReductionAxes(shape, outShape);
  const reduced = axes.length > 0 ? tf.sum(dy, axes) : dy;
  return tf.reshape(reduced, shape);
}

function binary(kernelName: string, derivatives: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => [tf.Tensor, tf.Tensor]): tf.GradConfig {
  const gradFunc: GradFunc = (dy, saved) => {
    const [a, b] = saved as tf.Tensor[];
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    return {
      a: () => unbroadcast(derivatives(dy as tf.Tensor, a, b)[0], a.shape, outShape),
      b: () => unbroadcast(derivatives(dy as tf.Tensor, a, b)[1], b.shape, outShape),
    };
  };
  return { kernelName, inputsToSave: ['a', 'b'], gradFunc };
}

/** Shape of a reduction's output with the reduced axes kept as 1, so it broadcasts against the input. */
function keptShape(shape: number[], axis: number | number[]): number[] {
  const kept = shape.slice();
  for (const a of tf.util.parseAxisParam(axis, shape)) kept[a] = 1;
  return kept;
}

const float = (x: tf.Tensor): tf.Tensor => tf.cast(x, 'float32');

/** Swaps the last two axes. */
function transposeLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[perm.length - 2] = perm.length - 1;
  perm[perm.length - 1] = perm.length - 2;
  return tf.transpose(x, perm);
}

/**
 * a·b with optional transposes, done as an explicit transpose and a plain matMul: the WebAssembly
 * backend runs a transposed operand ~10× slower than a transpose followed by its XNNPACK kernel.
 */
function product(a: tf.Tensor, b: tf.Tensor, transposeA: boolean, transposeB: boolean): tf.Tensor {
  return tf.matMul(transposeA ? transposeLast(a) : a, transposeB ? transposeLast(b) : b);
}

export const POLICY_GRADIENT_CONFIGS: readonly tf.GradConfig[] = [
  binary('Add', (dy) => [dy, dy]),
  binary('Sub', (dy) => [dy, tf.neg(dy)]),
  binary('Multiply', (dy, a, b) => [tf.mul(dy, float(b)), tf.mul(dy, float(a))]),
  binary('RealDiv', (dy, a, b) => [tf.div(dy, float(b)), tf.neg(tf.div(tf.mul(dy, float(a)), tf.square(float(b))))]),
  {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved, attrs) => {
      const [a, b] = saved as tf.Tensor[];
      const d = dy as tf.Tensor;
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return { a: () => product(d, b, false, true), b: () => product(a, d, true, false) };
      if (!transposeA && transposeB) return { a: () => product(d, b, false, false), b: () => product(d, a, true, false) };
      if (transposeA && !transposeB) return { a: () => product(b, d, false, true), b: () => product(a, d, false, false) };
      return { a: () => product(b, d, true, true), b: () => product(d, a, true, true) };
    },
  },
  { kernelName: 'Neg', gradFunc: (dy) => ({ x: () => tf.neg(dy as tf.Tensor) }) },
  { kernelName: 'Cast', gradFunc: (dy) => ({ x: () => tf.clone(dy as tf.Tensor) }) },
  { kernelName: 'Reshape', inputsToSave: ['x'], gradFunc: (dy, saved) => ({ x: () => tf.reshape(dy as tf.Tensor, (saved as tf.Tensor[])[0].shape) }) },
  {
    kernelName: 'Relu',
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, tf.step(float((saved as tf.Tensor[])[0]))) }),
  },
  {
    kernelName: 'Tanh',
    outputsToSave: [true],
    gradFunc: (dy, saved) => ({ x: () => tf.mul(tf.sub(1, tf.square((saved as tf.Tensor[])[0])), dy as tf.Tensor) }),
  },
  {
    kernelName: 'Sigmoid',
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved as tf.Tensor[];
      return { x: () => tf.mul(dy as tf.Tensor, tf.mul(y, tf.sub(1, y))) };
    },
  },
  { kernelName: 'Exp', outputsToSave: [true], gradFunc: (dy, saved) => ({ x: () => tf.mul(dy as tf.Tensor, (saved as tf.Tensor[])[0]) }) },
  { kernelName: 'Log', inputsToSave: ['x'], gradFunc: (dy, saved) => ({ x: () => tf.div(dy as tf.Tensor, float((saved as tf.Tensor[])[0])) }) },
  {
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as tf.Tensor[];
      const { axis } = attrs as unknown as { axis: number | number[] };
      return { x: () => tf.mul(tf.reshape(dy as tf.Tensor, keptShape(x.shape, axis)), tf.ones(x.shape, 'float32')) };
    },
  },
  {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as tf.Tensor[];
      const { axis } = attrs as unknown as { axis: number | number[] };
      const axes = tf.util.parseAxisParam(axis, x.shape);
      const count = axes.reduce((product, a) => product * x.shape[a], 1);
      return { x: () => tf.div(tf.mul(tf.reshape(dy as tf.Tensor, keptShape(x.shape, axis)), tf.ones(x.shape, 'float32')), count) };
    },
  },
  {
    kernelName: 'Slice',
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as tf.Tensor[];
      const { begin, size } = attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [begins, sizes] = tf.slice_util.parseSliceParams(x, begin, size);
      const paddings = x.shape.map((extent, i): [number, number] => [begins[i], extent - begins[i] - sizes[i]]);
      return { x: () => tf.pad(dy as tf.Tensor, paddings) };
    },
  },
  {
    kernelName: 'Pack',
    saveAllInputs: true,
    gradFunc: (dy, _saved, attrs) => {
      const { axis } = attrs as unknown as { axis: number };
      // Inputs of Pack are an array: the gradient map is keyed by position.
      return Object.fromEntries(tf.unstack(dy as tf.Tensor, axis).map((part, i) => [String(i), () => part]));
    },
  },
];

let registered = false;

/** Registers the gradients above where none is registered yet (idempotent). */
export function registerPolicyGradients(): void {
  if (registered) return;
  for (const config of POLICY_GRADIENT_CONFIGS) {
    if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
  }
  registered = true;
}
