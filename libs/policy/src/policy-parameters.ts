// The policy's weights: names, shapes and seeded initialization. Plain Float32Arrays are the master
// copy (AdamW runs on them in JavaScript, checkpoints copy them); tensors are made from them for the
// forward passes. Names are part of the checkpoint format: change them and old checkpoints stop loading.
import { mulberry32 } from '@qoq/runtime';
import type { AnswerVocabulary } from './answer-vocabulary';
import { decoderFeatureLayout } from './decoder-features';
import { ECG_LEADS, ECG_SAMPLES, type PolicyConfig } from './policy-config';

export interface ParameterSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** Standard deviation of the normal initialization; 0 initializes with zeros. */
  readonly initScale: number;
  /** Which input branch uses it: a branch absent from a batch leaves its parameters without gradient. */
  readonly branch: 'image' | 'ecg' | 'shared';
}

/** The shapes the architecture derives from the config and the vocabulary. */
export interface PolicyDimensions {
  readonly imagePatches: number;
  readonly imagePatchFeatures: number;
  readonly ecgPatchesPerLead: number;
  readonly vocabularySize: number;
  readonly datasets: number;
  /** Width of the decoder's prefix features (decoder-features.ts). */
  readonly decoderFeatures: number;
}

export function policyDimensions(config: PolicyConfig, vocabulary: AnswerVocabulary): PolicyDimensions {
  const side = config.imageSize / config.patchSize;
  return {
    imagePatches: side * side,
    imagePatchFeatures: config.patchSize * config.patchSize * 3,
    ecgPatchesPerLead: ECG_SAMPLES / config.ecgPatchLength,
    vocabularySize: vocabulary.size,
    datasets: Math.max(1, vocabulary.datasetKeys.length),
    decoderFeatures: decoderFeatureLayout(vocabulary).width,
  };
}

export function parameterSpecs(config: PolicyConfig, vocabulary: AnswerVocabulary): ParameterSpec[] {
  const dims = policyDimensions(config, vocabulary);
  const d = config.contextWidth;
  const h = config.hiddenWidth;
  const he = (fanIn: number): number => Math.sqrt(2 / fanIn);
  const lecun = (fanIn: number): number => Math.sqrt(1 / fanIn);
  return [
    { name: 'image/patch_W', shape: [dims.imagePatchFeatures, config.patchWidth], initScale: he(dims.imagePatchFeatures), branch: 'image' },
    { name: 'image/patch_b', shape: [config.patchWidth], initScale: 0, branch: 'image' },
    { name: 'image/position', shape: [dims.imagePatches, config.patchWidth], initScale: 0.1, branch: 'image' },
    { name: 'image/projection_W', shape: [dims.imagePatches * config.patchWidth, d], initScale: lecun(dims.imagePatches * config.patchWidth), branch: 'image' },
    { name: 'image/projection_b', shape: [d], initScale: 0, branch: 'image' },
    { name: 'ecg/patch_W', shape: [config.ecgPatchLength, config.ecgPatchWidth], initScale: he(config.ecgPatchLength), branch: 'ecg' },
    { name: 'ecg/patch_b', shape: [config.ecgPatchWidth], initScale: 0, branch: 'ecg' },
    { name: 'ecg/projection_W', shape: [ECG_LEADS * config.ecgPatchWidth, d], initScale: lecun(ECG_LEADS * config.ecgPatchWidth), branch: 'ecg' },
    { name: 'ecg/projection_b', shape: [d], initScale: 0, branch: 'ecg' },
    { name: 'dataset/embedding', shape: [dims.datasets, d], initScale: 0.5, branch: 'shared' },
    { name: 'context/b', shape: [d], initScale: 0, branch: 'shared' },
    { name: 'decoder/prefix_W', shape: [dims.decoderFeatures, h], initScale: 0.5 * lecun(8), branch: 'shared' },
    { name: 'decoder/context_W', shape: [d, h], initScale: lecun(d), branch: 'shared' },
    { name: 'decoder/hidden_b', shape: [h], initScale: 0, branch: 'shared' },
    { name: 'decoder/residual_W', shape: [h, h], initScale: he(h), branch: 'shared' },
    { name: 'decoder/residual_b', shape: [h], initScale: 0, branch: 'shared' },
    { name: 'decoder/output_W', shape: [h, dims.vocabularySize], initScale: config.outputInitScale, branch: 'shared' },
    { name: 'decoder/context_output_W', shape: [d, dims.vocabularySize], initScale: config.outputInitScale, branch: 'shared' },
    { name: 'decoder/output_b', shape: [dims.vocabularySize], initScale: 0, branch: 'shared' },
  ];
}

export function parameterSize(shape: readonly number[]): number {
  return shape.reduce((product, extent) => product * extent, 1);
}

/** Normal draws by Box–Muller from mulberry32(seed), parameter by parameter in spec order. */
export function initialParameters(specs: readonly ParameterSpec[], seed: number): Float32Array[] {
  const random = mulberry32(seed);
  const normal = (): number => {
    // 1 − u keeps the logarithm finite (mulberry32 can return 0).
    const u = 1 - random();
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return specs.map((spec) => {
    const values = new Float32Array(parameterSize(spec.shape));
    if (spec.initScale > 0) for (let i = 0; i < values.length; i++) values[i] = normal() * spec.initScale;
    return values;
  });
}
