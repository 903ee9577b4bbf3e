// Backend parity (issue 11): does another TensorFlow.js backend (WebGPU on a GPU) compute the same
// training step as the WebAssembly one? Teacher-forced: a few steps run on the reference backend, which
// records each step's starting weights, the completions it sampled, their advantages, its loss and its
// gradients; the other backend then starts every step from the recorded weights, scores the same tokens
// and computes loss and gradients on the same batch. Errors therefore never compound across steps, and
// the comparison is of arithmetic, not of sampling luck.
//
// Thresholds (issue 11): loss relative error ≤ 1e-4, gradient cosine ≥ 0.9999, identical advantages.
import { computeReward, grpoAdvantages } from '@qoq/drpo';
import { mulberry32 } from '@qoq/runtime';
import type { AnswerVocabulary } from './answer-vocabulary';
import { createPolicy, type MultimodalPolicy } from './multimodal-policy';
import type { PolicyConfig } from './policy-config';
import type { Completion, PolicyQuestion, PolicyState, PolicyUpdateBatch, PolicyUpdateOptions } from './policy-contract';
import { initBackend, type BackendInfo, type BackendRequest } from './tf-backend';

/** The sampling stream of one step: its own seed, so a step's draws do not depend on the steps before. */
function randomStream(seed: number, purpose: 'parity' | 'timing', step: number): () => number {
  return mulberry32((Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(step + 1, 0x85ebca6b) ^ (purpose === 'parity' ? 0x27d4eb2f : 0x165667b1)) >>> 0);
}

/** A question with its gold answer (labels joined by ", "). */
export interface ParityQuestion {
  readonly question: PolicyQuestion;
  readonly answer: string;
}

export interface ParityOptions {
  readonly policyConfig: PolicyConfig;
  readonly vocabulary: AnswerVocabulary;
  readonly questions: readonly ParityQuestion[];
  readonly steps: number;
  /** Questions per step (taken in turn from `questions`). */
  readonly batchQuestions: number;
  readonly rollouts: number;
  readonly seed: number;
  readonly update: PolicyUpdateOptions;
}

interface RecordedStep {
  readonly state: PolicyState;
  readonly questions: readonly PolicyQuestion[];
  readonly completions: readonly Completion[];
  readonly questionIndex: Int32Array;
  readonly advantages: Float64Array;
  readonly refLogProbs: readonly Float32Array[];
  readonly loss: number;
  readonly gradients: Float32Array;
}

export interface ParityStep {
  readonly step: number;
  readonly loss: { readonly reference: number; readonly candidate: number; readonly relativeError: number };
  readonly gradientCosine: number;
  readonly gradientNormRatio: number;
  /** Largest |Δ| of a token log-prob of the same completions (old and reference policy). */
  readonly maxLogProbDifference: number;
  readonly advantagesIdentical: boolean;
  readonly passed: boolean;
}

export interface ParityReport {
  readonly reference: BackendInfo;
  readonly candidate: BackendInfo;
  readonly thresholds: { readonly lossRelativeError: number; readonly gradientCosine: number };
  readonly steps: readonly ParityStep[];
  readonly passed: boolean;
}

export const PARITY_THRESHOLDS = { lossRelativeError: 1e-4, gradientCosine: 0.9999 } as const;

function batchOf(options: ParityOptions, step: number): ParityQuestion[] {
  const { questions, batchQuestions } = options;
  return Array.from({ length: batchQuestions }, (_, i) => questions[(step * batchQuestions + i) % questions.length]);
}

/** Advantages of the completions (GRPO: the rewards' group standardization), from their rendered text. */
function advantagesOf(batch: readonly ParityQuestion[], completions: readonly Completion[], rollouts: number): Float64Array {
  return grpoAdvantages(
    batch.map((item, q) => ({
      domainKey: item.question.datasetKey,
      rewards: completions.slice(q * rollouts, (q + 1) * rollouts).map((completion) => computeReward(completion.text, { answer: item.answer }).overall),
    })),
  );
}

