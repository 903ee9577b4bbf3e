// The contract between the corpus driver and one dataset's layout: plan everything cheap and
// deterministic on the main thread (ids, labels, boxes, CSV indexes), render the media in workers.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { CorpusSpec, DatasetSpec } from './spec';
import type { LabelledBox, TruthItem } from './truth';

export interface PlanContext {
  readonly spec: CorpusSpec;
  readonly dataset: DatasetSpec;
  readonly seed: number;
  readonly scale: number;
}

/** One item's media to render: the layout picks the renderer; `params` is that renderer's own plain data. */
export interface RenderTask {
  readonly layout: string;
  /** The dataset folder, relative to the output root. */
  readonly folder: string;
  readonly seed: number;
  readonly index: number;
  readonly params: unknown;
}

export interface IndexFile {
  /** Relative to the dataset folder. */
  readonly path: string;
  readonly content: string | Uint8Array;
}

export interface DatasetPlan {
  /** One entry per item, in the same order as `renders`. */
  readonly truth: TruthItem[];
  readonly renders: RenderTask[];
  readonly indexFiles: IndexFile[];
}

export interface DatasetGenerator {
  readonly layout: string;
  plan(context: PlanContext): DatasetPlan;
  /**
   * Writes the item's files under `join(outputRoot, task.folder)`. Returns the drawn boxes when only
   * drawing knows them (they replace the planned item's boxes in truth.json).
   */
  render(task: RenderTask, outputRoot: string): Promise<readonly LabelledBox[] | void>;
  /** Index files that need the rendered boxes (written after rendering), from the final truth. */
  finish?(context: PlanContext, truth: readonly TruthItem[]): IndexFile[];
}

export function writeFileMakingFolders(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

export function itemPath(outputRoot: string, task: RenderTask, relative: string): string {
  return join(outputRoot, task.folder, relative);
}
