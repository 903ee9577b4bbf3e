import { describe, expect, it } from 'vitest';
import { fuseBoxes, intersectionOverUnion } from './box-fusion';

const box = (reader: string, x_min: number, y_min: number, x_max: number, y_max: number) => ({ reader, x_min, y_min, x_max, y_max, label: 'Nodule/Mass' });

describe('reader box fusion', () => {
  it('computes IoU of pixel boxes', () => {
    expect(intersectionOverUnion(box('a', 0, 0, 10, 10), box('b', 5, 0, 15, 10))).toBeCloseTo(50 / 150);
    expect(intersectionOverUnion(box('a', 0, 0, 10, 10), box('b', 10, 0, 20, 10))).toBe(0);
  });

  it('averages boxes that overlap by IoU ≥ 0.5 and keeps apart those that do not', () => {
    const fused = fuseBoxes([box('R1', 0, 0, 10, 10), box('R2', 1, 1, 11, 11), box('R3', 50, 50, 60, 60), box('R2', 5, 0, 15, 10)], 0.5);
    expect(fused).toEqual([
      { x_min: 0.5, y_min: 0.5, x_max: 10.5, y_max: 10.5, label: 'Nodule/Mass', readers: 2 },
      // IoU with the first cluster's mean is 0.33: its own box.
      { x_min: 5, y_min: 0, x_max: 15, y_max: 10, label: 'Nodule/Mass', readers: 1 },
      { x_min: 50, y_min: 50, x_max: 60, y_max: 60, label: 'Nodule/Mass', readers: 1 },
    ].sort((a, b) => a.y_min - b.y_min || a.x_min - b.x_min));
    expect(fuseBoxes([box('R1', 0, 0, 10, 10), box('R2', 5, 0, 15, 10)], 0.3)).toHaveLength(1);
  });

  it('does not depend on the order the boxes come in', () => {
    const boxes = [box('R3', 2, 2, 12, 12), box('R1', 0, 0, 10, 10), box('R2', 1, 1, 11, 11), box('R1', 40, 40, 44, 44)];
    expect(fuseBoxes([...boxes].reverse(), 0.5)).toEqual(fuseBoxes(boxes, 0.5));
  });
});
