// The options of `ingest:dicom`, as text on the command line and as typed values for the stage.
import { parseFrameSelection, type FrameSelection } from '@qoq/dicom';
import { parseNonNegativeInteger, UsageError, type OptionSpecs, type ParsedOptions } from '@qoq/runtime';
import { DEFAULT_MAX_PIXELS, RESIZE_KERNEL } from './png-encoding';
import type { DicomRenderOptions } from './dicom-stage-types';
import { parseWindowChoice, WINDOW_PRESETS, type WindowChoice } from './window-presets';

export const DICOM_STAGE_OPTIONS = {
  window: { type: 'string' },
  frames: { type: 'string' },
  'max-pixels': { type: 'string' },
  'full-resolution-decode': { type: 'boolean', default: false },
} as const satisfies OptionSpecs;

export const DICOM_STAGE_USAGE = `usage: nx run ingest:dicom [options]
  --input=DIR --dataset=KEY | --sources=FILE   inputs (default: the sample's sources.json)
  --output=DIR              output folder (default data/sample/dicom for the sample)
  --salt-file=FILE          secret salt for output names (required for real data)
  --window=header|minmax|percentile|<preset>|<center>,<width>
                            VOI of grayscale images (default: the catalog's per-dataset window, else
                            header = VOI LUT Sequence, else the first Window Center/Width, else min-max);
                            percentile = 0.5–99.5 %; presets: ${Object.entries(WINDOW_PRESETS).map(([name, w]) => `${name} W${w.width}/L${w.center}`).join(', ')}
  --frames=middle|all|N     frames of multi-frame images (default: the catalog's frame sampling per
                            dataset — uniform N, per-slice = all —, else middle; N: uniform frames)
  --max-pixels=N            resize (${RESIZE_KERNEL}) so that width × height ≤ N (default ${DEFAULT_MAX_PIXELS}; 0 keeps the size)
  --full-resolution-decode  decode JPEG 2000 / HTJ2K at full size before resizing (default: only the
                            wavelet level the output size needs)
  --workers=N --fail-on-reject`;

export interface DicomStageOptions {
  /** `frames` is --frames, or 'middle' when it was not given (see `frames`). */
  readonly render: DicomRenderOptions;
  /** --frames when given; undefined: the catalog's default per dataset. */
  readonly frames: FrameSelection | undefined;
  /** --window when given; undefined: the catalog's default per dataset. */
  readonly window: WindowChoice | undefined;
}

export function dicomStageOptionsFrom(parsed: ParsedOptions<typeof DICOM_STAGE_OPTIONS>): DicomStageOptions {
  let window: WindowChoice | undefined;
  if (parsed.window !== undefined) {
    window = parseWindowChoice(parsed.window);
    if (window === undefined) throw new UsageError(`--window: '${parsed.window}' is not header, minmax, percentile, a preset (${Object.keys(WINDOW_PRESETS).join(', ')}) or <center>,<width>`);
  }
  const frames = parsed.frames === undefined ? undefined : parseFrameSelection(parsed.frames);
  if (parsed.frames !== undefined && frames === undefined) throw new UsageError(`--frames: '${parsed.frames}' is not middle, all or a positive integer`);
  const maxPixels = parsed['max-pixels'] === undefined ? DEFAULT_MAX_PIXELS : parseNonNegativeInteger('max-pixels', parsed['max-pixels']);
  return { window, frames, render: { frames: frames ?? 'middle', maxPixels, reducedResolutionDecode: !parsed['full-resolution-decode'] } };
}
