import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractEvaluationAnswer } from '@qoq/drpo';
import { mulberry32 } from '@qoq/runtime';
import { checkAnswerTokens } from './answer-grammar';
import { decodeAnswerTokens } from './answer-rendering';
import { createPolicy, PolicyInputError, type MultimodalPolicy } from './multimodal-policy';
import { DEFAULT_POLICY_CONFIG } from './policy-config';
import type { Completion, PolicyQuestion, PolicyUpdateBatch, PolicyUpdateOptions } from './policy-contract';
import { mixedQuestions, syntheticQuestion, vocabulary } from './test-questions';
import { initBackend } from './tf-backend';

const OPTIONS: PolicyUpdateOptions = { learningRate: 3e-3, weightDecay: 0.01, maxGradNorm: 1, clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3, klCoefficient: 1e-4 };

beforeAll(async () => {
  await initBackend('wasm');
});

const questions = mixedQuestions(14, 3).map((q) => q.question);
const ROLLOUTS = 4;

function rolloutIndex(count: number, rollouts: number): Int32Array {
  return Int32Array.from({ length: count * rollouts }, (_, r) => Math.floor(r / rollouts));
}

async function updateBatch(policy: MultimodalPolicy, completions: Completion[], questionIndex: Int32Array, advantages: (i: number) => number, of: readonly PolicyQuestion[] = questions): Promise<PolicyUpdateBatch> {
  return {
    questions: of,
    completions,
    questionIndex,
    oldLogProbs: completions.map((c) => c.logProbs),
    refLogProbs: await policy.referenceLogProbs(of, completions, questionIndex),
    advantages: Float64Array.from(completions, (_, i) => advantages(i)),
  };
}

function weightsOf(policy: MultimodalPolicy): Float32Array[] {
  return policy.getState().values as Float32Array[];
}

/** Bitwise equality of float arrays (fast: vitest's deep equality walks 400 000 floats slowly). */
function sameBits(a: readonly Float32Array[], b: readonly Float32Array[]): boolean {
  return a.length === b.length && a.every((values, i) => Buffer.from(values.buffer, values.byteOffset, values.byteLength).equals(Buffer.from(b[i].buffer, b[i].byteOffset, b[i].byteLength)));
}

