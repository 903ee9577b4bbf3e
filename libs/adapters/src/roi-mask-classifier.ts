// CBIS-DDSM's ROI folders hold the cropped lesion image and the ROI mask under names that do not say
// which is which (1-1.dcm, 1-2.dcm; datasets.md). The mask is binary: its first frame has at most two
// distinct stored values. Decoding goes through @qoq/dicom, every transfer syntax it supports.
import { readFile } from 'node:fs/promises';
import { decodeFrames, parseDicom } from '@qoq/dicom';

/** 'mask' when the first frame's pixels take at most two values (0 and one foreground level). */
export async function classifyRoiDicomByContent(absolutePath: string): Promise<'mask' | 'image'> {
  const dataset = parseDicom(new Uint8Array(await readFile(absolutePath)), { path: absolutePath });
  const image = await decodeFrames(dataset, 'all');
  const pixels = image.frames[0]?.pixels;
  if (pixels === undefined) return 'image';
  const seen = new Set<number>();
  for (let index = 0; index < pixels.length; index++) {
    seen.add(pixels[index]);
    if (seen.size > 2) return 'image';
  }
  return 'mask';
}
