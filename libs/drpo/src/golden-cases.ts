// Loads ../shared/golden (expected values computed by running the released QoQ-Med code; see its
// README.md for provenance). /work/shared is `../shared` from the workspace root, in CI too.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Box, GoldMask } from './iou-reward';

export const GOLDEN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/golden');

export function readGolden<T>(file: string): T[] {
  return readFileSync(resolve(GOLDEN_DIR, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export interface GoldenRewardCase {
  id: string;
  predict: string;
  ground_truth: string;
  gold_bbox: Box | null;
  gold_mask: { width: number; height: number; rows: string[]; value?: number } | null;
  expected:
    | { overall: number; standard_score: number; iou_score: number; format_score: number; length_score: number }
    | { error: string };
  expected_tensor_dtypes?: Record<string, string>;
  note: string;
}

/** The golden mask as the trainer passes it: a uint8 image where a '1' holds `value` (default 1). */
export function goldenMask(mask: GoldenRewardCase['gold_mask']): GoldMask | null {
  if (!mask) return null;
  const pixels = new Uint8Array(mask.width * mask.height);
  mask.rows.forEach((row, y) => {
    for (let x = 0; x < mask.width; x++) if (row[x] === '1') pixels[y * mask.width + x] = mask.value ?? 1;
  });
  return { width: mask.width, height: mask.height, pixels };
}
