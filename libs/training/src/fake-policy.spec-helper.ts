// A small deterministic TrainablePolicy for the loop's tests (a test double, not a model): per dataset a
// linear softmax over its labels from 5 features of the question (a bias and a one-hot of the mean
// intensity of its image or ECG in 4 buckets). A completion is one label token, rendered in the official
// answer format; update() is the dual-clip PPO objective with k3 KL differentiated by hand, with global
// norm clipping and AdamW, all in float64 and stored as float32 — so a state round trip is exact and two
// runs are bitwise equal.
import { policyLoss } from '@qoq/drpo';
import type { Completion, PolicyQuestion, PolicyState, PolicyUpdateBatch, PolicyUpdateMetrics, PolicyUpdateOptions, TrainablePolicy } from '@qoq/policy';

const FEATURES = 5;
const BUCKETS = 4;

export function fakeFeatures(question: PolicyQuestion): Float64Array {
  const values = question.image ?? question.ecg;
  const features = new Float64Array(FEATURES);
  features[0] = 1;
  if (values && values.length > 0) {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[i];
    const mean = question.image ? sum / values.length : (sum / values.length + 1) / 2;
    features[1 + Math.min(BUCKETS - 1, Math.max(0, Math.floor(mean * BUCKETS)))] = 1;
  }
  return features;
}

export function fakeAnswerText(question: PolicyQuestion, label: string): string {
  const think = '<think>The image shows the finding named below.</think>\n';
  if (!question.boxTask || question.imageWidth === null || question.imageHeight === null) return `${think}\\boxed{${label}}`;
  const box = [Math.floor(question.imageWidth / 4), Math.floor(question.imageHeight / 4), Math.floor((3 * question.imageWidth) / 4), Math.floor((3 * question.imageHeight) / 4)];
  return `${think}\`\`\`json\n[{"bbox_2d": [${box.join(', ')}], "label": "${label}"}]\n\`\`\`\n\\boxed{${label}}`;
}

interface Moments {
  m: Float32Array;
  v: Float32Array;
}

export class FakePolicy implements TrainablePolicy {
  private weights = new Map<string, Float32Array>();
  private reference = new Map<string, Float32Array>();
  private moments = new Map<string, Moments>();
  private step = 0;
  updates = 0;
  disposed = false;

