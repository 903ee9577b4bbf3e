// The TensorFlow.js policy that DRPO / GRPO trains (issue 10): it reads a question's image or ECG and
// its dataset, and generates its answer over the compact vocabulary under the decoding restriction of
// answer-grammar.ts; answers render to the official text (answer-rendering.ts). All questions × rollouts
// decode together, one batched GRU step per token.
import * as tf from '@tensorflow/tfjs-core';
import { policyLossTensor } from '@qoq/drpo';
import { adamWStep, createAdamWState, type AdamWState } from './adamw';
import { advanceAnswer, allowedTokens, AnswerState, type AnswerConstraint } from './answer-grammar';
import { decodeAnswerTokens, encodeGoldAnswer, renderAnswer, type PixelBox } from './answer-rendering';
import { AnswerVocabulary } from './answer-vocabulary';
import { decoderFeatureLayout } from './decoder-features';
import { registerPolicyGradients } from './kernel-gradients';
import { validatePolicyConfig, type PolicyConfig } from './policy-config';
import type {
  Completion,
  PolicyQuestion,
  PolicyState,
  PolicyUpdateBatch,
  PolicyUpdateMetrics,
  PolicyUpdateOptions,
  TrainablePolicy,
} from './policy-contract';
import { answerPositions, contextInputs as prepareContextInputs, PolicyInputError, writePosition, type AnswerPositions, type PositionEncoding } from './policy-inputs';
import { PolicyNetwork, type ContextInputs, type ParameterTensors } from './policy-network';

export { PolicyInputError };
import { initialParameters, parameterSize, parameterSpecs, policyDimensions, type ParameterSpec, type PolicyDimensions } from './policy-parameters';

interface WeightSet {
  readonly values: Float32Array[];
  tensors: tf.Tensor[];
}

export class MultimodalPolicy implements TrainablePolicy {
  readonly config: PolicyConfig;
  readonly vocabulary: AnswerVocabulary;
  readonly dims: PolicyDimensions;
  private readonly specs: readonly ParameterSpec[];
  private readonly network: PolicyNetwork;
  private readonly positionEncoding: PositionEncoding;
  private readonly weights: WeightSet;
  private readonly reference: WeightSet;
  private optimizer: AdamWState;
  private disposed = false;

  constructor(config: PolicyConfig, vocabulary: AnswerVocabulary, seed: number) {
    if (!Number.isInteger(seed)) throw new PolicyInputError(`seed must be an integer, got ${seed}`);
    if (tf.engine().backendName === null) throw new PolicyInputError('no TensorFlow.js backend: await initBackend() first');
    registerPolicyGradients();
    this.config = validatePolicyConfig(config);
    this.vocabulary = vocabulary;
    this.dims = policyDimensions(this.config, vocabulary);
    this.specs = parameterSpecs(this.config, vocabulary);
    this.network = new PolicyNetwork(this.config, this.dims);
    this.positionEncoding = { vocabulary, layout: decoderFeatureLayout(vocabulary), constraint: (question) => this.constraint(question) };
    const initial = initialParameters(this.specs, seed);
    this.weights = { values: initial, tensors: [] };
    this.reference = { values: initial.map((values) => values.slice()), tensors: [] };
    this.uploadTensors(this.weights);
    this.uploadTensors(this.reference);
    this.optimizer = createAdamWState(initial);
  }

  /** Names of the weights, in state order. */
  get parameterNames(): string[] {
    return this.specs.map((spec) => spec.name);
  }

  get parameterCount(): number {
    return this.specs.reduce((total, spec) => total + parameterSize(spec.shape), 0);
  }

  // ---------------------------------------------------------------- generation

  async sample(questions: readonly PolicyQuestion[], count: number, random: () => number): Promise<Completion[]> {
    if (!Number.isInteger(count) || count < 1) throw new PolicyInputError(`count must be an integer ≥ 1, got ${count}`);
    return this.generate(questions, count, (allowed, logProbs, offset) => {
      let total = 0;
      for (const token of allowed) total += Math.exp(logProbs[offset + token]);
      const u = random();
      if (!(u >= 0 && u < 1)) throw new PolicyInputError(`random() must return a number in [0, 1), got ${u}`);
      let threshold = u * total;
      for (const token of allowed) {
        threshold -= Math.exp(logProbs[offset + token]);
        if (threshold < 0) return token;
      }
      return allowed[allowed.length - 1];
    });
  }

