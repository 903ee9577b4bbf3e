// The options of `ingest:dicom`, as text on the command line and as typed values for the stage.
import { parseFrameSelection, type FrameSelection } from '@qoq/dicom';
import type { BurnedInPolicy, DateMode } from '@qoq/deid';
import { parseChoice, parseNonNegativeInteger, UsageError, type OptionSpecs, type ParsedOptions } from '@qoq/runtime';
import { DEFAULT_MAX_PIXELS, RESIZE_KERNEL } from './png-encoding';
import type { DicomDeidSettings } from './dicom-stage-deid';
import type { DicomRenderOptions } from './dicom-stage-types';
import { parseWindowChoice, WINDOW_PRESETS, type WindowChoice } from './window-presets';

export const DICOM_STAGE_OPTIONS = {
  window: { type: 'string' },
  frames: { type: 'string' },
  'max-pixels': { type: 'string' },
  'full-resolution-decode': { type: 'boolean', default: false },
  'date-mode': { type: 'string' },
  'burned-in': { type: 'string' },
  'allow-burned-in': { type: 'boolean', default: false },
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
  --date-mode=shift|drop    shift: dates move by the patient's salted offset, the same one ingest:reports
                            uses (default); drop: dates are removed or emptied (PS3.15 Basic Profile)
  --burned-in=flagged|strict|allow
                            images whose pixels may carry text, refused as DICOM_BURNED_IN. flagged
                            (default): Burned In Annotation YES, ultrasound, Image Type SCREEN SAVE / DOSE
                            INFO, secondary capture unless Burned In Annotation is NO; strict: also Image
                            Type SECONDARY unless Burned In Annotation is NO; allow: none (pixels cleaned
                            upstream). The risk of an image let through is in provenance.parquet
                            (burned_in_risk)
  --allow-burned-in         the same as --burned-in=allow
  --workers=N --fail-on-reject`;

export interface DicomStageOptions {
  /** `frames` is --frames, or 'middle' when it was not given (see `frames`). */
  readonly render: DicomRenderOptions;
  /** --frames when given; undefined: the catalog's default per dataset. */
  readonly frames: FrameSelection | undefined;
  /** --window when given; undefined: the catalog's default per dataset. */
  readonly window: WindowChoice | undefined;
  readonly deid: DicomDeidSettings;
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
  const dateMode: DateMode = parsed['date-mode'] === undefined ? 'shift' : parseChoice('date-mode', parsed['date-mode'], ['shift', 'drop'] as const);
  const policy = parsed['burned-in'] === undefined ? undefined : parseChoice('burned-in', parsed['burned-in'], ['flagged', 'strict', 'allow'] as const);
  if (parsed['allow-burned-in'] && policy !== undefined && policy !== 'allow') throw new UsageError(`--allow-burned-in contradicts --burned-in=${policy}`);
  const burnedIn: BurnedInPolicy = parsed['allow-burned-in'] ? 'allow' : (policy ?? 'flagged');
  return { window, frames, render: { frames: frames ?? 'middle', maxPixels, reducedResolutionDecode: !parsed['full-resolution-decode'] }, deid: { dateMode, burnedIn } };
}