describe('MultimodalPolicy on the wasm backend', () => {
  it('samples answers that obey the restriction and render to text whose \\boxed{} names only allowed labels', async () => {
    const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 1);
    const completions = await policy.sample(questions, ROLLOUTS, mulberry32(2));
    expect(completions).toHaveLength(questions.length * ROLLOUTS);
    let boxes = 0;
    completions.forEach((completion, i) => {
      const question = questions[Math.floor(i / ROLLOUTS)];
      checkAnswerTokens(vocabulary, policy.constraint(question), completion.tokens);
      expect(completion.logProbs).toHaveLength(completion.tokens.length);
      expect(completion.logProbs.every((lp) => lp <= 0 && Number.isFinite(lp))).toBe(true);
      expect(completion.text).toBe(policy.renderTokens(question, completion.tokens));
      const labels = extractEvaluationAnswer(completion.text).split(', ');
      expect(labels.every((label) => question.labelSet.includes(label))).toBe(true);
      if (question.maxAnswerLabels === 1) expect(labels).toHaveLength(1);
      const decoded = decodeAnswerTokens(vocabulary, completion.tokens);
      if (!question.boxTask) expect(decoded.boxes).toHaveLength(0);
      boxes += decoded.boxes.length;
    });
    // The initial policy is near uniform: some box-task answers carry a box.
    expect(boxes).toBeGreaterThan(0);
    policy.dispose();
  });

  it('recomputes the sampled log-probs bit for bit; the reference stays the initial policy', async () => {
    const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 1);
    const completions = await policy.sample(questions, ROLLOUTS, mulberry32(3));
    const index = rolloutIndex(questions.length, ROLLOUTS);
    const recomputed = await policy.logProbs(questions, completions, index);
    const reference = await policy.referenceLogProbs(questions, completions, index);
    completions.forEach((completion, i) => {
      expect([...recomputed[i]]).toEqual([...completion.logProbs]);
      expect([...reference[i]]).toEqual([...completion.logProbs]);
    });
    await policy.update(await updateBatch(policy, completions, index, (i) => (i % 2 ? 1 : -1)), OPTIONS);
    const after = await policy.logProbs(questions, completions, index);
    const referenceAfter = await policy.referenceLogProbs(questions, completions, index);
    expect(after.some((values, i) => values.some((v, t) => v !== completions[i].logProbs[t]))).toBe(true);
    referenceAfter.forEach((values, i) => expect([...values]).toEqual([...reference[i]]));
    policy.dispose();
  });

  it('decodes greedily: deterministic, and every chosen token is at least as likely as 1 / (allowed tokens)', async () => {
    const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 4);
    const first = await policy.greedy(questions);
    const second = await policy.greedy(questions);
    expect(first.map((c) => c.text)).toEqual(second.map((c) => c.text));
    first.forEach((completion, q) => {
      const constraint = policy.constraint(questions[q]);
      // The most likely of n allowed tokens has probability ≥ 1/n; n ≤ labels + EOS + BOX or 32 bins.
      const n = Math.max(constraint.labelTokens.length + 2, vocabulary.boxBins);
      completion.logProbs.forEach((lp) => expect(lp).toBeGreaterThanOrEqual(-Math.log(n) - 1e-5));
    });
    policy.dispose();
  });

  it('is deterministic: the same seed gives the same weights and samples, another seed others', async () => {
    const a = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 11);
    const b = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 11);
    const c = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 12);
    expect(sameBits(weightsOf(a), weightsOf(b))).toBe(true);
    expect(sameBits(weightsOf(a), weightsOf(c))).toBe(false);
    const sampleA = await a.sample(questions, 3, mulberry32(9));
    const sampleB = await b.sample(questions, 3, mulberry32(9));
    expect(sampleA.map((s) => s.text)).toEqual(sampleB.map((s) => s.text));
    expect(sampleA.map((s) => [...s.logProbs])).toEqual(sampleB.map((s) => [...s.logProbs]));
    const index = rolloutIndex(questions.length, 3);
    await a.update(await updateBatch(a, sampleA, index, (i) => (i % 3) - 1), OPTIONS);
    await b.update(await updateBatch(b, sampleB, index, (i) => (i % 3) - 1), OPTIONS);
    expect(sameBits(weightsOf(a), weightsOf(b))).toBe(true);
    for (const policy of [a, b, c]) policy.dispose();
  });

  it('raises the log-prob of a completion with a positive advantage and lowers it with a negative one', async () => {
    for (const sign of [1, -1]) {
      const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 21);
      const completions = await policy.sample(questions, 2, mulberry32(5));
      const index = rolloutIndex(questions.length, 2);
      const total = (values: Float32Array[]): number => values.reduce((sum, v) => sum + v.reduce((a, b) => a + b, 0), 0);
      const before = total(await policy.logProbs(questions, completions, index));
      const metrics = await policy.update(await updateBatch(policy, completions, index, () => sign), { ...OPTIONS, learningRate: 1e-3 });
      const after = total(await policy.logProbs(questions, completions, index));
      expect(Math.sign(after - before)).toBe(sign);
      expect(metrics.gradNorm).toBeGreaterThan(0);
      expect(metrics.tokens).toBe(completions.reduce((n, c) => n + c.tokens.length, 0));
      // First update of a rollout batch: ratio 1 everywhere, nothing clipped; policy loss = −mean(A).
      expect(metrics.clipFraction).toBe(0);
      expect(metrics.policyLoss).toBeCloseTo(-sign, 5);
      expect(metrics.entropy).toBeGreaterThan(0);
      policy.dispose();
    }
  });

  it('clips once the policy has moved: clip fraction > 0 on a second mini-batch pass', async () => {
    const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 22);
    const completions = await policy.sample(questions, ROLLOUTS, mulberry32(6));
    const index = rolloutIndex(questions.length, ROLLOUTS);
    const batch = await updateBatch(policy, completions, index, (i) => (i % 2 ? 2 : -2));
    await policy.update(batch, { ...OPTIONS, learningRate: 0.05 });
    const second = await policy.update(batch, { ...OPTIONS, learningRate: 0.05 });
    expect(second.clipFraction + second.dualClipFraction).toBeGreaterThan(0);
    expect(second.klLoss).toBeGreaterThan(0);
    policy.dispose();
  });

  it('restores its state bit for bit: save, 3 updates, restore, the same 3 updates give the same weights', async () => {
    const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 31);
    const index = rolloutIndex(questions.length, 2);
    const warmup = await policy.sample(questions, 2, mulberry32(1));
    await policy.update(await updateBatch(policy, warmup, index, (i) => (i % 2) - 0.5), OPTIONS);
    const saved = policy.getState();
    const savedReference = policy.getReferenceState();
    const run = async (): Promise<Float32Array[]> => {
      const random = mulberry32(77);
      for (let k = 0; k < 3; k++) {
        const completions = await policy.sample(questions, 2, random);
        await policy.update(await updateBatch(policy, completions, index, (i) => ((i * 7) % 3) - 1), OPTIONS);
      }
      return weightsOf(policy);
    };
    const first = await run();
    expect(sameBits(first, saved.values as Float32Array[])).toBe(false);
    policy.setState(saved);
    const restored = policy.getState();
    expect(restored.names).toEqual(saved.names);
    expect(restored.optimizerStep).toBe(saved.optimizerStep);
    expect(sameBits(restored.values as Float32Array[], saved.values as Float32Array[])).toBe(true);
    const second = await run();
    expect(sameBits(second, first)).toBe(true);

    // Another policy (other seed) restored from both states behaves identically.
    const other = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 99);
    other.setState(policy.getState());
    other.setReferenceState(savedReference);
    expect(sameBits(other.getReferenceState().values as Float32Array[], savedReference.values as Float32Array[])).toBe(true);
    const probe = await policy.sample(questions, 1, mulberry32(4));
    const probeIndex = rolloutIndex(questions.length, 1);
    expect(await other.logProbs(questions, probe, probeIndex)).toEqual(await policy.logProbs(questions, probe, probeIndex));
    expect(await other.referenceLogProbs(questions, probe, probeIndex)).toEqual(await policy.referenceLogProbs(questions, probe, probeIndex));
    policy.dispose();
    other.dispose();
  });

  it('leaves no tensor behind', async () => {
    const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 41);
    const index = rolloutIndex(questions.length, 2);
    const cycle = async (): Promise<void> => {
      const completions = await policy.sample(questions, 2, mulberry32(8));
      await policy.greedy(questions);
      await policy.update(await updateBatch(policy, completions, index, (i) => (i % 2) - 0.5), OPTIONS);
      await policy.supervisedUpdate(questions.slice(0, 3), [['Cardiomegaly'], ['BI-RADS 2'], ['Normal']], [null, [10, 10, 90, 90], null], OPTIONS);
    };
    await cycle();
    const tensors = tf.memory().numTensors;
    await cycle();
    expect(tf.memory().numTensors).toBe(tensors);
    policy.dispose();
    expect(tf.memory().numTensors).toBe(tensors - 2 * policy.parameterNames.length);
  });

  it('rejects bad input with a sentence naming the question', async () => {
    const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 51);
    const good = syntheticQuestion('fundus/aptos', ['No DR'], 1).question;
    const bad = (change: Partial<PolicyQuestion>): PolicyQuestion[] => [{ ...good, ...change }];
    await expect(policy.sample(bad({ datasetKey: 'fundus/elsewhere' }), 1, Math.random)).rejects.toThrow(/dataset "fundus\/elsewhere" is not in the policy's vocabulary/);
    await expect(policy.sample(bad({ labelSet: ['No DR', 'Gold'] }), 1, Math.random)).rejects.toThrow(/label "Gold"/);
    await expect(policy.sample(bad({ image: new Float32Array(10) }), 1, Math.random)).rejects.toThrow(/fundus\/aptos#1: image has 10 values/);
    await expect(policy.sample(bad({ image: null, ecg: new Float32Array(5) }), 1, Math.random)).rejects.toThrow(/ECG has 5 values/);
    await expect(policy.sample(bad({ boxTask: true, imageWidth: null }), 1, Math.random)).rejects.toThrow(/box task needs imageWidth/);
    await expect(policy.sample([good], 1, () => 1)).rejects.toThrow(PolicyInputError);
    const completions = await policy.sample([good], 2, mulberry32(1));
    const index = Int32Array.from([0, 0]);
    await expect(policy.update({ ...await updateBatch(policy, completions, index, () => 1, [good]), oldLogProbs: [new Float32Array(9), completions[1].logProbs] }, OPTIONS)).rejects.toThrow(/oldLogProbs\[0\] has 9 values/);
    const forged: Completion = { ...completions[0], tokens: Int32Array.from([vocabulary.labelToken('Cardiomegaly'), 1]) };
    await expect(policy.logProbs([good], [forged], Int32Array.from([0]))).rejects.toThrow(/answer 0 \(question fundus\/aptos#1\), token 0: token Cardiomegaly is not allowed/);
    await expect(policy.update(await updateBatch(policy, completions, index, () => 1, [good]), { ...OPTIONS, learningRate: -1 })).rejects.toThrow(/learningRate/);
    await expect(policy.supervisedUpdate([good], [['Cardiomegaly']], [null], OPTIONS)).rejects.toThrow(/not in the question's label set/);
    const state = policy.getState();
    expect(() => policy.setState({ ...state, names: state.names.map((name, i) => (i === 0 ? 'image/other' : name)) })).toThrow(/expected "image\/patch_W"/);
    const smaller = createPolicy({ ...DEFAULT_POLICY_CONFIG, hiddenWidth: 32 }, vocabulary, 1);
    expect(() => policy.setState(smaller.getState())).toThrow(/shape/);
    smaller.dispose();
    policy.dispose();
    await expect(policy.sample([good], 1, Math.random)).rejects.toThrow(/disposed/);
  });
});