  async greedy(questions: readonly PolicyQuestion[]): Promise<Completion[]> {
    return this.generate(questions, 1, (allowed, logProbs, offset) => {
      let best = allowed[0];
      for (const token of allowed) if (logProbs[offset + token] > logProbs[offset + best]) best = token;
      return best;
    });
  }

  /**
   * Decodes `count` answers per question (question-major); `choose` picks among ≥ 2 allowed tokens. Each
   * step runs the decoder on the answers still open only.
   */
  private async generate(questions: readonly PolicyQuestion[], count: number, choose: (allowed: number[], logProbs: Float32Array, offset: number) => number): Promise<Completion[]> {
    this.assertLive();
    if (questions.length === 0) return [];
    const constraints = questions.map((question) => this.constraint(question));
    const contextInputs = prepareContextInputs(this.config, this.dims, this.vocabulary, questions);
    const rows = questions.length * count;
    const questionIndex = Int32Array.from({ length: rows }, (_, r) => Math.floor(r / count));
    const states = Array.from({ length: rows }, () => new AnswerState());
    const tokens: number[][] = Array.from({ length: rows }, () => []);
    const logProbs: number[][] = Array.from({ length: rows }, () => []);
    const vocabularySize = this.dims.vocabularySize;
    const width = this.dims.decoderFeatures;
    const p = this.tensorRecord(this.weights.tensors);
    const context = tf.tidy(() => this.network.decoderContext(p, this.network.encodeContext(p, contextInputs)));
    try {
      for (;;) {
        const open: number[] = [];
        const allowedPerRow: number[][] = [];
        for (let r = 0; r < rows; r++) {
          const allowed = allowedTokens(this.vocabulary, constraints[questionIndex[r]], states[r]);
          if (allowed.length === 0) continue;
          open.push(r);
          allowedPerRow.push(allowed);
        }
        if (open.length === 0) break;
        const features = new Float32Array(open.length * width);
        const masks = new Float32Array(open.length * vocabularySize);
        open.forEach((r, i) => {
          const previous = tokens[r].length === 0 ? AnswerVocabulary.BOS : tokens[r][tokens[r].length - 1];
          writePosition(this.positionEncoding, features, masks, i, previous, states[r], allowedPerRow[i]);
        });
        const openQuestions = Int32Array.from(open, (r) => questionIndex[r]);
        const step = tf.tidy(() =>
          this.network.logProbs(
            p,
            context,
            this.network.rowSelection(openQuestions, questions.length),
            tf.tensor2d(features, [open.length, width]),
            tf.tensor2d(masks, [open.length, vocabularySize]),
          ),
        );
        // Read back asynchronously: the WebGPU backend has no synchronous read in Node.
        const values = (await step.data()) as Float32Array;
        open.forEach((r, i) => {
          const allowed = allowedPerRow[i];
          const offset = i * vocabularySize;
          const token = allowed.length === 1 ? allowed[0] : choose(allowed, values, offset);
          tokens[r].push(token);
          logProbs[r].push(values[offset + token]);
          advanceAnswer(this.vocabulary, constraints[questionIndex[r]], states[r], token);
        });
        step.dispose();
      }
    } finally {
      context.hidden.dispose();
      context.logits.dispose();
    }
    return tokens.map((sequence, r) => {
      const answerTokens = Int32Array.from(sequence);
      return { tokens: answerTokens, text: this.renderTokens(questions[questionIndex[r]], answerTokens), logProbs: Float32Array.from(logProbs[r]) };
    });
  }

  // ---------------------------------------------------------------- log-probs

  logProbs(questions: readonly PolicyQuestion[], completions: readonly Completion[], questionIndex: Int32Array): Promise<Float32Array[]> {
    return this.recomputeLogProbs(this.weights, questions, completions, questionIndex);
  }

  referenceLogProbs(questions: readonly PolicyQuestion[], completions: readonly Completion[], questionIndex: Int32Array): Promise<Float32Array[]> {
    return this.recomputeLogProbs(this.reference, questions, completions, questionIndex);
  }

