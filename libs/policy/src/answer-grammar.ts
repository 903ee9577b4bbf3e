// The decoding restriction (issue 10): what token may come next, given what the answer holds so far.
//
//   answer := label (box)? (label (box)?)* EOS          labels of the question's set, canonical order
//   box    := BOX_START x1 y1 x2 y2                      bins, x2 ≥ x1 and y2 ≥ y1
//
// A label may be followed only by a later label of the set (so no repeats, canonical order), by EOS, or —
// in a box task, once per label — by BOX_START. At most `maxLabels` labels and `maxBoxes` boxes. The same
// rule masks the logits when sampling, when decoding greedily and whenever log-probs are recomputed (old,
// new, reference), so every log-prob is of the same restricted distribution.
import { AnswerVocabulary } from './answer-vocabulary';

/** Where an answer stands; also an input of the decoder (one-hot), so it must stay a small fixed set. */
export const AnswerPhase = { Start: 0, AfterLabel: 1, AfterBox: 2, X1: 3, Y1: 4, X2: 5, Y2: 6, Done: 7 } as const;
export type AnswerPhase = (typeof AnswerPhase)[keyof typeof AnswerPhase];
export const ANSWER_PHASE_COUNT = 8;

/** The restriction of one question. */
export interface AnswerConstraint {
  /** Vocabulary ids of the question's label set, canonical order. */
  readonly labelTokens: Int32Array;
  readonly boxTask: boolean;
  readonly maxLabels: number;
  readonly maxBoxes: number;
}

export class AnswerGrammarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnswerGrammarError';
  }
}

/** Mutable decoding state of one answer. */
export class AnswerState {
  phase: AnswerPhase = AnswerPhase.Start as AnswerPhase;
  /** Index in the label set of the last label, −1 before the first. */
  lastLabel = -1;
  labels = 0;
  /** Label tokens emitted so far, in order. */
  readonly emitted: number[] = [];
  boxes = 0;
  x1 = 0;
  y1 = 0;
  x2 = 0;
}

/** Most tokens an answer under `constraint` can have (EOS included). */
export function maxAnswerLength(constraint: AnswerConstraint): number {
  const labels = Math.min(constraint.labelTokens.length, constraint.maxLabels);
  const boxes = constraint.boxTask ? Math.min(constraint.maxBoxes, labels) : 0;
  return labels + 5 * boxes + 1;
}

/** The tokens allowed next, ascending. Empty once the answer is done. */
export function allowedTokens(vocabulary: AnswerVocabulary, constraint: AnswerConstraint, state: AnswerState): number[] {
  const allowed: number[] = [];
  const bins = (from: number): void => {
    for (let bin = from; bin < vocabulary.boxBins; bin++) allowed.push(vocabulary.binToken(bin));
  };
  switch (state.phase) {
    case AnswerPhase.X1:
    case AnswerPhase.Y1:
      bins(0);
      break;
    case AnswerPhase.X2:
      bins(state.x1);
      break;
    case AnswerPhase.Y2:
      bins(state.y1);
      break;
    case AnswerPhase.Done:
      break;
    default: {
      if (state.phase !== AnswerPhase.Start) {
        allowed.push(AnswerVocabulary.EOS);
        if (state.phase === AnswerPhase.AfterLabel && constraint.boxTask && state.boxes < constraint.maxBoxes) allowed.push(AnswerVocabulary.BOX_START);
      }
      if (state.labels < constraint.maxLabels) {
        for (let i = state.lastLabel + 1; i < constraint.labelTokens.length; i++) allowed.push(constraint.labelTokens[i]);
      }
      // Label tokens of a set are not in vocabulary order (sets share tokens), so sort once here.
      allowed.sort((a, b) => a - b);
    }
  }
  return allowed;
}

/** Applies `token` to `state`; throws AnswerGrammarError if the restriction forbids it. */
export function advanceAnswer(vocabulary: AnswerVocabulary, constraint: AnswerConstraint, state: AnswerState, token: number): void {
  if (!allowedTokens(vocabulary, constraint, state).includes(token)) {
    const name = token >= 0 && token < vocabulary.size ? vocabulary.tokenName(token) : String(token);
    throw new AnswerGrammarError(`token ${name} is not allowed in phase ${state.phase} of this answer`);
  }
  switch (state.phase) {
    case AnswerPhase.X1:
      state.x1 = vocabulary.binOf(token);
      state.phase = AnswerPhase.Y1;
      return;
    case AnswerPhase.Y1:
      state.y1 = vocabulary.binOf(token);
      state.phase = AnswerPhase.X2;
      return;
    case AnswerPhase.X2:
      state.x2 = vocabulary.binOf(token);
      state.phase = AnswerPhase.Y2;
      return;
    case AnswerPhase.Y2:
      state.boxes++;
      state.phase = AnswerPhase.AfterBox;
      return;
    default:
      if (token === AnswerVocabulary.EOS) state.phase = AnswerPhase.Done;
      else if (token === AnswerVocabulary.BOX_START) state.phase = AnswerPhase.X1;
      else {
        state.lastLabel = constraint.labelTokens.indexOf(token);
        state.labels++;
        state.emitted.push(token);
        state.phase = AnswerPhase.AfterLabel;
      }
  }
}

/** Checks a whole token sequence against the restriction (ends with EOS, every token allowed). */
export function checkAnswerTokens(vocabulary: AnswerVocabulary, constraint: AnswerConstraint, tokens: ArrayLike<number>): void {
  const state = new AnswerState();
  for (let t = 0; t < tokens.length; t++) advanceAnswer(vocabulary, constraint, state, tokens[t]);
  if (state.phase !== AnswerPhase.Done) throw new AnswerGrammarError('answer does not end with EOS');
}