/** All gradients end to end (parameters a batch does not use count as zeros). */
function flatten(gradients: readonly (Float32Array | null)[], sizes: readonly number[]): Float32Array {
  const flat = new Float32Array(sizes.reduce((a, b) => a + b, 0));
  let offset = 0;
  gradients.forEach((gradient, i) => {
    if (gradient) flat.set(gradient, offset);
    offset += sizes[i];
  });
  return flat;
}

function cosine(a: Float32Array, b: Float32Array): { cosine: number; normRatio: number } {
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  if (aa === 0 && bb === 0) return { cosine: 1, normRatio: 1 };
  return { cosine: dot / Math.sqrt(aa * bb), normRatio: Math.sqrt(bb / aa) };
}

function maxDifference(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let max = 0;
  a.forEach((values, i) => values.forEach((value, j) => (max = Math.max(max, Math.abs(value - b[i][j])))));
  return max;
}

function updateBatch(step: Pick<RecordedStep, 'questions' | 'completions' | 'questionIndex' | 'advantages' | 'refLogProbs'>): PolicyUpdateBatch {
  return {
    questions: step.questions,
    completions: step.completions,
    questionIndex: step.questionIndex,
    oldLogProbs: step.completions.map((completion) => completion.logProbs),
    refLogProbs: step.refLogProbs,
    advantages: step.advantages,
  };
}

function parameterSizes(policy: MultimodalPolicy): number[] {
  return policy.getState().values.map((values) => values.length);
}

/** Runs `steps` training steps on the current backend and records what the candidate must reproduce. */
async function record(options: ParityOptions): Promise<RecordedStep[]> {
  const policy = createPolicy(options.policyConfig, options.vocabulary, options.seed);
  const sizes = parameterSizes(policy);
  const recorded: RecordedStep[] = [];
  try {
    for (let step = 0; step < options.steps; step++) {
      const batch = batchOf(options, step);
      const questions = batch.map((item) => item.question);
      const state = policy.getState();
      const completions = await policy.sample(questions, options.rollouts, randomStream(options.seed, 'parity', step));
      const questionIndex = Int32Array.from(completions, (_, i) => Math.floor(i / options.rollouts));
      const refLogProbs = await policy.referenceLogProbs(questions, completions, questionIndex);
      const advantages = advantagesOf(batch, completions, options.rollouts);
      const partial = { questions, completions, questionIndex, advantages, refLogProbs };
      const { metrics, gradients } = await policy.lossAndGradients(updateBatch(partial), options.update);
      recorded.push({ ...partial, state, loss: metrics.loss, gradients: flatten(gradients, sizes) });
      await policy.update(updateBatch(partial), options.update);
    }
  } finally {
    policy.dispose();
  }
  return recorded;
}

/** Replays recorded steps on the current backend. */
async function replay(options: ParityOptions, recorded: readonly RecordedStep[]): Promise<ParityStep[]> {
  const policy = createPolicy(options.policyConfig, options.vocabulary, options.seed);
  const sizes = parameterSizes(policy);
  const steps: ParityStep[] = [];
  try {
    for (const [step, reference] of recorded.entries()) {
      policy.setState(reference.state);
      const batch = batchOf(options, step);
      // The same tokens, scored by this backend (teacher forcing).
      const oldLogProbs = await policy.logProbs(reference.questions, reference.completions, reference.questionIndex);
      const refLogProbs = await policy.referenceLogProbs(reference.questions, reference.completions, reference.questionIndex);
      // The candidate renders the tokens itself: its advantages come from its own answer texts.
      const rendered = reference.completions.map((completion, i) => ({ ...completion, text: policy.renderTokens(reference.questions[reference.questionIndex[i]], completion.tokens) }));
      const advantages = advantagesOf(batch, rendered, options.rollouts);
      const { metrics, gradients } = await policy.lossAndGradients(updateBatch(reference), options.update);
      const { cosine: gradientCosine, normRatio } = cosine(reference.gradients, flatten(gradients, sizes));
      const relativeError = Math.abs(metrics.loss - reference.loss) / Math.max(Math.abs(reference.loss), 1e-12);
      const advantagesIdentical = advantages.every((value, i) => Object.is(value, reference.advantages[i]));
      const maxLogProbDifference = Math.max(
        maxDifference(reference.completions.map((completion) => completion.logProbs), oldLogProbs),
        maxDifference(reference.refLogProbs, refLogProbs),
      );
      steps.push({
        step: step + 1,
        loss: { reference: reference.loss, candidate: metrics.loss, relativeError },
        gradientCosine,
        gradientNormRatio: normRatio,
        maxLogProbDifference,
        advantagesIdentical,
        passed: relativeError <= PARITY_THRESHOLDS.lossRelativeError && gradientCosine >= PARITY_THRESHOLDS.gradientCosine && advantagesIdentical,
      });
    }
  } finally {
    policy.dispose();
  }
  return steps;
}