  private async recomputeLogProbs(weights: WeightSet, questions: readonly PolicyQuestion[], completions: readonly Completion[], questionIndex: Int32Array): Promise<Float32Array[]> {
    this.assertLive();
    if (completions.length === 0) return [];
    const positions = answerPositions(this.positionEncoding, questions, completions.map((c) => c.tokens), questionIndex);
    const contextInputs = prepareContextInputs(this.config, this.dims, this.vocabulary, questions);
    const p = this.tensorRecord(weights.tensors);
    const tensor = tf.tidy(() => this.positionLogProbs(p, contextInputs, positions, false).logProbs);
    try {
      return this.splitPerAnswer((await tensor.data()) as Float32Array, positions);
    } finally {
      tensor.dispose();
    }
  }

  /** Log-probs (and entropies) of every position of given answers, in one pass: [M], answer-major. */
  private positionLogProbs(p: ParameterTensors, contextInputs: ContextInputs, positions: AnswerPositions, withEntropy: boolean): { logProbs: tf.Tensor1D; entropy: tf.Tensor1D | null } {
    const m = positions.count;
    const vocabularySize = this.dims.vocabularySize;
    const context = this.network.decoderContext(p, this.network.encodeContext(p, contextInputs));
    const logProbs = this.network.logProbs(
      p,
      context,
      this.network.rowSelection(positions.questionIndex, contextInputs.questionCount),
      tf.tensor2d(positions.features, [m, this.dims.decoderFeatures]),
      tf.tensor2d(positions.masks, [m, vocabularySize]),
    );
    const targets = tf.tensor2d(positions.targets, [m, vocabularySize]);
    return {
      logProbs: tf.sum(tf.mul(logProbs, targets), 1) as tf.Tensor1D,
      entropy: withEntropy ? (tf.neg(tf.sum(tf.mul(tf.exp(logProbs), logProbs), 1)) as tf.Tensor1D) : null,
    };
  }

  private splitPerAnswer(flat: Float32Array, positions: AnswerPositions): Float32Array[] {
    return Array.from(positions.lengths, (length, r) => flat.slice(positions.offsets[r], positions.offsets[r] + length));
  }

  // ---------------------------------------------------------------- updates

  update(batch: PolicyUpdateBatch, options: PolicyUpdateOptions): Promise<PolicyUpdateMetrics> {
    return this.updateWith(batch, options, true).then((result) => result.metrics);
  }

  /**
   * The loss, its metrics and the gradients of an update batch without applying them (`apply` false):
   * what a backend-parity check compares (tools/gpu). Gradients are per parameter, in `parameterNames`
   * order, null for a branch the batch does not use.
   */
  lossAndGradients(batch: PolicyUpdateBatch, options: PolicyUpdateOptions): Promise<{ metrics: PolicyUpdateMetrics; gradients: (Float32Array | null)[] }> {
    return this.updateWith(batch, options, false);
  }

  private async updateWith(batch: PolicyUpdateBatch, options: PolicyUpdateOptions, apply: boolean): Promise<{ metrics: PolicyUpdateMetrics; gradients: (Float32Array | null)[] }> {
    this.assertLive();
    checkUpdateOptions(options);
    const { questions, completions, questionIndex } = batch;
    const rows = completions.length;
    if (rows === 0) throw new PolicyInputError('update needs at least one completion');
    for (const [name, length] of [['oldLogProbs', batch.oldLogProbs.length], ['refLogProbs', batch.refLogProbs.length], ['advantages', batch.advantages.length], ['questionIndex', questionIndex.length]] as const) {
      if (length !== rows) throw new PolicyInputError(`update batch: ${name} has ${length} entries for ${rows} completions`);
    }
    const positions = answerPositions(this.positionEncoding, questions, completions.map((c) => c.tokens), questionIndex);
    const oldLogProbs = new Float32Array(positions.count);
    const refLogProbs = new Float32Array(positions.count);
    const advantages = new Float32Array(positions.count);
    for (let r = 0; r < rows; r++) {
      const length = positions.lengths[r];
      const offset = positions.offsets[r];
      const advantage = batch.advantages[r];
      if (!Number.isFinite(advantage)) throw new PolicyInputError(`update batch: advantage ${r} is not finite`);
      for (const [name, source, target] of [['oldLogProbs', batch.oldLogProbs[r], oldLogProbs], ['refLogProbs', batch.refLogProbs[r], refLogProbs]] as const) {
        if (source.length !== length) throw new PolicyInputError(`update batch: ${name}[${r}] has ${source.length} values for ${length} tokens`);
        target.set(source, offset);
      }
      advantages.fill(advantage, offset, offset + length);
    }
    const contextInputs = prepareContextInputs(this.config, this.dims, this.vocabulary, questions);
    return this.optimize(contextInputs, options, positions, apply, (p, kept) => {
      const answer = this.positionLogProbs(p, contextInputs, positions, true);
      const result = policyLossTensor(
        {
          logp: answer.logProbs,
          oldLogp: tf.tensor1d(oldLogProbs),
          refLogp: tf.tensor1d(refLogProbs),
          advantages: tf.tensor1d(advantages),
          // Every position is an answer token: answers are laid end to end, there is no padding.
          responseMask: tf.ones([positions.count]),
          entropy: answer.entropy ?? undefined,
        },
        { clipRatioLow: options.clipRatioLow, clipRatioHigh: options.clipRatioHigh, clipRatioDual: options.clipRatioDual, klCoefficient: options.klCoefficient },
      );
      kept.policyLoss = tf.keep(result.policyLoss);
      kept.klLoss = tf.keep(result.klLoss);
      kept.clipFraction = tf.keep(result.clipFraction);
      kept.dualClipFraction = tf.keep(result.dualClipFraction);
      if (result.entropy) kept.entropy = tf.keep(result.entropy);
      return result.loss;
    });
  }

