// The forward pass, as tfjs-core ops over a record of parameter tensors (so the same code runs the
// current weights, the frozen reference and the gradient pass). Only ops whose gradients
// kernel-gradients.ts registers are on the differentiated path: matMul, add/sub/mul, reshape, relu,
// tanh, mean, sum, logSoftmax (its own custom gradient). No conv2d and no gather:
// WebAssembly has no gradient kernel for a conv filter or a gather, so image patches are cut in
// JavaScript (the input needs no gradient) and every lookup — dataset embedding, token embedding, the
// rows of a question — is a one-hot (or selection) matrix times a weight matrix.
//
//   image [S,S,3] → P×P patches → matMul → + position → relu → flatten → matMul ┐
//   ECG [8,2500] → 50-sample patches per lead → matMul → relu → mean over time → matMul ├→ tanh → context
//   dataset one-hot → matMul ────────────────────────────────────────────────────────┘
//   decoder: prefix features (decoder-features.ts) → matMul + context·W → relu → residual relu layer →
//   logits = h·W + context·W' + b + mask bias (0 allowed, −1e9 forbidden) → logSoftmax.
import * as tf from '@tensorflow/tfjs-core';
import { ECG_LEADS, type PolicyConfig } from './policy-config';
import type { PolicyDimensions } from './policy-parameters';

export type ParameterTensors = Readonly<Record<string, tf.Tensor>>;

/** The bias that removes a token from the softmax: finite, so that 0 × log-prob stays 0 (−∞ gives NaN). */
export const MASKED_LOGIT = -1e9;

/** Network inputs of N questions, prepared in JavaScript. */
export interface ContextInputs {
  readonly questionCount: number;
  /** [images × patches, P·P·3], pixel − 0.5. */
  readonly imagePatches: Float32Array;
  /** Question index of each image. */
  readonly imageRows: Int32Array;
  /** [ECGs × 8 × patchesPerLead, patchLength] (the lead-major [8, 2500] array as is). */
  readonly ecgPatches: Float32Array;
  readonly ecgRows: Int32Array;
  readonly datasetIndices: Int32Array;
}

export class PolicyNetwork {
  constructor(
    readonly config: PolicyConfig,
    readonly dims: PolicyDimensions,
  ) {}

  /** [count, N] selection matrix: row i picks question rows[i]. */
  private selection(rows: Int32Array, questionCount: number): tf.Tensor2D {
    const values = new Float32Array(rows.length * questionCount);
    for (let i = 0; i < rows.length; i++) values[i * questionCount + rows[i]] = 1;
    return tf.tensor2d(values, [rows.length, questionCount]);
  }

  /** Its transpose, [N, count]: scatters per-item features to their questions (a transposed matMul operand is slow on wasm). */
  private scatter(rows: Int32Array, questionCount: number): tf.Tensor2D {
    const values = new Float32Array(questionCount * rows.length);
    for (let i = 0; i < rows.length; i++) values[rows[i] * rows.length + i] = 1;
    return tf.tensor2d(values, [questionCount, rows.length]);
  }

  /** [N, contextWidth]. */
  encodeContext(p: ParameterTensors, inputs: ContextInputs): tf.Tensor2D {
    const { config, dims } = this;
    const n = inputs.questionCount;
    const datasetOneHot = tf.oneHot(tf.tensor1d(inputs.datasetIndices, 'int32'), dims.datasets);
    let sum: tf.Tensor = tf.matMul(tf.cast(datasetOneHot, 'float32'), p['dataset/embedding']);
    const images = inputs.imageRows.length;
    if (images > 0) {
      const patches = tf.tensor2d(inputs.imagePatches, [images * dims.imagePatches, dims.imagePatchFeatures]);
      const embedded = tf.add(tf.matMul(patches, p['image/patch_W']), p['image/patch_b']);
      const positioned = tf.relu(tf.add(tf.reshape(embedded, [images, dims.imagePatches, config.patchWidth]), p['image/position']));
      const flat = tf.reshape(positioned, [images, dims.imagePatches * config.patchWidth]);
      const feature = tf.add(tf.matMul(flat, p['image/projection_W']), p['image/projection_b']);
      sum = tf.add(sum, tf.matMul(this.scatter(inputs.imageRows, n), feature));
    }
    const ecgs = inputs.ecgRows.length;
    if (ecgs > 0) {
      const perLead = dims.ecgPatchesPerLead;
      const patches = tf.tensor2d(inputs.ecgPatches, [ecgs * ECG_LEADS * perLead, config.ecgPatchLength]);
      const embedded = tf.relu(tf.add(tf.matMul(patches, p['ecg/patch_W']), p['ecg/patch_b']));
      const pooled = tf.mean(tf.reshape(embedded, [ecgs * ECG_LEADS, perLead, config.ecgPatchWidth]), 1);
      const flat = tf.reshape(pooled, [ecgs, ECG_LEADS * config.ecgPatchWidth]);
      const feature = tf.add(tf.matMul(flat, p['ecg/projection_W']), p['ecg/projection_b']);
      sum = tf.add(sum, tf.matMul(this.scatter(inputs.ecgRows, n), feature));
    }
    return tf.tanh(tf.add(sum, p['context/b'])) as tf.Tensor2D;
  }

  /** Per question: the context's contribution to the decoder's hidden layer and to the logits. */
  decoderContext(p: ParameterTensors, context: tf.Tensor2D): DecoderContext {
    return {
      hidden: tf.add(tf.matMul(context, p['decoder/context_W']), p['decoder/hidden_b']) as tf.Tensor2D,
      logits: tf.add(tf.matMul(context, p['decoder/context_output_W']), p['decoder/output_b']) as tf.Tensor2D,
    };
  }

  /** The [rows, N] selection matrix of rows answering questions `questionIndex` (a constant input). */
  rowSelection(questionIndex: Int32Array, questionCount: number): tf.Tensor2D {
    return this.selection(questionIndex, questionCount);
  }

  /**
   * Log-probs of the next token at M positions: [M, F] prefix features, [M, N] selection of each
   * position's question, [M, V] mask bias → [M, V]. Positions are independent: a sampling step passes
   * the R rows of one step, a recomputation all T·R positions at once.
   */
  logProbs(p: ParameterTensors, context: DecoderContext, selection: tf.Tensor2D, features: tf.Tensor2D, maskBias: tf.Tensor2D): tf.Tensor2D {
    const hidden = tf.relu(tf.add(tf.matMul(features, p['decoder/prefix_W']), tf.matMul(selection, context.hidden)));
    const residual = tf.add(hidden, tf.relu(tf.add(tf.matMul(hidden, p['decoder/residual_W']), p['decoder/residual_b'])));
    const logits = tf.add(tf.add(tf.matMul(residual, p['decoder/output_W']), tf.matMul(selection, context.logits)), maskBias);
    return tf.logSoftmax(logits) as tf.Tensor2D;
  }
}

// A type alias, not an interface: tf.tidy accepts it as a TensorContainer.
export type DecoderContext = {
  readonly hidden: tf.Tensor2D;
  readonly logits: tf.Tensor2D;
};

