// Runs a TypeScript command from its esbuild bundle: `node libs/runtime/src/launch.mjs <entry.ts> [args…]`,
// what the apps' Nx targets run. A command started this way skips tsx's loader in the main thread
// (~0.7 s of start-up for a stage, module-bundle.mjs) and its pool workers start from their own bundles.
// The entry sees the process as if it had been started directly: process.argv[1] is the entry's path
// and each module's import.meta.url is its source file. Without esbuild, or when the bundle cannot be
// built, the entry runs through tsx as before.
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundledModule } from './module-bundle.mjs';

const [entryArgument, ...commandArguments] = process.argv.slice(2);
if (entryArgument === undefined) {
  process.stderr.write('usage: node libs/runtime/src/launch.mjs <entry.ts> [arguments…]\n');
  process.exit(2);
}
const entry = resolve(entryArgument);
// This file lives at <root>/libs/runtime/src: the workspace root is three folders up.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bundle = await bundledModule(pathToFileURL(entry), root);
process.argv = [process.argv[0], entry, ...commandArguments];
if (bundle !== undefined) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(entry).href);
}
