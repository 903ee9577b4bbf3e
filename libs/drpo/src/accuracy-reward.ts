// The accuracy component of the reward: set-F1 of the last boxed answer against the gold labels
// (QoQ-Med §3 "accuracy"; the code's `standard_score`).
import { NO_ANSWER, extractLastBoxed, parseConditions } from './answer-extraction';

/** F1 of two label sets; 0 when undefined (no overlap). */
export function setF1(predicted: ReadonlySet<string>, gold: ReadonlySet<string>): number {
  let truePositives = 0;
  for (const label of predicted) if (gold.has(label)) truePositives++;
  if (truePositives === 0) return 0;
  const precision = truePositives / predicted.size;
  const recall = truePositives / gold.size;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * Accuracy reward. `\boxed{None}` is the extractor's own "no answer" sentinel, so it scores 0 even when
 * the gold answer is "None" (box-022); both modes keep this, as the catalog never uses "None" as a label.
 */
export function accuracyReward(completion: string, groundTruth: string): number {
  const answer = extractLastBoxed(completion);
  if (answer === NO_ANSWER) return 0;
  return setF1(parseConditions(answer), parseConditions(groundTruth));
}
