// What the network is fed, prepared in JavaScript from the loop's questions and answers: image patches,
// ECG patches, dataset indices (contextInputs), and every position of given answers with its prefix
// features, mask bias and target (answerPositions) — checked against the vocabulary and the grammar on the
// way, so bad input fails here with a sentence naming the question.
import { advanceAnswer, allowedTokens, AnswerState, type AnswerConstraint } from './answer-grammar';
import { AnswerVocabulary } from './answer-vocabulary';
import { writeDecoderFeatures, type DecoderFeatureLayout } from './decoder-features';
import { ECG_LEADS, ECG_SAMPLES, type PolicyConfig } from './policy-config';
import type { PolicyQuestion } from './policy-contract';
import { MASKED_LOGIT, type ContextInputs } from './policy-network';
import type { PolicyDimensions } from './policy-parameters';

export class PolicyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyInputError';
  }
}

/** The M token positions of R given answers, answer-major (answer r holds offsets[r] … + lengths[r] − 1). */
export interface AnswerPositions {
  readonly count: number;
  readonly lengths: Int32Array;
  readonly offsets: Int32Array;
  /** Question of each position. */
  readonly questionIndex: Int32Array;
  /** [M, decoderFeatures] prefix features, [M, V] mask bias, [M, V] one-hot of the token. */
  readonly features: Float32Array;
  readonly masks: Float32Array;
  readonly targets: Float32Array;
}

export interface PositionEncoding {
  readonly vocabulary: AnswerVocabulary;
  readonly layout: DecoderFeatureLayout;
  /** The restriction of a question (validates it). */
  readonly constraint: (question: PolicyQuestion) => AnswerConstraint;
}

/** Writes the prefix features and mask bias of one position (row `row` of zeroed arrays). */
export function writePosition(encoding: PositionEncoding, features: Float32Array, masks: Float32Array, row: number, previous: number, state: AnswerState, allowed: readonly number[]): void {
  const vocabularySize = encoding.vocabulary.size;
  writeDecoderFeatures(features, row * encoding.layout.width, encoding.layout, previous, state);
  masks.fill(MASKED_LOGIT, row * vocabularySize, (row + 1) * vocabularySize);
  for (const token of allowed) masks[row * vocabularySize + token] = 0;
}

/** Every position of given answers, answer-major, with its features, mask and target; checks the grammar. */
export function answerPositions(encoding: PositionEncoding, questions: readonly PolicyQuestion[], answers: readonly ArrayLike<number>[], questionIndex: Int32Array): AnswerPositions {
  if (questionIndex.length !== answers.length) throw new PolicyInputError(`questionIndex has ${questionIndex.length} entries for ${answers.length} answers`);
  const constraints = questions.map((question) => encoding.constraint(question));
  const lengths = Int32Array.from(answers, (answer) => answer.length);
  const offsets = new Int32Array(answers.length);
  let count = 0;
  lengths.forEach((length, r) => {
    offsets[r] = count;
    count += length;
  });
  const vocabularySize = encoding.vocabulary.size;
  const features = new Float32Array(count * encoding.layout.width);
  const masks = new Float32Array(count * vocabularySize);
  const targets = new Float32Array(count * vocabularySize);
  const positionQuestion = new Int32Array(count);
  answers.forEach((answer, r) => {
    const q = questionIndex[r];
    if (!Number.isInteger(q) || q < 0 || q >= questions.length) throw new PolicyInputError(`questionIndex[${r}] = ${q} outside 0..${questions.length - 1}`);
    if (answer.length === 0) throw new PolicyInputError(`answer ${r} has no tokens`);
    const state = new AnswerState();
    for (let t = 0; t < answer.length; t++) {
      const position = offsets[r] + t;
      writePosition(encoding, features, masks, position, t === 0 ? AnswerVocabulary.BOS : answer[t - 1], state, allowedTokens(encoding.vocabulary, constraints[q], state));
      try {
        advanceAnswer(encoding.vocabulary, constraints[q], state, answer[t]);
      } catch (error) {
        throw new PolicyInputError(`answer ${r} (question ${questions[q].id}), token ${t}: ${(error as Error).message}`);
      }
      targets[position * vocabularySize + answer[t]] = 1;
      positionQuestion[position] = q;
    }
  });
  return { count, lengths, offsets, questionIndex: positionQuestion, features, masks, targets };
}

/** Image patches (pixel − 0.5), ECG patches and dataset indices of N questions; validates their media. */
export function contextInputs(config: PolicyConfig, dims: PolicyDimensions, vocabulary: AnswerVocabulary, questions: readonly PolicyQuestion[]): ContextInputs {
  const imageLength = config.imageSize * config.imageSize * 3;
  const imageRows: number[] = [];
  const ecgRows: number[] = [];
  questions.forEach((question, i) => {
    if (question.image !== null) {
      if (question.image.length !== imageLength) {
        throw new PolicyInputError(`question ${question.id}: image has ${question.image.length} values, expected ${config.imageSize}×${config.imageSize}×3 = ${imageLength}`);
      }
      imageRows.push(i);
    }
    if (question.ecg !== null) {
      if (question.ecg.length !== ECG_LEADS * ECG_SAMPLES) throw new PolicyInputError(`question ${question.id}: ECG has ${question.ecg.length} values, expected 8×2500`);
      ecgRows.push(i);
    }
  });
  const patch = config.patchSize;
  const side = config.imageSize / patch;
  const imagePatches = new Float32Array(imageRows.length * dims.imagePatches * dims.imagePatchFeatures);
  let k = 0;
  for (const row of imageRows) {
    const image = questions[row].image as Float32Array;
    for (let py = 0; py < side; py++) {
      for (let px = 0; px < side; px++) {
        for (let y = 0; y < patch; y++) {
          const start = ((py * patch + y) * config.imageSize + px * patch) * 3;
          for (let i = 0; i < patch * 3; i++) imagePatches[k++] = image[start + i] - 0.5;
        }
      }
    }
  }
  const ecgPatches = new Float32Array(ecgRows.length * ECG_LEADS * ECG_SAMPLES);
  ecgRows.forEach((row, i) => ecgPatches.set(questions[row].ecg as Float32Array, i * ECG_LEADS * ECG_SAMPLES));
  const datasetIndices = Int32Array.from(questions, (question) => {
    if (!vocabulary.hasDataset(question.datasetKey)) throw new PolicyInputError(`question ${question.id}: dataset "${question.datasetKey}" is not in the policy's vocabulary`);
    return vocabulary.datasetIndex(question.datasetKey);
  });
  return { questionCount: questions.length, imagePatches, imageRows: Int32Array.from(imageRows), ecgPatches, ecgRows: Int32Array.from(ecgRows), datasetIndices };
}