  async supervisedUpdate(
    questions: readonly PolicyQuestion[],
    goldLabels: readonly (readonly string[])[],
    goldBoxes: readonly (readonly [number, number, number, number] | null)[],
    options: PolicyUpdateOptions,
  ): Promise<PolicyUpdateMetrics> {
    this.assertLive();
    checkUpdateOptions(options);
    if (goldLabels.length !== questions.length || goldBoxes.length !== questions.length) {
      throw new PolicyInputError(`supervisedUpdate: ${questions.length} questions, ${goldLabels.length} gold label lists, ${goldBoxes.length} gold boxes`);
    }
    if (questions.length === 0) throw new PolicyInputError('supervisedUpdate needs at least one question');
    const tokens = questions.map((question, i) => this.goldTokens(question, goldLabels[i], goldBoxes[i]));
    const questionIndex = Int32Array.from(questions, (_, i) => i);
    const positions = answerPositions(this.positionEncoding, questions, tokens, questionIndex);
    const contextInputs = prepareContextInputs(this.config, this.dims, this.vocabulary, questions);
    const result = await this.optimize(contextInputs, options, positions, true, (p, kept) => {
      const answer = this.positionLogProbs(p, contextInputs, positions, true);
      const loss = tf.div(tf.neg(tf.sum(answer.logProbs)), positions.count) as tf.Scalar;
      kept.policyLoss = tf.keep(tf.clone(loss));
      if (answer.entropy) kept.entropy = tf.keep(tf.mean(answer.entropy));
      return loss;
    });
    return result.metrics;
  }

