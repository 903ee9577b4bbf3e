// What the decoder sees of the answer so far: a multi-hot summary of the prefix, written in JavaScript
// (the prefix is data, it needs no gradient). Under the grammar of answer-grammar.ts the prefix matters
// through exactly these: the previous token, the phase, which labels were named, the coordinates of the
// box being written, and how many labels and boxes there are — so p(token | prefix, input) is modelled
// without losing anything, and every position of a known answer is computed in one parallel pass.
import { ANSWER_PHASE_COUNT, AnswerPhase, type AnswerState } from './answer-grammar';
import type { AnswerVocabulary } from './answer-vocabulary';

/** Label / box counts above these share the last slot. */
const LABEL_COUNT_SLOTS = 9;
const BOX_COUNT_SLOTS = 5;

export interface DecoderFeatureLayout {
  readonly width: number;
  readonly previous: number;
  readonly phase: number;
  readonly emitted: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly labelCount: number;
  readonly boxCount: number;
}

export function decoderFeatureLayout(vocabulary: AnswerVocabulary): DecoderFeatureLayout {
  const v = vocabulary.size;
  const b = vocabulary.boxBins;
  const previous = 0;
  const phase = previous + v;
  const emitted = phase + ANSWER_PHASE_COUNT;
  const x1 = emitted + v;
  const y1 = x1 + b;
  const x2 = y1 + b;
  const labelCount = x2 + b;
  const boxCount = labelCount + LABEL_COUNT_SLOTS;
  return { width: boxCount + BOX_COUNT_SLOTS, previous, phase, emitted, x1, y1, x2, labelCount, boxCount };
}

/** Writes the features of one position into `target` at `offset` (the row must be zero). */
export function writeDecoderFeatures(target: Float32Array, offset: number, layout: DecoderFeatureLayout, previousToken: number, state: AnswerState): void {
  target[offset + layout.previous + previousToken] = 1;
  target[offset + layout.phase + state.phase] = 1;
  for (const token of state.emitted) target[offset + layout.emitted + token] = 1;
  if (state.phase === AnswerPhase.Y1 || state.phase === AnswerPhase.X2 || state.phase === AnswerPhase.Y2) target[offset + layout.x1 + state.x1] = 1;
  if (state.phase === AnswerPhase.X2 || state.phase === AnswerPhase.Y2) target[offset + layout.y1 + state.y1] = 1;
  if (state.phase === AnswerPhase.Y2) target[offset + layout.x2 + state.x2] = 1;
  target[offset + layout.labelCount + Math.min(state.labels, LABEL_COUNT_SLOTS - 1)] = 1;
  target[offset + layout.boxCount + Math.min(state.boxes, BOX_COUNT_SLOTS - 1)] = 1;
}
