// Token sequences ↔ the official answer text (qoq-med.md §3). Rendering is deterministic: a fixed
// <think> text, a ```json block of {"bbox_2d", "label"} objects (empty list when the answer has no box),
// then \boxed{A, B} with the labels joined by ", " (the corpus's answer joiner).
//
// Box coordinates: bin k of an axis of n pixels covers [k·n/B, (k+1)·n/B). x1 / y1 render as the lower
// edge of their bin, x2 / y2 as the upper edge of theirs, so a box always covers at least one bin and a
// gold box quantizes with at most half a bin of error per side. (Bin centres, the first idea, make a box
// inside one bin empty: IoU 0.) Pixels are of the normalized image (imageWidth × imageHeight), rounded.
import { AnswerVocabulary } from './answer-vocabulary';
import { checkAnswerTokens, type AnswerConstraint } from './answer-grammar';

export const THINK_TEXT = 'I compare the findings in the input with each allowed label and name those that are present.';

export type PixelBox = readonly [number, number, number, number];

export interface DecodedAnswer {
  /** Labels in answer order (canonical by construction). */
  readonly labels: readonly string[];
  /** Boxes with the label they follow, in bins. */
  readonly boxes: readonly { readonly label: string; readonly bins: readonly [number, number, number, number] }[];
}

export class AnswerRenderingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnswerRenderingError';
  }
}

/** Reads a token sequence (EOS optional at the end) into labels and boxes. */
export function decodeAnswerTokens(vocabulary: AnswerVocabulary, tokens: ArrayLike<number>): DecodedAnswer {
  const labels: string[] = [];
  const boxes: { label: string; bins: [number, number, number, number] }[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    if (token === AnswerVocabulary.EOS) break;
    if (token === AnswerVocabulary.BOX_START) {
      if (labels.length === 0 || t + 4 >= tokens.length) throw new AnswerRenderingError('box without a label or with fewer than 4 coordinates');
      const bins = [1, 2, 3, 4].map((k) => vocabulary.binOf(tokens[t + k])) as [number, number, number, number];
      boxes.push({ label: labels[labels.length - 1], bins });
      t += 4;
    } else if (vocabulary.isLabelToken(token)) {
      labels.push(vocabulary.labelOf(token));
    } else {
      throw new AnswerRenderingError(`unexpected token ${vocabulary.tokenName(token)} at position ${t}`);
    }
  }
  return { labels, boxes };
}

/** Bins of one axis → [lower edge of the first, upper edge of the second] in pixels. */
export function binsToPixels(bins: readonly [number, number, number, number], width: number, height: number, boxBins: number): PixelBox {
  return [
    Math.round((bins[0] * width) / boxBins),
    Math.round((bins[1] * height) / boxBins),
    Math.round(((bins[2] + 1) * width) / boxBins),
    Math.round(((bins[3] + 1) * height) / boxBins),
  ];
}

/** A pixel box → its bins (nearest edges; reversed corners swapped; clamped to the image). */
export function pixelsToBins(box: PixelBox, width: number, height: number, boxBins: number): [number, number, number, number] {
  const clampIndex = (value: number, low: number): number => Math.min(boxBins - 1, Math.max(low, value));
  const axis = (a: number, b: number, extent: number): [number, number] => {
    const low = Math.min(Math.max(Math.min(a, b), 0), extent);
    const high = Math.min(Math.max(Math.max(a, b), 0), extent);
    const first = clampIndex(Math.round((low / extent) * boxBins), 0);
    const last = clampIndex(Math.round((high / extent) * boxBins) - 1, first);
    return [first, last];
  };
  const [x1, x2] = axis(box[0], box[2], width);
  const [y1, y2] = axis(box[1], box[3], height);
  return [x1, y1, x2, y2];
}

/** The ```json block's list, formatted as Python's json.dumps formats it. */
function boxesJson(boxes: readonly { label: string; pixels: PixelBox }[]): string {
  return `[${boxes.map((box) => `{"bbox_2d": [${box.pixels.join(', ')}], "label": ${JSON.stringify(box.label)}}`).join(', ')}]`;
}

export interface RenderTarget {
  readonly imageWidth: number | null;
  readonly imageHeight: number | null;
}

/** The official answer text of a decoded answer. */
export function renderAnswer(vocabulary: AnswerVocabulary, answer: DecodedAnswer, target: RenderTarget): string {
  const boxes = answer.boxes.map((box) => {
    if (target.imageWidth === null || target.imageHeight === null) throw new AnswerRenderingError('a box needs the normalized image size');
    return { label: box.label, pixels: binsToPixels(box.bins, target.imageWidth, target.imageHeight, vocabulary.boxBins) };
  });
  return `<think>${THINK_TEXT}</think>\n\`\`\`json\n${boxesJson(boxes)}\n\`\`\`\n\\boxed{${answer.labels.join(', ')}}`;
}

/**
 * The gold answer as tokens (the target of the supervised update, and proof that it is reachable): the
 * gold labels in canonical order — at most constraint.maxLabels, the first ones — the gold box (if any,
 * in a box task) after the first label, then EOS. Throws if a gold label is outside the set.
 */
export function encodeGoldAnswer(
  vocabulary: AnswerVocabulary,
  constraint: AnswerConstraint,
  labelSet: readonly string[],
  goldLabels: readonly string[],
  goldBox: PixelBox | null,
  target: RenderTarget,
): Int32Array {
  const order = goldLabels.map((label) => {
    const index = labelSet.indexOf(label);
    if (index < 0) throw new AnswerRenderingError(`gold label "${label}" is not in the question's label set`);
    return index;
  });
  const indices = [...new Set(order)].sort((a, b) => a - b).slice(0, constraint.maxLabels);
  if (indices.length === 0) throw new AnswerRenderingError('a gold answer needs at least one label');
  const tokens: number[] = [];
  indices.forEach((index, position) => {
    tokens.push(constraint.labelTokens[index]);
    if (position === 0 && goldBox !== null && constraint.boxTask && constraint.maxBoxes > 0) {
      if (target.imageWidth === null || target.imageHeight === null) throw new AnswerRenderingError('a gold box needs the normalized image size');
      const bins = pixelsToBins(goldBox, target.imageWidth, target.imageHeight, vocabulary.boxBins);
      tokens.push(AnswerVocabulary.BOX_START, ...bins.map((bin) => vocabulary.binToken(bin)));
    }
  });
  tokens.push(AnswerVocabulary.EOS);
  const encoded = Int32Array.from(tokens);
  checkAnswerTokens(vocabulary, constraint, encoded);
  return encoded;
}
