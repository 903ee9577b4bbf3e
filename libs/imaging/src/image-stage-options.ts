// The options of `ingest:images`, as text on the command line and as typed values for the stage.
import { parseNonNegativeInteger, type OptionSpecs, type ParsedOptions } from '@qoq/runtime';
import { IMAGE_FILE_EXTENSIONS } from './image-file-decoding';
import { DEFAULT_MAX_PIXELS, RESIZE_KERNEL } from './png-encoding';

export const IMAGE_STAGE_OPTIONS = {
  'max-pixels': { type: 'string' },
} as const satisfies OptionSpecs;

export const IMAGE_STAGE_USAGE = `usage: nx run ingest:images [options]
  JPEG, PNG and TIFF files (${IMAGE_FILE_EXTENSIONS.join(' ')}, any case) → EXIF orientation applied, ICC → sRGB,
  alpha on black, 16 → 8 bits, grey kept grey, resized, deterministic 8-bit PNG.
  --input=DIR --dataset=KEY | --sources=FILE   inputs (default: the sample's sources.json)
  --output=DIR              output folder (default data/sample/images for the sample)
  --salt-file=FILE          secret salt for output names (required for real data)
  --max-pixels=N            resize (${RESIZE_KERNEL}) so that width × height ≤ N (default ${DEFAULT_MAX_PIXELS}; 0 keeps the size)
  --workers=N --fail-on-reject`;

export interface ImageStageOptions {
  readonly maxPixels: number;
}

export function imageStageOptionsFrom(parsed: ParsedOptions<typeof IMAGE_STAGE_OPTIONS>): ImageStageOptions {
  return { maxPixels: parsed['max-pixels'] === undefined ? DEFAULT_MAX_PIXELS : parseNonNegativeInteger('max-pixels', parsed['max-pixels']) };
}
