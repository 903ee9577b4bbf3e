// Generates the whole sample corpus: plans every dataset, writes the CSV indexes, renders the media in
// a worker pool, then sources.json and truth.json. Written under `<output>.partial` and renamed at the
// end (complete or absent, design.md); nothing depends on time or thread order, so two runs with the
// same seed and scale give byte-identical trees.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadCatalog } from '@qoq/catalog';
import { WorkerPool } from '@qoq/runtime';
import { writeFileMakingFolders, type RenderTask } from './dataset-generator';
import { generatorFor } from './generators';
import { renderChunk, type RenderChunk, type RenderedBoxes } from './render-chunk';
import { loadSpec, type CorpusSpec } from './spec';
import type { TruthItem } from './truth';

export interface GenerateOptions {
  readonly output: string;
  readonly seed?: number;
  /** Multiplies every split count (tests use < 1); 1 is the spec table. */
  readonly scale?: number;
  readonly workers?: number;
  /** Only these dataset keys (default: all). */
  readonly datasets?: readonly string[];
  readonly spec?: CorpusSpec;
}

export interface GenerateSummary {
  readonly items: number;
  readonly datasets: number;
  readonly files: number;
}

const CHUNK = 8;

/**
 * Renders the chunks on `threads` threads: the main thread itself plus `threads − 1` workers, taking
 * chunks from one queue. Rendering on the main thread too saves one worker's baseline memory (a V8
 * isolate with the TypeScript loader, ~65 MB), which keeps the run under its 300 MB budget on 2 cores.
 * Results are stored by chunk position, so thread timing never changes the output.
 */
async function renderChunks(chunks: readonly RenderChunk[], threads: number): Promise<RenderedBoxes[]> {
  const results: RenderedBoxes[] = new Array(chunks.length);
  let next = 0;
  const pool = threads > 1 ? new WorkerPool<RenderChunk, RenderedBoxes>({ script: new URL('./render-worker.ts', import.meta.url), size: threads - 1, window: threads - 1 }) : undefined;
  const workerLoop = async (workerPool: WorkerPool<RenderChunk, RenderedBoxes>) => {
    while (next < chunks.length) {
      const position = next++;
      const outcome = await workerPool.run(chunks[position]);
      if (!outcome.ok) throw new Error(`rendering failed: ${JSON.stringify(outcome.error)}`);
      results[position] = outcome.value;
    }
  };
  const mainLoop = async () => {
    while (next < chunks.length) {
      const position = next++;
      results[position] = await renderChunk(chunks[position]);
      // Let the workers' messages in between two chunks.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  try {
    const loops = [mainLoop()];
    if (pool) for (let worker = 0; worker < threads - 1; worker += 1) loops.push(workerLoop(pool));
    await Promise.all(loops);
  } finally {
    await pool?.close();
  }
  return results;
}

export async function generateCorpus(options: GenerateOptions): Promise<GenerateSummary> {
  const spec = options.spec ?? loadSpec();
  const seed = options.seed ?? spec.defaultSeed;
  const scale = options.scale ?? 1;
  const datasets = spec.datasets.filter((dataset) => !options.datasets || options.datasets.includes(dataset.dataset_key));
  const partial = `${options.output}.partial`;
  rmSync(partial, { recursive: true, force: true });

  const truth: TruthItem[] = [];
  const renders: RenderTask[] = [];
  let files = 0;
  for (const dataset of datasets) {
    const plan = generatorFor(dataset.layout).plan({ spec, dataset, seed, scale });
    for (const file of plan.indexFiles) {
      writeFileMakingFolders(join(partial, dataset.folder, file.path), file.content);
      files += 1;
    }
    if (plan.truth.length !== plan.renders.length) throw new Error(`${dataset.dataset_key}: one render per item expected`);
    truth.push(...plan.truth);
    renders.push(...plan.renders);
  }

  const chunks: RenderChunk[] = [];
  for (let start = 0; start < renders.length; start += CHUNK) chunks.push({ outputRoot: partial, tasks: renders.slice(start, start + CHUNK) });
  sharp.concurrency(1);
  sharp.cache(false);
  const rendered = await renderChunks(chunks, options.workers ?? 2);
  let position = 0;
  for (const chunkBoxes of rendered) {
    for (const boxes of chunkBoxes) {
      if (boxes) truth[position] = { ...truth[position], boxes };
      position += 1;
    }
  }

  for (const dataset of datasets) {
    const generator = generatorFor(dataset.layout);
    if (!generator.finish) continue;
    const own = truth.filter((item) => item.dataset_key === dataset.dataset_key);
    for (const file of generator.finish({ spec, dataset, seed, scale }, own)) {
      writeFileMakingFolders(join(partial, dataset.folder, file.path), file.content);
      files += 1;
    }
  }

  // sources.json names the catalog's layout id (the adapter that reads the folder), which for the
  // generic layouts (csv-file-label, folder-per-class) is not the generator's own renderer key.
  const catalog = loadCatalog();
  const sources = datasets
    .map((dataset) => ({ dataset_key: dataset.dataset_key, layout: catalog.dataset(dataset.dataset_key).layouts[0]?.id ?? dataset.layout, folder: dataset.folder }))
    .sort((a, b) => a.dataset_key.localeCompare(b.dataset_key));
  writeFileMakingFolders(join(partial, 'sources.json'), JSON.stringify(sources, null, 2) + '\n');
  // design.md "Words": labels are in catalog order, whatever order the generator drew them in.
  for (let index = 0; index < truth.length; index += 1) {
    const item = truth[index];
    truth[index] = {
      ...item,
      labels: catalog.inCatalogOrder(item.dataset_key, item.labels),
      knobs: { ...item.knobs, latent_labels: catalog.inCatalogOrder(item.dataset_key, item.knobs.latent_labels) },
    };
  }
  truth.sort((a, b) => (a.dataset_key === b.dataset_key ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.dataset_key < b.dataset_key ? -1 : 1));
  writeFileMakingFolders(
    join(partial, 'truth.json'),
    JSON.stringify({ seed, scale, items: truth }, null, 0).replace(/\},\{"dataset_key"/g, '},\n{"dataset_key"') + '\n',
  );
  if (existsSync(options.output)) rmSync(options.output, { recursive: true, force: true });
  renameSync(partial, options.output);
  return { items: truth.length, datasets: datasets.length, files: files + renders.length + 2 };
}
