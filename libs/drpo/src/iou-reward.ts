// The IoU component of the reward (QoQ-Med §3 "iou"), in the released code's two paths: against the
// gold mask when it has foreground (boxes rasterized, float32 tensors), else against the gold box.
import { pyLen, pyNumberValue, isPyNumber, type PyValue } from './py-value';
import { parsePythonJson } from './python-json';
import { lenientParse } from './format-reward';
import { isPythonWhitespace } from './python-text';

/** `[x_min, y_min, x_max, y_max]` in pixels. */
export type Box = readonly [number, number, number, number];

/** A gold segmentation mask, row-major; any value > 0 is foreground. */
export interface GoldMask {
  readonly width: number;
  readonly height: number;
  readonly pixels: ArrayLike<number>;
}

export type RewardMode = 'code' | 'fixed';
export type IouAggregation = 'mean' | 'max';

/** A completion that makes the released reward function raise (it has no try around json.loads' other errors). */
export class RewardComputationError extends Error {
  override readonly name = 'RewardComputationError';
  constructor(
    readonly code: 'PY_RECURSION_ERROR' | 'PY_VALUE_ERROR',
    message: string,
  ) {
    super(message);
  }
}

// Python's `\s` on str patterns is Unicode whitespace (str.isspace), not JavaScript's `\s`.
const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const FENCED_BLOCK = new RegExp('```(?:json)?' + PY_SPACE + '*([\\s\\S]*?)' + PY_SPACE + '*```', 'g');

/**
 * extract_json_from_response: the first fenced block (regex, not line based) that json.loads parses, or
 * failing that the lenient parse. In `code` mode the json.loads errors that are not JSONDecodeError
 * escape as in Python (err-001, err-002); FIX (`fixed`): they are just an unparseable block.
 */
export function extractAnswerJson(text: string, mode: RewardMode): PyValue | undefined {
  for (const match of text.matchAll(FENCED_BLOCK)) {
    const strict = parsePythonJson(match[1]);
    if (strict.ok) return strict.value;
    if (mode === 'code' && strict.failure === 'recursion') {
      throw new RewardComputationError('PY_RECURSION_ERROR', 'maximum recursion depth exceeded while decoding a JSON array');
    }
    if (mode === 'code' && strict.failure === 'int-digits') {
      throw new RewardComputationError('PY_VALUE_ERROR', 'Exceeds the limit (4300 digits) for integer string conversion');
    }
    const lenient = lenientParse(match[1]);
    if (lenient !== undefined) return lenient;
  }
  return undefined;
}

/** The `bbox_2d` values of the answer: a list of objects, one object, or `{objects_of_interest: [...]}`. */
export function predictedBoxValues(answer: PyValue | undefined): PyValue[] {
  if (answer === undefined) return [];
  let items: readonly PyValue[];
  if (answer.kind === 'dict') {
    const wrapped = answer.entries.get('objects_of_interest');
    if (wrapped === undefined) items = [answer];
    else items = wrapped.kind === 'list' || wrapped.kind === 'tuple' ? wrapped.items : [];
  } else if (answer.kind === 'list') {
    items = answer.items;
  } else {
    return [];
  }
  const boxes: PyValue[] = [];
  for (const item of items) {
    const box = item.kind === 'dict' ? item.entries.get('bbox_2d') : undefined;
    if (box !== undefined) boxes.push(box);
  }
  return boxes;
}

const pyMax = (a: number, b: number): number => (b > a ? b : a);
const pyMin = (a: number, b: number): number => (b < a ? b : a);

/** Box IoU as the code computes it: no clamping, no corner swap; NaN or an empty union give 0. */
export function boxIou(predicted: Box, gold: Box): number {
  const left = pyMax(predicted[0], gold[0]);
  const top = pyMax(predicted[1], gold[1]);
  const right = pyMin(predicted[2], gold[2]);
  const bottom = pyMin(predicted[3], gold[3]);
  if (right < left || bottom < top) return 0;
  const intersection = (right - left) * (bottom - top);
  const predictedArea = (predicted[2] - predicted[0]) * (predicted[3] - predicted[1]);
  const goldArea = (gold[2] - gold[0]) * (gold[3] - gold[1]);
  const union = predictedArea + goldArea - intersection;
  return union > 0 ? intersection / union : 0;
}

/** Python `int(x)` for the values a box can hold, or undefined where it raises. */
function pyInt(value: PyValue): number | undefined {
  if (value.kind === 'bool') return value.value ? 1 : 0;
  if (value.kind === 'int') return value.value;
  if (value.kind === 'float') return Number.isFinite(value.value) ? Math.trunc(value.value) : undefined;
  if (value.kind === 'str') {
    let start = 0;
    let end = value.value.length;
    while (start < end && isPythonWhitespace(value.value.charCodeAt(start))) start++;
    while (end > start && isPythonWhitespace(value.value.charCodeAt(end - 1))) end--;
    const digits = value.value.slice(start, end);
    return /^[+-]?\d+(?:_\d+)*$/.test(digits) ? Number(digits.replace(/_/g, '')) : undefined;
  }
  return undefined;
}

/**
 * The mask IoU of one predicted box, float32: coordinates int()-truncated, clamped to the image, corners
 * swapped, raster inclusive — but a box whose corners coincide on an axis has no pixels (json-044).
 */
