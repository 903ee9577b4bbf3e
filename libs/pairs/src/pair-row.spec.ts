import type { SourceBox } from '@qoq/adapters';
import { describe, expect, it } from 'vitest';
import { scaleBox, selectGoldBox } from './pair-row';

const box = (label: string, x_min: number, y_min: number, x_max: number, y_max: number): SourceBox => ({ label, x_min, y_min, x_max, y_max });

describe('gold box of a row', () => {
  const labelSet = ['Aortic enlargement', 'Cardiomegaly', 'Pleural effusion'];
  it('takes the earliest row label in catalog order, then the largest box', () => {
    const boxes = [box('Pleural effusion', 0, 0, 50, 50), box('Cardiomegaly', 10, 10, 20, 20), box('Cardiomegaly', 0, 0, 30, 30)];
    expect(selectGoldBox(boxes, ['Cardiomegaly', 'Pleural effusion'], labelSet)).toEqual(boxes[2]);
    expect(selectGoldBox(boxes, ['Pleural effusion'], labelSet)).toEqual(boxes[0]);
  });
  it('falls back to every box when none carries a row label, and is null without boxes', () => {
    const boxes = [box('Cardiomegaly', 1, 1, 2, 2)];
    expect(selectGoldBox(boxes, ['No finding'], labelSet)).toEqual(boxes[0]);
    expect(selectGoldBox([], ['Cardiomegaly'], labelSet)).toBeNull();
  });
  it('scales source pixels into the written image, ordered and clamped', () => {
    const media = { sourceWidth: 2000, sourceHeight: 1000, outputWidth: 1000, outputHeight: 500 };
    expect(scaleBox(box('x', 100, 50, 301, 2000), media)).toEqual([50, 25, 151, 500]);
    expect(scaleBox(box('x', 300, 60, 100, 20), media)).toEqual([50, 10, 150, 30]);
    expect(scaleBox(box('x', 1, 1, 2, 2), { ...media, sourceWidth: null })).toBeNull();
  });
});
