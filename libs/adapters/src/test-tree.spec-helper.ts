// Miniature dataset trees for the adapter specs: written to a temp folder, removed after each test.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { loadCatalog, type LayoutId } from '@qoq/catalog';
import { readDataset } from './read-dataset';
import type { AdapterOptions } from './adapter-options';
import type { AdapterReject, SourceSample } from './source-sample';

export const catalog = loadCatalog();

const made: string[] = [];

export function cleanTrees(): void {
  for (const folder of made.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** Writes files (path → text or bytes) into a fresh temp folder and returns it. */
export function writeTree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'qoq-adapters-'));
  made.push(root);
  addFiles(root, files);
  return root;
}

export function addFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

export function gzip(text: string): Uint8Array {
  return gzipSync(Buffer.from(text, 'utf8'));
}

/** A greyscale PNG of `width`×`height` whose pixels are 255 where `on(x, y)`. */
export async function greyPng(width: number, height: number, on: (x: number, y: number) => boolean = () => false): Promise<Uint8Array> {
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) pixels[y * width + x] = on(x, y) ? 255 : 0;
  return sharp(pixels, { raw: { width, height, channels: 1 } }).png().toBuffer();
}

export const TINY = new Uint8Array([0xff, 0xd8, 0xff, 0xd9]); // media are never decoded by adapters (masks aside)

export async function readAll(datasetKey: string, root: string, options: AdapterOptions = {}, layout?: LayoutId): Promise<{ samples: SourceSample[]; rejects: AdapterReject[] }> {
  const samples: SourceSample[] = [];
  const rejects: AdapterReject[] = [];
  for await (const item of readDataset({ catalog, datasetKey, root, options, layout })) {
    if (item.kind === 'sample') samples.push(item.sample);
    else rejects.push(item.reject);
  }
  return { samples, rejects };
}

/** CSV text from rows (already-quoted fields are written as given), CRLF like many Windows-made releases. */
export function csv(lines: string[], lineEnd = '\n'): string {
  return lines.join(lineEnd) + lineEnd;
}