  constructor(labelSets: ReadonlyMap<string, readonly string[]>, seed: number) {
    let state = seed >>> 0 || 1;
    const next = (): number => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 4294967296 - 0.5;
    };
    for (const key of [...labelSets.keys()].sort()) {
      const size = (labelSets.get(key) as readonly string[]).length * FEATURES;
      const w = Float32Array.from({ length: size }, () => 0.01 * next());
      this.weights.set(key, w);
      this.reference.set(key, w.slice());
      this.moments.set(key, { m: new Float32Array(size), v: new Float32Array(size) });
    }
  }

  private logits(weights: Map<string, Float32Array>, question: PolicyQuestion): Float64Array {
    const w = weights.get(question.datasetKey);
    if (!w) throw new Error(`fake policy: unknown dataset ${question.datasetKey}`);
    const x = fakeFeatures(question);
    const k = question.labelSet.length;
    const logits = new Float64Array(k);
    for (let j = 0; j < k; j++) for (let f = 0; f < FEATURES; f++) logits[j] += w[j * FEATURES + f] * x[f];
    return logits;
  }

  private logSoftmax(logits: Float64Array): Float64Array {
    const max = Math.max(...logits);
    let sum = 0;
    for (const z of logits) sum += Math.exp(z - max);
    const lse = max + Math.log(sum);
    return logits.map((z) => z - lse);
  }

  private completion(question: PolicyQuestion, label: number, logp: number): Completion {
    return { tokens: Int32Array.of(label), text: fakeAnswerText(question, question.labelSet[label]), logProbs: Float32Array.of(logp) };
  }

  async sample(questions: readonly PolicyQuestion[], count: number, random: () => number): Promise<Completion[]> {
    const completions: Completion[] = [];
    for (const question of questions) {
      const logp = this.logSoftmax(this.logits(this.weights, question));
      for (let r = 0; r < count; r++) {
        let u = random();
        let label = logp.length - 1;
        for (let j = 0; j < logp.length; j++) {
          u -= Math.exp(logp[j]);
          if (u < 0) {
            label = j;
            break;
          }
        }
        completions.push(this.completion(question, label, logp[label]));
      }
    }
    return completions;
  }

  async greedy(questions: readonly PolicyQuestion[]): Promise<Completion[]> {
    return questions.map((question) => {
      const logp = this.logSoftmax(this.logits(this.weights, question));
      let best = 0;
      for (let j = 1; j < logp.length; j++) if (logp[j] > logp[best]) best = j;
      return this.completion(question, best, logp[best]);
    });
  }

  private tokenLogProbs(weights: Map<string, Float32Array>, questions: readonly PolicyQuestion[], completions: readonly Completion[], questionIndex: Int32Array): Float32Array[] {
    return completions.map((completion, i) => {
      const logp = this.logSoftmax(this.logits(weights, questions[questionIndex[i]]));
      return Float32Array.from(completion.tokens, (token) => logp[token]);
    });
  }

  async logProbs(questions: readonly PolicyQuestion[], completions: readonly Completion[], questionIndex: Int32Array): Promise<Float32Array[]> {
    return this.tokenLogProbs(this.weights, questions, completions, questionIndex);
  }

  async referenceLogProbs(questions: readonly PolicyQuestion[], completions: readonly Completion[], questionIndex: Int32Array): Promise<Float32Array[]> {
    return this.tokenLogProbs(this.reference, questions, completions, questionIndex);
  }

  /** Applies d(loss)/d(logit) per (question, token) to the gradient of its dataset's weights. */
  private accumulate(gradients: Map<string, Float64Array>, question: PolicyQuestion, dLogits: Float64Array): void {
    const x = fakeFeatures(question);
    let g = gradients.get(question.datasetKey);
    if (!g) gradients.set(question.datasetKey, (g = new Float64Array(question.labelSet.length * FEATURES)));
    for (let j = 0; j < dLogits.length; j++) for (let f = 0; f < FEATURES; f++) g[j * FEATURES + f] += dLogits[j] * x[f];
  }

  private applyGradients(gradients: Map<string, Float64Array>, options: PolicyUpdateOptions): number {
    let squares = 0;
    for (const g of gradients.values()) for (const value of g) squares += value * value;
    const norm = Math.sqrt(squares);
    const scale = norm > options.maxGradNorm ? options.maxGradNorm / (norm + 1e-6) : 1;
    this.step++;
    const beta1 = 0.9;
    const beta2 = 0.999;
    for (const key of [...gradients.keys()].sort()) {
      const g = gradients.get(key) as Float64Array;
      const w = this.weights.get(key) as Float32Array;
      const { m, v } = this.moments.get(key) as Moments;
      for (let i = 0; i < w.length; i++) {
        const grad = g[i] * scale;
        m[i] = beta1 * m[i] + (1 - beta1) * grad;
        v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
        const mHat = m[i] / (1 - beta1 ** this.step);
        const vHat = v[i] / (1 - beta2 ** this.step);
        w[i] = w[i] - options.learningRate * (mHat / (Math.sqrt(vHat) + 1e-8) + options.weightDecay * w[i]);
      }
    }
    this.updates++;
    return norm;
  }

  async update(batch: PolicyUpdateBatch, options: PolicyUpdateOptions): Promise<PolicyUpdateMetrics> {
    const gradients = new Map<string, Float64Array>();
    const logp: number[] = [];
    const oldLogp: number[] = [];
    const refLogp: number[] = [];
    const advantages: number[] = [];
    let tokens = 0;
    for (const completion of batch.completions) tokens += completion.tokens.length;
    batch.completions.forEach((completion, i) => {
      const question = batch.questions[batch.questionIndex[i]];
      const current = this.logSoftmax(this.logits(this.weights, question));
      const probabilities = current.map(Math.exp);
      completion.tokens.forEach((token, t) => {
        const old = batch.oldLogProbs[i][t];
        const ref = batch.refLogProbs[i][t];
        const a = batch.advantages[i];
        logp.push(current[token]);
        oldLogp.push(old);
        refLogp.push(ref);
        advantages.push(a);
        // d(token loss)/d(logp): −A·ratio where the unclipped term decides, 0 where a clip does.
        const logRatio = current[token] - old;
        const ratio = Math.exp(logRatio);
        const clippedRatio = Math.exp(Math.min(Math.max(logRatio, Math.log(1 - options.clipRatioLow)), Math.log(1 + options.clipRatioHigh)));
        const unclipped = -a * ratio;
        const high = Math.max(unclipped, -a * clippedRatio);
        const decided = a < 0 ? Math.min(high, -a * options.clipRatioDual) : high;
        let dLogp = decided === unclipped ? -a * ratio : 0;
        const d = ref - current[token];
        const kl = Math.exp(d) - d - 1;
        if (kl > -10 && kl < 10) dLogp += options.klCoefficient * (1 - Math.exp(d));
        const dLogits = probabilities.map((p, j) => (dLogp * ((j === token ? 1 : 0) - p)) / tokens);
        this.accumulate(gradients, question, dLogits);
      });
    });
    const loss = policyLoss(
      { logp, oldLogp, refLogp, advantages, responseMask: logp.map(() => 1) },
      { clipRatioLow: options.clipRatioLow, clipRatioHigh: options.clipRatioHigh, clipRatioDual: options.clipRatioDual, klCoefficient: options.klCoefficient },
    );
    const gradNorm = this.applyGradients(gradients, options);
    return { loss: loss.loss, policyLoss: loss.policyLoss, klLoss: loss.klLoss, clipFraction: loss.clipFraction, dualClipFraction: loss.dualClipFraction, gradNorm, entropy: 0, tokens };
  }

  async supervisedUpdate(questions: readonly PolicyQuestion[], goldLabels: readonly (readonly string[])[], _goldBoxes: readonly (readonly [number, number, number, number] | null)[], options: PolicyUpdateOptions): Promise<PolicyUpdateMetrics> {
    const gradients = new Map<string, Float64Array>();
    let loss = 0;
    questions.forEach((question, i) => {
      const gold = question.labelSet.indexOf(goldLabels[i][0] ?? '');
      if (gold < 0) return;
      const logp = this.logSoftmax(this.logits(this.weights, question));
      loss -= logp[gold] / questions.length;
      this.accumulate(gradients, question, logp.map((l, j) => (Math.exp(l) - (j === gold ? 1 : 0)) / questions.length));
    });
    const gradNorm = this.applyGradients(gradients, options);
    return { loss, policyLoss: loss, klLoss: 0, clipFraction: 0, dualClipFraction: 0, gradNorm, entropy: 0, tokens: questions.length };
  }

  private stateOf(weights: Map<string, Float32Array>, withMoments: boolean): PolicyState {
    const names: string[] = [];
    const shapes: number[][] = [];
    const values: Float32Array[] = [];
    for (const key of [...weights.keys()].sort()) {
      const w = weights.get(key) as Float32Array;
      const entries: Array<[string, Float32Array]> = [[`w/${key}`, w]];
      if (withMoments) entries.push([`w/${key}/m`, (this.moments.get(key) as Moments).m], [`w/${key}/v`, (this.moments.get(key) as Moments).v]);
      for (const [name, value] of entries) {
        names.push(name);
        shapes.push([w.length / FEATURES, FEATURES]);
        values.push(value.slice());
      }
    }
    return { names, shapes, values, optimizerStep: withMoments ? this.step : 0 };
  }

  private restore(weights: Map<string, Float32Array>, state: PolicyState, withMoments: boolean): void {
    state.names.forEach((name, i) => {
      const match = /^w\/(.+?)(\/m|\/v)?$/.exec(name);
      if (!match) throw new Error(`fake policy: unexpected state ${name}`);
      const key = match[1];
      if (match[2] === undefined) weights.set(key, state.values[i].slice());
      else if (withMoments) (this.moments.get(key) as Moments)[match[2] === '/m' ? 'm' : 'v'] = state.values[i].slice();
    });
    if (withMoments) this.step = state.optimizerStep;
  }

  getState(): PolicyState {
    return this.stateOf(this.weights, true);
  }

  setState(state: PolicyState): void {
    this.restore(this.weights, state, true);
  }

  getReferenceState(): PolicyState {
    return this.stateOf(this.reference, false);
  }

  setReferenceState(state: PolicyState): void {
    this.restore(this.reference, state, false);
  }

  dispose(): void {
    this.disposed = true;
  }
}
