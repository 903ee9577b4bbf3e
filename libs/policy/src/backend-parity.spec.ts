import { describe, expect, it } from 'vitest';
import { AnswerVocabulary } from './answer-vocabulary';
import { DEFAULT_POLICY_CONFIG, ECG_LEADS, ECG_SAMPLES } from './policy-config';
import { mulberry32 } from '@qoq/runtime';
import { PARITY_THRESHOLDS, checkBackendParity, timeTrainingSteps, type ParityOptions, type ParityQuestion } from './backend-parity';

const LABELS = { 'derm/ham10000': ['Melanoma', 'Nevus', 'Keratosis'], 'ecg/ptb-xl': ['Normal', 'Myocardial Infarction', 'Conduction Disturbance'] };
const vocabulary = AnswerVocabulary.fromLabelSets(Object.entries(LABELS).map(([datasetKey, labelSet]) => ({ datasetKey, labelSet })));

function questions(count: number): ParityQuestion[] {
  const size = DEFAULT_POLICY_CONFIG.imageSize;
  return Array.from({ length: count }, (_, i) => {
    const random = mulberry32(100 + i);
    const image = i % 2 === 0;
    const datasetKey = image ? 'derm/ham10000' : 'ecg/ptb-xl';
    const labelSet = LABELS[datasetKey];
    return {
      question: {
        id: `q${i}`,
        datasetKey,
        labelSet,
        image: image ? Float32Array.from({ length: size * size * 3 }, () => random()) : null,
        ecg: image ? null : Float32Array.from({ length: ECG_LEADS * ECG_SAMPLES }, () => random() - 0.5),
        imageWidth: image ? 600 : null,
        imageHeight: image ? 450 : null,
        boxTask: false,
        maxAnswerLabels: image ? 1 : undefined,
      },
      answer: labelSet[i % labelSet.length],
    };
  });
}

const OPTIONS: ParityOptions = {
  policyConfig: DEFAULT_POLICY_CONFIG,
  vocabulary,
  questions: questions(8),
  steps: 3,
  batchQuestions: 4,
  rollouts: 4,
  seed: 7,
  update: { learningRate: 3e-3, weightDecay: 0.01, maxGradNorm: 1, clipRatioLow: 0.2, clipRatioHigh: 0.3, clipRatioDual: 3, klCoefficient: 0.2 },
};

describe('backend parity (the check tools/gpu runs against WebGPU)', () => {
  it('finds the JavaScript cpu backend computing the wasm backend\'s steps: loss, gradients, log-probs, advantages', async () => {
    const report = await checkBackendParity(OPTIONS, 'cpu', 'wasm');
    expect(report.reference.backend).toBe('wasm');
    expect(report.candidate.backend).toBe('cpu');
    expect(report.steps).toHaveLength(3);
    for (const step of report.steps) {
      expect(step.advantagesIdentical).toBe(true);
      expect(step.loss.relativeError).toBeLessThanOrEqual(PARITY_THRESHOLDS.lossRelativeError);
      expect(step.gradientCosine).toBeGreaterThanOrEqual(PARITY_THRESHOLDS.gradientCosine);
      expect(step.gradientNormRatio).toBeCloseTo(1, 3);
      expect(step.maxLogProbDifference).toBeLessThan(1e-4);
      // Non-trivial steps: the loss and the gradients are not zero.
      expect(Math.abs(step.loss.reference)).toBeGreaterThan(0);
    }
    expect(report.passed).toBe(true);
  });

  it('measures training steps on the active backend', async () => {
    const timing = await timeTrainingSteps(OPTIONS, 'default', 'cpu', 2);
    expect(timing).toMatchObject({ backend: 'cpu', config: 'default' });
    expect(timing.stepMs).toBeGreaterThan(0);
    expect(timing.samplesPerSecond).toBeGreaterThan(0);
    expect(timing.parameters).toBeGreaterThan(10_000);
  });
});
