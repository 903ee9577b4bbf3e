// Rendering a chunk of items, on whichever thread runs it (the main thread or a worker).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { RenderTask } from './dataset-generator';
import { generatorFor } from './generators';
import type { LabelledBox } from './truth';

export interface RenderChunk {
  readonly outputRoot: string;
  readonly tasks: readonly RenderTask[];
}

/** Per task, the drawn boxes (or null when the plan already knew them). */
export type RenderedBoxes = Array<readonly LabelledBox[] | null>;

// Pixel buffers live outside the V8 heap, so V8 sees little pressure and lets dead rasters pile up
// (hundreds of MB across threads). A full collection after each chunk keeps the run within its
// memory budget for a few ms per chunk.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const LARGE_GARBAGE = 16 * 2 ** 20;
let survivingArrayBuffers = 0;

function collect(): void {
  collectGarbage();
  survivingArrayBuffers = process.memoryUsage().arrayBuffers;
}

export async function renderChunk({ outputRoot, tasks }: RenderChunk): Promise<RenderedBoxes> {
  const boxes: RenderedBoxes = [];
  for (const task of tasks) {
    boxes.push((await generatorFor(task.layout).render(task, outputRoot)) ?? null);
    // A multi-megapixel item leaves tens of MB of dead buffers: collect them at once.
    // (Relative to what survived the last collection: WebAssembly memories count as array buffers.)
    if (process.memoryUsage().arrayBuffers > survivingArrayBuffers + LARGE_GARBAGE) collect();
  }
  collect();
  return boxes;
}
