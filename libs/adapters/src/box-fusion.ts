// Fusing several readers' boxes of ONE class into gold boxes (VinDr-CXR: three radiologists per
// training image). Rule: boxes are visited in a fixed order (reader, then coordinates); each joins the
// first cluster whose mean box it overlaps with IoU ≥ the threshold, else starts a cluster; each
// cluster becomes its mean box, with the number of distinct readers behind it. Weighted box fusion
// would need confidence scores, which reader annotations do not have.
import type { SourceBox } from './source-sample';

export interface ReaderBox extends SourceBox {
  reader: string;
}

export interface FusedBox extends SourceBox {
  readers: number;
}

export function intersectionOverUnion(a: SourceBox, b: SourceBox): number {
  const width = Math.min(a.x_max, b.x_max) - Math.max(a.x_min, b.x_min);
  const height = Math.min(a.y_max, b.y_max) - Math.max(a.y_min, b.y_min);
  if (width <= 0 || height <= 0) return 0;
  const intersection = width * height;
  const area = (box: SourceBox): number => (box.x_max - box.x_min) * (box.y_max - box.y_min);
  return intersection / (area(a) + area(b) - intersection);
}

function meanBox(members: readonly ReaderBox[], label: string): SourceBox {
  const mean = (pick: (box: ReaderBox) => number): number => members.reduce((sum, box) => sum + pick(box), 0) / members.length;
  return { x_min: mean((b) => b.x_min), y_min: mean((b) => b.y_min), x_max: mean((b) => b.x_max), y_max: mean((b) => b.y_max), label };
}

/** Fuses the boxes of one class; the result is sorted by (y_min, x_min). */
export function fuseBoxes(boxes: readonly ReaderBox[], iouThreshold: number): FusedBox[] {
  const ordered = [...boxes].sort(
    (a, b) => (a.reader < b.reader ? -1 : a.reader > b.reader ? 1 : 0) || a.x_min - b.x_min || a.y_min - b.y_min || a.x_max - b.x_max || a.y_max - b.y_max,
  );
  const clusters: ReaderBox[][] = [];
  for (const box of ordered) {
    const cluster = clusters.find((members) => intersectionOverUnion(meanBox(members, box.label), box) >= iouThreshold);
    if (cluster) cluster.push(box);
    else clusters.push([box]);
  }
  return clusters
    .map((members) => ({ ...meanBox(members, members[0].label), readers: new Set(members.map((m) => m.reader)).size }))
    .sort((a, b) => a.y_min - b.y_min || a.x_min - b.x_min);
}