export function maskIou(corners: readonly [number, number, number, number], mask: GoldMask): number {
  const clampX = (x: number): number => Math.max(0, Math.min(x, mask.width - 1));
  const clampY = (y: number): number => Math.max(0, Math.min(y, mask.height - 1));
  let [x1, y1, x2, y2] = [clampX(corners[0]), clampY(corners[1]), clampX(corners[2]), clampY(corners[3])];
  if (x1 > x2) [x1, x2] = [x2, x1];
  if (y1 > y2) [y1, y2] = [y2, y1];
  const hasPixels = x1 !== x2 && y1 !== y2;
  let intersection = 0;
  let union = 0;
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      const inGold = mask.pixels[y * mask.width + x] > 0;
      const inBox = hasPixels && x >= x1 && x <= x2 && y >= y1 && y <= y2;
      if (inGold && inBox) intersection++;
      if (inGold || inBox) union++;
    }
  }
  return union > 0 ? Math.fround(intersection / union) : 0;
}

export function maskHasForeground(mask: GoldMask | null | undefined): mask is GoldMask {
  if (!mask) return false;
  for (let i = 0; i < mask.width * mask.height; i++) if (mask.pixels[i] > 0) return true;
  return false;
}

/** An IoU value and whether the code holds it as a float32 tensor (which makes the overall float32). */
export interface IouValue {
  readonly iou: number;
  readonly float32: boolean;
}

export interface IouOptions {
  readonly mode: RewardMode;
  readonly aggregation: IouAggregation;
  readonly goldBox?: Box | null;
  readonly goldMask?: GoldMask | null;
}

const ZERO: IouValue = { iou: 0, float32: false };

export function iouReward(completion: string, options: IouOptions): IouValue {
  const boxes = predictedBoxValues(extractAnswerJson(completion, options.mode));
  if (boxes.length === 0) return ZERO;
  if (maskHasForeground(options.goldMask)) return maskPathIou(boxes, options.goldMask, options);
  if (options.goldBox) return boxPathIou(boxes, options.goldBox, options);
  return ZERO;
}

function aggregate(values: number[], count: number, aggregation: IouAggregation, float32: boolean): number {
  if (aggregation === 'max') return values.reduce((best, v) => (v > best ? v : best), 0);
  let total = 0;
  for (const value of values) total = float32 ? Math.fround(total + value) : total + value;
  return float32 ? Math.fround(total / count) : total / count;
}

function boxPathIou(boxes: PyValue[], goldBox: Box, options: IouOptions): IouValue {
  // The trainer passes the gold box as a float32 tensor: 300.1 is really 300.1000061 (off-029).
  const gold: Box = [Math.fround(goldBox[0]), Math.fround(goldBox[1]), Math.fround(goldBox[2]), Math.fround(goldBox[3])];
  const values: number[] = [];
  for (const box of boxes) {
    const length = pyLen(box);
    if (options.mode === 'code') {
      if (length === undefined) return ZERO; // len() of a number raises; the caller's except gives 0
      if (box.kind === 'tuple' || length < 4) continue; // skipped, still in the denominator (json-010, json-032)
      // The code converts the gold tensor with .tolist() inside the loop: the second box raises
      // AttributeError and the whole IoU becomes 0 (off-032, off-033, json-053).
      if (values.length > 0) return ZERO;
      const corners = numericCorners(box);
      if (corners === undefined) return ZERO; // comparing a str or None raises TypeError
      values.push(boxIou(corners, gold));
    } else {
      // FIX: every predicted box is scored; an unusable one counts 0.
      const corners = numericCorners(box);
      values.push(corners === undefined ? 0 : boxIou(corners, gold));
    }
  }
  return { iou: aggregate(values, boxes.length, options.aggregation, false), float32: false };
}

function numericCorners(box: PyValue): Box | undefined {
  if (box.kind !== 'list' && !(box.kind === 'tuple')) return undefined;
  if (box.items.length < 4) return undefined;
  const four = box.items.slice(0, 4);
  if (!four.every(isPyNumber)) return undefined;
  return [pyNumberValue(four[0]), pyNumberValue(four[1]), pyNumberValue(four[2]), pyNumberValue(four[3])];
}

function maskPathIou(boxes: PyValue[], mask: GoldMask, options: IouOptions): IouValue {
  const values: number[] = [];
  for (const box of boxes) {
    const length = pyLen(box);
    if (options.mode === 'code') {
      if (length === undefined) return ZERO; // len(5) raises outside the per-box try (json-040)
      if (box.kind === 'tuple' || length < 4) continue;
    }
    if (box.kind !== 'list' && box.kind !== 'tuple') continue; // str[:4] or dict[:4]: int() raises, box skipped
    if (box.items.length < 4) continue;
    const corners = box.items.slice(0, 4).map(pyInt);
    if (corners.some((c) => c === undefined)) continue; // int(nan), int(inf), int('a') raise: skipped (json-015, json-034)
    values.push(maskIou(corners as [number, number, number, number], mask));
  }
  // With no box rasterized the total stays the Python float 0.0 (json-034 is not float32).
  if (values.length === 0) return ZERO;
  return { iou: aggregate(values, boxes.length, options.aggregation, true), float32: true };
}
