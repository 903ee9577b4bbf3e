// Worker thread of the corpus driver: renders the chunks it is sent.
import sharp from 'sharp';
import { serveWorker } from '@qoq/runtime';
import { renderChunk, type RenderChunk, type RenderedBoxes } from './render-chunk';

// One libvips thread per worker: the pool already keeps every core busy.
sharp.concurrency(1);
sharp.cache(false);

serveWorker<RenderChunk, RenderedBoxes>(renderChunk);