  /** Gradient of `objective` w.r.t. the weights its batch uses, then one AdamW step; metrics read back. */
  private async optimize(
    contextInputs: ContextInputs,
    options: PolicyUpdateOptions,
    positions: AnswerPositions,
    apply: boolean,
    objective: (p: ParameterTensors, kept: Partial<Record<'policyLoss' | 'klLoss' | 'clipFraction' | 'dualClipFraction' | 'entropy', tf.Tensor>>) => tf.Scalar,
  ): Promise<{ metrics: PolicyUpdateMetrics; gradients: (Float32Array | null)[] }> {
    // A branch absent from the batch has no path to the loss; tf.valueAndGrads refuses such inputs.
    const used = this.specs.map((spec) => spec.branch === 'shared' || (spec.branch === 'image' ? contextInputs.imageRows.length > 0 : contextInputs.ecgRows.length > 0));
    const usedIndices = used.flatMap((isUsed, i) => (isUsed ? [i] : []));
    const kept: Partial<Record<'policyLoss' | 'klLoss' | 'clipFraction' | 'dualClipFraction' | 'entropy', tf.Tensor>> = {};
    const { value, grads } = tf.valueAndGrads((...args: tf.Tensor[]) => {
      const record: Record<string, tf.Tensor> = {};
      usedIndices.forEach((index, k) => (record[this.specs[index].name] = args[k]));
      return objective(record, kept);
    })(usedIndices.map((index) => this.weights.tensors[index]));
    const gradients: (Float32Array | null)[] = this.specs.map(() => null);
    for (const [k, index] of usedIndices.entries()) gradients[index] = (await grads[k].data()) as Float32Array;
    const read = async (tensor: tf.Tensor | undefined): Promise<number> => (tensor ? ((await tensor.data())[0] as number) : 0);
    const loss = await read(value);
    const metrics = {
      loss,
      policyLoss: await read(kept.policyLoss),
      klLoss: await read(kept.klLoss),
      clipFraction: await read(kept.clipFraction),
      dualClipFraction: await read(kept.dualClipFraction),
      entropy: await read(kept.entropy),
      tokens: positions.count,
    };
    if (!apply) {
      // Copies: the cpu backend's data() is the tensor's own array, freed just below.
      const copies = gradients.map((gradient) => (gradient === null ? null : Float32Array.from(gradient)));
      value.dispose();
      for (const gradient of grads) gradient.dispose();
      for (const tensor of Object.values(kept)) tensor?.dispose();
      return { metrics: { ...metrics, gradNorm: Math.sqrt(copies.reduce((sum, g) => sum + (g === null ? 0 : g.reduce((a, x) => a + x * x, 0)), 0)) }, gradients: copies };
    }
    const step = adamWStep(this.weights.values, gradients, this.optimizer, {
      learningRate: options.learningRate,
      weightDecay: options.weightDecay,
      maxGradNorm: options.maxGradNorm,
      beta1: this.config.adamBeta1,
      beta2: this.config.adamBeta2,
      epsilon: this.config.adamEpsilon,
    });
    // Disposed only now: the cpu backend's dataSync returns the tensor's own array.
    value.dispose();
    for (const gradient of grads) gradient.dispose();
    for (const tensor of Object.values(kept)) tensor?.dispose();
    if (step.applied) this.uploadTensors(this.weights);
    // The gradient arrays may belong to the disposed tensors (cpu backend): not handed out.
    return { metrics: { ...metrics, gradNorm: step.gradNorm }, gradients: [] };
  }

  // ---------------------------------------------------------------- state

  getState(): PolicyState {
    const names = this.parameterNames;
    return {
      names: [...names, ...names.map((name) => `${name}/m`), ...names.map((name) => `${name}/v`)],
      shapes: [...this.specs, ...this.specs, ...this.specs].map((spec) => [...spec.shape]),
      values: [...this.weights.values, ...this.optimizer.firstMoments, ...this.optimizer.secondMoments].map((values) => values.slice()),
      optimizerStep: this.optimizer.step,
    };
  }

  setState(state: PolicyState): void {
    this.assertLive();
    const names = this.parameterNames;
    const expected = [...names, ...names.map((name) => `${name}/m`), ...names.map((name) => `${name}/v`)];
    const specs = [...this.specs, ...this.specs, ...this.specs];
    this.checkState(state, expected, specs);
    if (!Number.isInteger(state.optimizerStep) || state.optimizerStep < 0) throw new PolicyInputError(`policy state: optimizerStep ${state.optimizerStep} is not a step count`);
    const count = names.length;
    state.values.forEach((values, i) => {
      const target = i < count ? this.weights.values[i] : i < 2 * count ? this.optimizer.firstMoments[i - count] : this.optimizer.secondMoments[i - 2 * count];
      target.set(values);
    });
    this.optimizer.step = state.optimizerStep;
    this.uploadTensors(this.weights);
  }

  getReferenceState(): PolicyState {
    return {
      names: this.parameterNames,
      shapes: this.specs.map((spec) => [...spec.shape]),
      values: this.reference.values.map((values) => values.slice()),
      optimizerStep: 0,
    };
  }

  setReferenceState(state: PolicyState): void {
    this.assertLive();
    this.checkState(state, this.parameterNames, this.specs);
    state.values.forEach((values, i) => this.reference.values[i].set(values));
    this.uploadTensors(this.reference);
  }

