// The policy learns: a trivially separable toy (the image's brightness is the label) by cross-entropy on
// both backends, and the same toy by GRPO from its own rewards on the product default (wasm).
import { describe, expect, it } from 'vitest';
import { computeReward, groupNormalizedRewards } from '@qoq/drpo';
import { mulberry32 } from '@qoq/runtime';
import { createPolicy } from './multimodal-policy';
import { DEFAULT_POLICY_CONFIG } from './policy-config';
import type { PolicyUpdateOptions } from './policy-contract';
import { catalog, syntheticQuestion, vocabulary, type LabelledQuestion } from './test-questions';
import { initBackend, type PolicyBackend } from './tf-backend';

const DATASET = 'derm/ham10000';
const LABELS = catalog.dataset(DATASET).label_set;

function toy(count: number, seed: number): LabelledQuestion[] {
  return Array.from({ length: count }, (_, i) => syntheticQuestion(DATASET, [LABELS[i % LABELS.length]], seed + i));
}

async function greedyAccuracy(policy: ReturnType<typeof createPolicy>, questions: LabelledQuestion[]): Promise<number> {
  const answers = await policy.greedy(questions.map((q) => q.question));
  return answers.filter((answer, i) => computeReward(answer.text, { answer: questions[i].labels.join(', ') }).accuracy === 1).length / questions.length;
}

const OPTIONS: PolicyUpdateOptions = { learningRate: 5e-3, weightDecay: 0.01, maxGradNorm: 1, clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3, klCoefficient: 1e-4 };

describe.each<PolicyBackend>(['cpu', 'wasm'])('supervised learning on %s', (backend) => {
  it('learns image brightness → label in a few dozen cross-entropy steps', async () => {
    await initBackend(backend);
    const train = toy(10, 100);
    const heldOut = toy(10, 500);
    const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 3);
    const before = await greedyAccuracy(policy, heldOut);
    let first = Number.NaN;
    let last = Number.NaN;
    for (let step = 0; step < 30; step++) {
      const metrics = await policy.supervisedUpdate(train.map((q) => q.question), train.map((q) => q.labels), train.map((q) => q.box), OPTIONS);
      if (step === 0) first = metrics.loss;
      last = metrics.loss;
    }
    expect(last).toBeLessThan(first / 10);
    expect(before).toBeLessThan(0.5);
    expect(await greedyAccuracy(policy, heldOut)).toBe(1);
    policy.dispose();
  });
});

describe('the two backends compute the same policy', () => {
  it('agrees on log-probs within float32 rounding', async () => {
    const questions = toy(5, 900).map((q) => q.question);
    await initBackend('wasm');
    const wasmPolicy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 8);
    const completions = await wasmPolicy.sample(questions, 2, mulberry32(1));
    const index = Int32Array.from({ length: completions.length }, (_, r) => Math.floor(r / 2));
    wasmPolicy.dispose();
    await initBackend('cpu');
    const cpuPolicy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 8);
    const onCpu = await cpuPolicy.logProbs(questions, completions, index);
    completions.forEach((completion, i) => completion.logProbs.forEach((lp, t) => expect(Math.abs(lp - onCpu[i][t])).toBeLessThan(1e-4)));
    cpuPolicy.dispose();
  });
});

describe('reinforcement learning on wasm', () => {
  it('GRPO from the accuracy reward of its own samples raises the mean reward (2 mini-batches per step)', async () => {
    await initBackend('wasm');
    const train = toy(10, 100);
    const questions = train.map((q) => q.question);
    const policy = createPolicy(DEFAULT_POLICY_CONFIG, vocabulary, 5);
    const random = mulberry32(17);
    const rollouts = 5;
    const meanReward: number[] = [];
    for (let step = 0; step < 32; step++) {
      const completions = await policy.sample(questions, rollouts, random);
      const index = Int32Array.from(completions, (_, r) => Math.floor(r / rollouts));
      const rewards = completions.map((c, i) => computeReward(c.text, { answer: train[index[i]].labels.join(', ') }).accuracy);
      meanReward.push(rewards.reduce((a, b) => a + b, 0) / rewards.length);
      const advantages = groupNormalizedRewards(questions.map((_, q) => ({ domainKey: 'derm', rewards: rewards.slice(q * rollouts, q * rollouts + rollouts) })));
      const refLogProbs = await policy.referenceLogProbs(questions, completions, index);
      // Two mini-batches (the first and second half of the questions), each one optimizer step.
      for (const half of [0, 1]) {
        const rows = completions.map((_, r) => r).filter((r) => (index[r] < questions.length / 2 ? 0 : 1) === half);
        await policy.update(
          {
            questions,
            completions: rows.map((r) => completions[r]),
            questionIndex: Int32Array.from(rows, (r) => index[r]),
            oldLogProbs: rows.map((r) => completions[r].logProbs),
            refLogProbs: rows.map((r) => refLogProbs[r]),
            advantages: Float64Array.from(rows, (r) => advantages[r]),
          },
          OPTIONS,
        );
      }
    }
    const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
    const early = mean(meanReward.slice(0, 3));
    const late = mean(meanReward.slice(-4));
    expect(early).toBeLessThan(0.45);
    expect(late).toBeGreaterThan(early + 0.3);
    policy.dispose();
  });
});
