// The "simple supervised model" of the learnability promise: logistic regression on standardized
// features, trained by full-batch gradient descent with L2. Softmax for single-label datasets,
// independent sigmoids (one-vs-rest) for multi-label ones; classes are weighted by inverse frequency
// so that the balanced accuracy of a model that learned nothing is chance, not the majority rate.

export interface TrainingSet {
  /** Row-major, `rows × width`. */
  readonly features: Float64Array;
  readonly width: number;
  /** Row-major 0/1, `rows × classes`. */
  readonly targets: Uint8Array;
  readonly classes: number;
}

export interface LogisticModel {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  readonly multiLabel: boolean;
  readonly width: number;
  readonly classes: number;
}

export function trainLogistic(set: TrainingSet, multiLabel: boolean, options: { iterations?: number; learningRate?: number; l2?: number } = {}): LogisticModel {
  const { width, classes } = set;
  const rows = set.features.length / width;
  const mean = new Float64Array(width);
  const scale = new Float64Array(width);
  for (let row = 0; row < rows; row += 1) for (let column = 0; column < width; column += 1) mean[column] += set.features[row * width + column] / rows;
  for (let row = 0; row < rows; row += 1) for (let column = 0; column < width; column += 1) scale[column] += (set.features[row * width + column] - mean[column]) ** 2 / rows;
  for (let column = 0; column < width; column += 1) scale[column] = 1 / Math.sqrt(scale[column] + 1e-9);
  const x = new Float64Array(set.features.length);
  for (let row = 0; row < rows; row += 1) for (let column = 0; column < width; column += 1) x[row * width + column] = (set.features[row * width + column] - mean[column]) * scale[column];

  // Per class weights: positives (and, for sigmoids, negatives) weighted to balance.
  const positives = new Float64Array(classes);
  for (let row = 0; row < rows; row += 1) for (let k = 0; k < classes; k += 1) positives[k] += set.targets[row * classes + k];
  const weights = new Float64Array(width * classes);
  const bias = new Float64Array(classes);
  const iterations = options.iterations ?? 300;
  const learningRate = options.learningRate ?? 0.5;
  const l2 = options.l2 ?? 0.01;
  const logits = new Float64Array(classes);
  const gradW = new Float64Array(width * classes);
  const gradB = new Float64Array(classes);
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    gradW.fill(0);
    gradB.fill(0);
    for (let row = 0; row < rows; row += 1) {
      const offset = row * width;
      for (let k = 0; k < classes; k += 1) {
        let sum = bias[k];
        for (let column = 0; column < width; column += 1) sum += weights[column * classes + k] * x[offset + column];
        logits[k] = sum;
      }
      if (!multiLabel) {
        let max = -Infinity;
        for (let k = 0; k < classes; k += 1) max = Math.max(max, logits[k]);
        let total = 0;
        for (let k = 0; k < classes; k += 1) total += (logits[k] = Math.exp(logits[k] - max));
        let target = 0;
        for (let k = 0; k < classes; k += 1) if (set.targets[row * classes + k]) target = k;
        const rowWeight = rows / (classes * Math.max(1, positives[target]));
        for (let k = 0; k < classes; k += 1) {
          const error = rowWeight * (logits[k] / total - (k === target ? 1 : 0));
          gradB[k] += error;
          for (let column = 0; column < width; column += 1) gradW[column * classes + k] += error * x[offset + column];
        }
      } else {
        for (let k = 0; k < classes; k += 1) {
          const y = set.targets[row * classes + k];
          const p = 1 / (1 + Math.exp(-logits[k]));
          const rowWeight = y ? rows / (2 * Math.max(1, positives[k])) : rows / (2 * Math.max(1, rows - positives[k]));
          const error = rowWeight * (p - y);
          gradB[k] += error;
          for (let column = 0; column < width; column += 1) gradW[column * classes + k] += error * x[offset + column];
        }
      }
    }
    for (let index = 0; index < weights.length; index += 1) weights[index] -= learningRate * (gradW[index] / rows + l2 * weights[index]);
    for (let k = 0; k < classes; k += 1) bias[k] -= (learningRate * gradB[k]) / rows;
  }
  return { mean, scale, weights, bias, multiLabel, width, classes };
}

/** Scores per class for one feature row (logits). */
export function scoreRow(model: LogisticModel, row: ArrayLike<number>): Float64Array {
  const logits = new Float64Array(model.classes);
  for (let k = 0; k < model.classes; k += 1) {
    let sum = model.bias[k];
    for (let column = 0; column < model.width; column += 1) sum += model.weights[column * model.classes + k] * (row[column] - model.mean[column]) * model.scale[column];
    logits[k] = sum;
  }
  return logits;
}

/**
 * Balanced accuracy on a test set: mean recall over the classes present (single-label), or the mean
 * over labels with at least `minimumPerSide` positives and negatives of (TPR + TNR) / 2 (multi-label).
 */
export function balancedAccuracy(model: LogisticModel, test: TrainingSet, minimumPerSide = 5): number {
  const rows = test.features.length / test.width;
  const { classes } = test;
  const truePositive = new Float64Array(classes);
  const positive = new Float64Array(classes);
  const trueNegative = new Float64Array(classes);
  for (let row = 0; row < rows; row += 1) {
    const logits = scoreRow(model, test.features.subarray(row * test.width, (row + 1) * test.width));
    if (!model.multiLabel) {
      let predicted = 0;
      for (let k = 1; k < classes; k += 1) if (logits[k] > logits[predicted]) predicted = k;
      for (let k = 0; k < classes; k += 1) {
        if (test.targets[row * classes + k]) {
          positive[k] += 1;
          if (predicted === k) truePositive[k] += 1;
        }
      }
    } else {
      for (let k = 0; k < classes; k += 1) {
        const y = test.targets[row * classes + k];
        const predicted = logits[k] > 0 ? 1 : 0;
        if (y) positive[k] += 1;
        if (y && predicted) truePositive[k] += 1;
        if (!y && !predicted) trueNegative[k] += 1;
      }
    }
  }
  const scores: number[] = [];
  for (let k = 0; k < classes; k += 1) {
    if (!model.multiLabel) {
      if (positive[k] > 0) scores.push(truePositive[k] / positive[k]);
    } else if (positive[k] >= minimumPerSide && rows - positive[k] >= minimumPerSide) {
      scores.push((truePositive[k] / positive[k] + trueNegative[k] / (rows - positive[k])) / 2);
    }
  }
  return scores.reduce((sum, score) => sum + score, 0) / scores.length;
}
