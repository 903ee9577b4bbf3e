// One DICOM data set to PNGs: decode the selected frames (JPEG 2000 / HTJ2K only at the wavelet level
// the output size needs), render each through the display pipeline, resize and encode.
import { decodeFrames, type DecodedImage, type DicomDataset, type ModalityLut } from '@qoq/dicom';
import type { ScratchArena } from '@qoq/runtime';
import { renderDisplayImage, type AppliedWindow } from './display-image';
import { encodePng, resolutionLevelFor, targetSize, type ImageSize } from './png-encoding';
import type { DicomRenderOptions } from './dicom-stage-types';
import type { WindowChoice } from './window-presets';

export interface RenderedFrame {
  readonly frameIndex: number;
  readonly png: Uint8Array;
  readonly channels: 1 | 3;
  readonly window: AppliedWindow;
  readonly modalityLut: ModalityLut;
}

export interface RenderedImage {
  readonly image: DecodedImage;
  /** The output size of every frame. */
  readonly size: ImageSize;
  readonly frames: readonly RenderedFrame[];
}

/**
 * Throws DicomError (decoding) or DisplayError (rendering): callers at a boundary turn them into rejects.
 * With `arena`, the decoded and rendered pixels live in it (the PNGs do not): the caller resets it only
 * once this returns.
 */
export async function renderDicomImage(dataset: DicomDataset, options: DicomRenderOptions, window: WindowChoice, arena?: ScratchArena): Promise<RenderedImage> {
  const rows = dataset.number('Rows') ?? 0;
  const columns = dataset.number('Columns') ?? 0;
  const size = targetSize(columns, rows, options.maxPixels);
  const encoding = dataset.transferSyntax.encoding;
  const reducible = options.reducedResolutionDecode && (encoding === 'jpeg-2000' || encoding === 'htj2k') && rows > 0 && columns > 0;
  const image = await decodeFrames(dataset, options.frames, { resolutionLevel: reducible ? resolutionLevelFor(columns, rows, size) : 0, arena });
  const frames: RenderedFrame[] = [];
  for (const frame of image.frames) {
    const display = renderDisplayImage(image, frame, window, arena);
    frames.push({ frameIndex: frame.frameIndex, png: await encodePng(display, size), channels: display.channels, window: display.window, modalityLut: frame.modalityLut });
  }
  return { image, size, frames };
}
