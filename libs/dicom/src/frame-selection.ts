// Which frames of a multi-frame image to decode (the ingest option --frames=middle|all|<N>).

export type FrameSelection = 'middle' | 'all' | number;

/** Parses `middle`, `all` or a positive integer N. */
export function parseFrameSelection(text: string): FrameSelection | undefined {
  if (text === 'middle' || text === 'all') return text;
  if (/^[1-9]\d*$/.test(text)) return Number(text);
  return undefined;
}

/**
 * 0-based frame indices, ascending. `middle` is frame ⌊(T−1)/2⌋; N frames are spread uniformly over the
 * T frames at ⌊i·(T−1)/(N−1)⌋ for i = 0…N−1 (first and last included); N = 1 is the middle frame and
 * N ≥ T is every frame.
 */
export function selectFrames(numberOfFrames: number, selection: FrameSelection): number[] {
  const total = Math.max(1, Math.trunc(numberOfFrames));
  const middle = Math.floor((total - 1) / 2);
  if (selection === 'middle') return [middle];
  if (selection === 'all') return Array.from({ length: total }, (_, i) => i);
  const count = Math.trunc(selection);
  if (!(count >= 1)) throw new RangeError(`frame count must be a positive integer, not ${selection}`);
  if (count >= total) return Array.from({ length: total }, (_, i) => i);
  if (count === 1) return [middle];
  return Array.from({ length: count }, (_, i) => Math.floor((i * (total - 1)) / (count - 1)));
}
