import { describe, expect, it } from 'vitest';
import { computeReward, extractEvaluationAnswer } from '@qoq/drpo';
import type { AnswerConstraint } from './answer-grammar';
import { binsToPixels, decodeAnswerTokens, encodeGoldAnswer, pixelsToBins, renderAnswer, THINK_TEXT } from './answer-rendering';
import { catalog, vocabulary } from './test-questions';

function constraintOf(labelSet: readonly string[], boxTask: boolean, maxLabels: number): AnswerConstraint {
  return { labelTokens: Int32Array.from(labelSet, (label) => vocabulary.labelToken(label)), boxTask, maxLabels, maxBoxes: 1 };
}

const target = { imageWidth: 640, imageHeight: 480 };

function goldText(datasetKey: string, labels: string[], box: [number, number, number, number] | null, maxLabels = 4): string {
  const dataset = catalog.dataset(datasetKey);
  const constraint = constraintOf(dataset.label_set, dataset.localization !== 'none', maxLabels);
  const tokens = encodeGoldAnswer(vocabulary, constraint, dataset.label_set, labels, box, target);
  return renderAnswer(vocabulary, decodeAnswerTokens(vocabulary, tokens), target);
}

describe('rendering answers as the official text', () => {
  it('writes <think>, a ```json block on its own lines and \\boxed{…}', () => {
    // On the bin grid (640 / 32 = 20 px, 480 / 32 = 15 px), a box renders exactly.
    const text = goldText('mammo/vindr', ['BI-RADS 4'], [100, 45, 300, 195]);
    expect(text).toBe(`<think>${THINK_TEXT}</think>\n\`\`\`json\n[{"bbox_2d": [100, 45, 300, 195], "label": "BI-RADS 4"}]\n\`\`\`\n\\boxed{BI-RADS 4}`);
  });

  it('a correct box answer scores accuracy 1, format 1 and a high IoU with @qoq/drpo', () => {
    const box: [number, number, number, number] = [113, 61, 287, 214];
    const reward = computeReward(goldText('mammo/vindr', ['BI-RADS 4'], box), { answer: 'BI-RADS 4', goldBox: box });
    expect(reward.accuracy).toBe(1);
    expect(reward.format).toBe(1);
    expect(reward.iou).toBeGreaterThan(0.85);
  });

  it('a correct multi-label answer scores accuracy 1; a partial one its set-F1; the evaluation parser reads the labels', () => {
    const text = goldText('chest_xray/chexpert_full', ['Pleural Effusion', 'Cardiomegaly'], null);
    expect(computeReward(text, { answer: 'Cardiomegaly, Pleural Effusion' }).accuracy).toBe(1);
    expect(computeReward(text, { answer: 'Cardiomegaly' }).accuracy).toBeCloseTo(2 / 3, 12);
    expect(computeReward(text, { answer: 'Edema' }).accuracy).toBe(0);
    // Without boxes the block is an empty list: 0.2 + 0.1 + 0.2 + 0.1.
    expect(computeReward(text, { answer: 'Edema' }).format).toBeCloseTo(0.6, 12);
    expect(extractEvaluationAnswer(text)).toBe('Cardiomegaly, Pleural Effusion');
  });

  it('every answer string of the catalog survives the reward parser (no separator inside a label)', () => {
    for (const dataset of catalog.datasets()) {
      for (const label of dataset.label_set) {
        const text = goldText(dataset.dataset_key, [label], dataset.localization !== 'none' ? [10, 10, 100, 100] : null, 1);
        expect(computeReward(text, { answer: label }).accuracy, `${dataset.dataset_key}: ${label}`).toBe(1);
      }
    }
  });

  it('quantizes boxes with at most half a bin of error per side and never to an empty box', () => {
    for (const [width, height] of [[640, 480], [512, 512], [723, 391]]) {
      for (let k = 0; k < 200; k++) {
        const x1 = (k * 37) % (width - 10);
        const y1 = (k * 53) % (height - 10);
        const box = [x1, y1, Math.min(width, x1 + 3 + ((k * 71) % 300)), Math.min(height, y1 + 3 + ((k * 29) % 200))] as const;
        const bins = pixelsToBins(box, width, height, 32);
        const back = binsToPixels(bins, width, height, 32);
        expect(back[2]).toBeGreaterThan(back[0]);
        expect(back[3]).toBeGreaterThan(back[1]);
        // Half a bin, plus rounding to whole pixels; a box smaller than a bin grows to one bin.
        const tolerance = (extent: number): number => extent / 64 + 0.5 + 1e-9;
        expect(Math.abs(back[0] - box[0])).toBeLessThanOrEqual(tolerance(width) + Math.max(0, width / 32 - (box[2] - box[0])));
        expect(Math.abs(back[1] - box[1])).toBeLessThanOrEqual(tolerance(height) + Math.max(0, height / 32 - (box[3] - box[1])));
        expect(Math.abs(back[2] - box[2])).toBeLessThanOrEqual(tolerance(width) + Math.max(0, width / 32 - (box[2] - box[0])));
        expect(Math.abs(back[3] - box[3])).toBeLessThanOrEqual(tolerance(height) + Math.max(0, height / 32 - (box[3] - box[1])));
      }
    }
  });

  it('swaps reversed corners and clamps boxes to the image', () => {
    expect(pixelsToBins([300, 200, 100, 50], 640, 480, 32)).toEqual(pixelsToBins([100, 50, 300, 200], 640, 480, 32));
    expect(binsToPixels(pixelsToBins([-50, -20, 900, 700], 640, 480, 32), 640, 480, 32)).toEqual([0, 0, 640, 480]);
  });
});
