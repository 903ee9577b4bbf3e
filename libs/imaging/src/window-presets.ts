// Named VOI windows (centre/width in the units of the Modality LUT output, Hounsfield units for CT),
// and the `--window` option that chooses between them, the header and the data-driven windows.
// The values are the usual radiology reading windows (e.g. Radiopaedia "Windowing (CT)"; RSNA
// teaching files): lung W1500/L−600, mediastinum W350/L50, brain W80/L40, bone W2000/L300,
// abdomen W400/L50, liver W150/L30, stroke W40/L40, subdural W200/L75.
// TODO(data-specs): style.md puts window presets in data-specs/; they move there once a schema exists.
import type { WindowPreset } from '@qoq/catalog';

export interface NamedWindow {
  readonly center: number;
  readonly width: number;
}

export const WINDOW_PRESETS: Readonly<Record<string, NamedWindow>> = {
  lung: { center: -600, width: 1500 },
  mediastinum: { center: 50, width: 350 },
  brain: { center: 40, width: 80 },
  bone: { center: 300, width: 2000 },
  abdomen: { center: 50, width: 400 },
  liver: { center: 30, width: 150 },
  stroke: { center: 40, width: 40 },
  subdural: { center: 75, width: 200 },
};

/**
 * How the VOI is chosen for monochrome images:
 * - `header`: VOI LUT Sequence, else the first Window Center/Width (with VOI LUT Function), else min-max;
 * - `minmax`: a LINEAR window from the smallest to the largest Modality LUT output of the frame;
 * - `percentile`: the same between the `low` and `high` percentiles (robust to a few hot pixels);
 * - `fixed`: a LINEAR window, named (`lung`) or given (`-600,1500`).
 */
export type WindowChoice =
  | { readonly kind: 'header' }
  | { readonly kind: 'minmax' }
  | { readonly kind: 'percentile'; readonly low: number; readonly high: number }
  | { readonly kind: 'fixed'; readonly center: number; readonly width: number; readonly name: string };

export const DEFAULT_PERCENTILES = { low: 0.5, high: 99.5 } as const;

/** Parses `header|minmax|percentile|<preset>|<center>,<width>`; undefined when it is none of them. */
export function parseWindowChoice(text: string): WindowChoice | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'header') return { kind: 'header' };
  if (trimmed === 'minmax') return { kind: 'minmax' };
  if (trimmed === 'percentile') return { kind: 'percentile', ...DEFAULT_PERCENTILES };
  const preset = Object.hasOwn(WINDOW_PRESETS, trimmed) ? WINDOW_PRESETS[trimmed] : undefined;
  if (preset !== undefined) return { kind: 'fixed', ...preset, name: trimmed };
  const match = /^(-?\d+(?:\.\d+)?),(\d+(?:\.\d+)?)$/.exec(trimmed.replace(/\s+/g, ''));
  if (match === null) return undefined;
  const center = Number(match[1]);
  const width = Number(match[2]);
  // PS3.3 §C.11.2.1.2.1: Window Width ≥ 1 for LINEAR.
  if (!(width >= 1)) return undefined;
  return { kind: 'fixed', center, width, name: `${center},${width}` };
}

/** The catalog's per-dataset default (data-specs `window`) as a choice: `none` (8-bit sources) reads the header. */
export function windowChoiceFromCatalog(preset: WindowPreset): WindowChoice {
  if (preset.kind === 'fixed') return { kind: 'fixed', center: preset.center, width: preset.width, name: `${preset.center},${preset.width}` };
  return { kind: 'header' };
}