  private checkState(state: PolicyState, names: readonly string[], specs: readonly ParameterSpec[]): void {
    if (state.names.length !== names.length || state.values.length !== names.length || state.shapes.length !== names.length) {
      throw new PolicyInputError(`policy state has ${state.names.length} arrays, this policy ${names.length} (another architecture or vocabulary?)`);
    }
    names.forEach((name, i) => {
      if (state.names[i] !== name) throw new PolicyInputError(`policy state array ${i} is "${state.names[i]}", expected "${name}"`);
      const shape = specs[i].shape;
      if (state.shapes[i].length !== shape.length || state.shapes[i].some((extent, k) => extent !== shape[k])) {
        throw new PolicyInputError(`policy state "${name}" has shape [${state.shapes[i].join(', ')}], expected [${shape.join(', ')}]`);
      }
      if (state.values[i].length !== parameterSize(shape)) throw new PolicyInputError(`policy state "${name}" has ${state.values[i].length} values, expected ${parameterSize(shape)}`);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    for (const tensor of [...this.weights.tensors, ...this.reference.tensors]) tensor.dispose();
    this.disposed = true;
  }

  // ---------------------------------------------------------------- answers

  /** The restriction of a question (validated against the vocabulary). */
  constraint(question: PolicyQuestion): AnswerConstraint {
    if (question.labelSet.length === 0) throw new PolicyInputError(`question ${question.id}: empty label set`);
    if (new Set(question.labelSet).size !== question.labelSet.length) throw new PolicyInputError(`question ${question.id}: label set repeats a label`);
    const labelTokens = Int32Array.from(question.labelSet, (label) => {
      if (!this.vocabulary.hasLabel(label)) throw new PolicyInputError(`question ${question.id}: label "${label}" is not in the policy's vocabulary`);
      return this.vocabulary.labelToken(label);
    });
    const perQuestion = question.maxAnswerLabels;
    if (perQuestion !== undefined && (!Number.isInteger(perQuestion) || perQuestion < 1)) {
      throw new PolicyInputError(`question ${question.id}: maxAnswerLabels must be an integer ≥ 1, got ${perQuestion}`);
    }
    if (question.boxTask && (question.imageWidth === null || question.imageHeight === null || !(question.imageWidth > 0) || !(question.imageHeight > 0))) {
      throw new PolicyInputError(`question ${question.id}: a box task needs imageWidth and imageHeight`);
    }
    return {
      labelTokens,
      boxTask: question.boxTask,
      maxLabels: Math.min(this.config.maxAnswerLabels, perQuestion ?? Number.POSITIVE_INFINITY),
      maxBoxes: this.config.maxBoxes,
    };
  }

  /** The official answer text of a token sequence for this question. */
  renderTokens(question: PolicyQuestion, tokens: ArrayLike<number>): string {
    return renderAnswer(this.vocabulary, decodeAnswerTokens(this.vocabulary, tokens), question);
  }

  /** The gold answer as the tokens the restricted decoder can produce (see encodeGoldAnswer). */
  goldTokens(question: PolicyQuestion, labels: readonly string[], box: PixelBox | null): Int32Array {
    return encodeGoldAnswer(this.vocabulary, this.constraint(question), question.labelSet, labels, box, question);
  }

  private tensorRecord(tensors: readonly tf.Tensor[]): ParameterTensors {
    return Object.fromEntries(this.specs.map((spec, i) => [spec.name, tensors[i]]));
  }

  /** (Re)makes the tensors of a weight set from its arrays (copied: the cpu backend would alias them). */
  private uploadTensors(set: WeightSet): void {
    for (const tensor of set.tensors) tensor.dispose();
    set.tensors = this.specs.map((spec, i) => tf.tensor(set.values[i].slice(), [...spec.shape], 'float32'));
  }

  private assertLive(): void {
    if (this.disposed) throw new PolicyInputError('the policy was disposed');
  }
}

function checkUpdateOptions(options: PolicyUpdateOptions): void {
  for (const key of ['learningRate', 'weightDecay', 'maxGradNorm', 'clipRatioLow', 'clipRatioHigh', 'clipRatioDual', 'klCoefficient'] as const) {
    const value = options[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new PolicyInputError(`update option ${key} must be a finite number ≥ 0, got ${value}`);
  }
  if (!(options.maxGradNorm > 0)) throw new PolicyInputError('update option maxGradNorm must be > 0');
}

/** A policy with seeded initial weights; the reference policy is a frozen copy of them. */
export function createPolicy(config: PolicyConfig, vocabulary: AnswerVocabulary, seed: number): MultimodalPolicy {
  return new MultimodalPolicy(config, vocabulary, seed);
}
