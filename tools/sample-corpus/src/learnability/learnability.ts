// The learnability check of one dataset: features read back from its files, logistic regression on
// the train split, balanced accuracy on the test split — with the real labels, and with the train
// labels shuffled (which must stay at chance).
import { join } from 'node:path';
import { runPython } from '@qoq/testing';
import { Prng } from '../prng';
import type { DatasetSpec } from '../spec';
import type { TruthItem } from '../truth';
import { ecgFeatures, readTwelveLeadRecord } from './ecg-features';
import { imageFileFeatures, PYDICOM_FEATURES_SCRIPT } from './image-features';
import { balancedAccuracy, trainLogistic, type TrainingSet } from './logistic-regression';

const MAX_TRAIN = 400;

export interface LearnabilityResult {
  readonly accuracy: number;
  readonly shuffledAccuracy: number;
}

async function featuresOf(root: string, dataset: DatasetSpec, items: readonly TruthItem[]): Promise<number[][]> {
  const folder = join(root, dataset.folder);
  if (dataset.domain === 'ecg') {
    return items.map((item) => {
      const record = readTwelveLeadRecord(join(folder, item.id));
      return ecgFeatures(record.leads, record.frequency);
    });
  }
  if (items[0].id.endsWith('.dcm') || items[0].id.endsWith('.dicom')) {
    const { stdout } = runPython(PYDICOM_FEATURES_SCRIPT, [], items.map((item) => join(folder, item.id)).join('\n'));
    return stdout.trim().split('\n').map((line) => JSON.parse(line) as number[]);
  }
  const features: number[][] = [];
  for (const item of items) features.push(await imageFileFeatures(join(folder, item.id)));
  return features;
}

function trainingSet(features: readonly number[][], items: readonly TruthItem[], labels: readonly string[], order?: readonly number[]): TrainingSet {
  const width = features[0].length;
  const flat = new Float64Array(features.length * width);
  features.forEach((row, index) => flat.set(row, index * width));
  const targets = new Uint8Array(items.length * labels.length);
  items.forEach((_, index) => {
    const source = items[order ? order[index] : index];
    for (const label of source.labels) targets[index * labels.length + labels.indexOf(label)] = 1;
  });
  return { features: flat, width, targets, classes: labels.length };
}

export async function evaluateLearnability(root: string, dataset: DatasetSpec, truth: readonly TruthItem[]): Promise<LearnabilityResult> {
  const own = truth.filter((item) => item.dataset_key === dataset.dataset_key);
  // At most MAX_TRAIN training items (every k-th), to keep the check fast: learning from fewer items
  // only makes the promise harder to meet.
  const allTrain = own.filter((item) => item.split === 'train');
  const stride = Math.ceil(allTrain.length / MAX_TRAIN);
  const train = allTrain.filter((_, index) => index % stride === 0);
  const test = own.filter((item) => item.split === 'test');
  const trainFeatures = await featuresOf(root, dataset, train);
  const testFeatures = await featuresOf(root, dataset, test);
  const multiLabel = dataset.task === 'multi-label';
  const options = { iterations: 200, learningRate: 0.3, l2: train.length < 200 ? 0.05 : 0.01 };
  const testSet = trainingSet(testFeatures, test, dataset.labels);
  const model = trainLogistic(trainingSet(trainFeatures, train, dataset.labels), multiLabel, options);
  const shuffledOrder = new Prng(17, dataset.dataset_key).shuffle(train.map((_, index) => index));
  const shuffledModel = trainLogistic(trainingSet(trainFeatures, train, dataset.labels, shuffledOrder), multiLabel, options);
  return { accuracy: balancedAccuracy(model, testSet), shuffledAccuracy: balancedAccuracy(shuffledModel, testSet) };
}