/** Records on `reference` (default wasm), replays on `candidate`; leaves the candidate backend active. */
export async function checkBackendParity(options: ParityOptions, candidate: BackendRequest, reference: BackendRequest = 'wasm'): Promise<ParityReport> {
  const referenceInfo = await initBackend(reference);
  const recorded = await record(options);
  const candidateInfo = await initBackend(candidate);
  const steps = await replay(options, recorded);
  return { reference: referenceInfo, candidate: candidateInfo, thresholds: PARITY_THRESHOLDS, steps, passed: steps.every((step) => step.passed) };
}

export interface StepTiming {
  readonly backend: string;
  readonly config: string;
  readonly parameters: number;
  /** Median over the timed steps (after one warm-up step), milliseconds. */
  readonly stepMs: number;
  readonly rolloutMs: number;
  readonly updateMs: number;
  readonly samplesPerSecond: number;
}

/** Times full training steps (sample, reference log-probs, 2 updates) on the active backend. */
export async function timeTrainingSteps(options: ParityOptions, label: string, backend: string, timedSteps: number): Promise<StepTiming> {
  const policy = createPolicy(options.policyConfig, options.vocabulary, options.seed);
  const parameters = policy.parameterCount;
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const steps: number[] = [];
  const rollouts: number[] = [];
  const updates: number[] = [];
  try {
    for (let step = 0; step <= timedSteps; step++) {
      const batch = batchOf(options, step);
      const questions = batch.map((item) => item.question);
      const started = performance.now();
      const completions = await policy.sample(questions, options.rollouts, randomStream(options.seed, 'timing', step));
      const sampled = performance.now();
      const questionIndex = Int32Array.from(completions, (_, i) => Math.floor(i / options.rollouts));
      const refLogProbs = await policy.referenceLogProbs(questions, completions, questionIndex);
      const advantages = advantagesOf(batch, completions, options.rollouts);
      const beforeUpdates = performance.now();
      const half = Math.ceil(completions.length / 2);
      for (const members of [[0, half], [half, completions.length]] as const) {
        const pick = <T>(list: readonly T[]): T[] => list.slice(members[0], members[1]);
        await policy.update(
          {
            questions,
            completions: pick(completions),
            questionIndex: questionIndex.slice(members[0], members[1]),
            oldLogProbs: pick(completions).map((completion) => completion.logProbs),
            refLogProbs: pick(refLogProbs),
            advantages: advantages.slice(members[0], members[1]),
          },
          options.update,
        );
      }
      const ended = performance.now();
      if (step === 0) continue; // warm-up: shader compilation, kernel packing
      steps.push(ended - started);
      rollouts.push(sampled - started);
      updates.push(ended - beforeUpdates);
    }
  } finally {
    policy.dispose();
  }
  const stepMs = median(steps);
  return { backend, config: label, parameters, stepMs, rolloutMs: median(rollouts), updateMs: median(updates), samplesPerSecond: (options.batchQuestions * options.rollouts) / (stepMs / 1000) };
}
