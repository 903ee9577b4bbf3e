// Worker thread of ingest:images: reads one file, normalizes it (image-file-decoding.ts) into the
// stage's work folder, and returns its images.parquet row. Only the allow-listed, non-identifying
// properties below leave this file; EXIF (dates, GPS, camera serials), XMP and text chunks are never read.
import { readFile, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import sharp from 'sharp';
import { serveWorker, workerInput } from '@qoq/runtime';
import { ImageError, normalizeImageBytes } from './image-file-decoding';
import type { ImageStageTask, ImageStageTaskResult, ImageStageWorkerData } from './image-stage-types';

const { maxPixels, workDir } = workerInput<ImageStageWorkerData>();
// The pool runs one file per thread; libvips' own thread pool would only oversubscribe the cores.
sharp.concurrency(1);
sharp.cache(false);

serveWorker<ImageStageTask, ImageStageTaskResult>(async (task) => {
  const buffer = await readFile(join(task.folder, task.path));
  try {
    const image = await normalizeImageBytes(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength), { maxPixels });
    const mediaPath = posix.join(task.mediaFolder, `${task.mediaName}.png`);
    await writeFile(join(workDir, 'media', mediaPath), image.png);
    return {
      kind: 'accepted',
      row: {
        media_path: mediaPath,
        dataset_key: task.datasetKey,
        source_format: image.format,
        source_width: image.sourceWidth,
        source_height: image.sourceHeight,
        exif_orientation: image.exifOrientation,
        source_colour_space: image.colourSpace,
        channels: image.channels,
        has_alpha: image.hasAlpha,
        bit_depth: image.bitDepth,
        palette: image.palette,
        icc_profile: image.iccProfile,
        has_icc_profile: image.hasIccProfile,
        source_pages: image.pages,
        output_width: image.outputWidth,
        output_height: image.outputHeight,
        output_channels: image.outputChannels,
      },
    };
  } catch (error) {
    // The path in a reject is the one relative to the dataset folder; messages never quote values.
    if (error instanceof ImageError) return { kind: 'rejected', code: error.code, message: error.message, path: task.path };
    throw error;
  }
});
