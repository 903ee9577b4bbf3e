// Synthetic questions for the specs (not exported): seeded images and ECGs whose content encodes the gold
// label, so a policy that reads its input can learn them. Real label sets from the repository's catalog.
import { loadCatalog } from '@qoq/catalog';
import { mulberry32 } from '@qoq/runtime';
import { AnswerVocabulary } from './answer-vocabulary';
import { DEFAULT_POLICY_CONFIG, ECG_LEADS, ECG_SAMPLES } from './policy-config';
import type { PolicyQuestion } from './policy-contract';

export const catalog = loadCatalog();
export const vocabulary = AnswerVocabulary.fromCatalog(catalog);

export interface LabelledQuestion {
  readonly question: PolicyQuestion;
  readonly labels: readonly string[];
  readonly box: readonly [number, number, number, number] | null;
}

/** A question of `datasetKey` whose gold is `labels`; the image's brightness is its first label's index. */
export function syntheticQuestion(datasetKey: string, labels: readonly string[], seed: number, options: { box?: readonly [number, number, number, number] | null; imageSize?: number } = {}): LabelledQuestion {
  const dataset = catalog.dataset(datasetKey);
  const random = mulberry32(seed);
  const labelIndex = dataset.label_set.indexOf(labels[0]);
  const boxTask = dataset.localization !== 'none';
  const size = options.imageSize ?? DEFAULT_POLICY_CONFIG.imageSize;
  let image: Float32Array | null = null;
  let ecg: Float32Array | null = null;
  if (dataset.media_kind === 'image') {
    const level = (labelIndex + 0.5) / dataset.label_set.length;
    image = new Float32Array(size * size * 3);
    for (let i = 0; i < image.length; i++) image[i] = Math.min(1, Math.max(0, level + (random() - 0.5) * 0.1));
  } else {
    ecg = new Float32Array(ECG_LEADS * ECG_SAMPLES);
    for (let i = 0; i < ecg.length; i++) ecg[i] = Math.sin((i % ECG_SAMPLES) * 0.05 * (labelIndex + 1)) + (random() - 0.5) * 0.1;
  }
  return {
    question: {
      id: `${datasetKey}#${seed}`,
      datasetKey,
      labelSet: dataset.label_set,
      image,
      ecg,
      imageWidth: image ? 512 : null,
      imageHeight: image ? 384 : null,
      boxTask,
      maxAnswerLabels: dataset.task_type === 'multi-label' ? undefined : 1,
    },
    labels,
    box: boxTask ? (options.box ?? null) : null,
  };
}

/** A mixed batch over several domains, box tasks and ECG included. */
export function mixedQuestions(count: number, seed: number): LabelledQuestion[] {
  const random = mulberry32(seed);
  const keys = ['chest_xray/chexpert_full', 'mammo/vindr', 'ecg/ptb-xl', 'derm/ham10000', 'ultrasound/busi', 'chest_xray/vindr', 'fundus/aptos'];
  return Array.from({ length: count }, (_, i) => {
    const key = keys[i % keys.length];
    const labelSet = catalog.dataset(key).label_set;
    const first = Math.floor(random() * labelSet.length);
    const labels = catalog.dataset(key).task_type === 'multi-label' && first + 2 < labelSet.length ? [labelSet[first], labelSet[first + 2]] : [labelSet[first]];
    const x = 40 + Math.floor(random() * 200);
    const y = 30 + Math.floor(random() * 150);
    return syntheticQuestion(key, labels, seed * 1000 + i, { box: [x, y, x + 120, y + 90] });
  });
}
