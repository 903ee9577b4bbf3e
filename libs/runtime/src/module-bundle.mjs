// TypeScript entry modules as one pre-built JavaScript file instead of TypeScript loaded through tsx.
// Plain JavaScript (with module-bundle.d.mts for its types) because the launcher (launch.mjs) needs it
// before anything can load TypeScript. Used for pool workers (worker-pool.ts) and for the commands the
// Nx targets run (launch.mjs). tsx in a worker thread registers its loader and sends every import of the worker's module graph (~100 workspace
// modules) through the loader thread: measured on ingest:dicom, that start-up cost two worker threads
// ~1.5 s of CPU each, more than decoding 24 chest X-rays. esbuild (installed with tsx) bundles the
// worker's workspace modules (`@qoq/*`, relative imports) into one ES module; npm packages stay
// external and load from node_modules as they would under tsx (native addons and WASM codecs read
// files beside themselves); every module keeps its own import.meta.url. The bundle is cached in node_modules/.cache/qoq-workers and rebuilt when
// the content of any bundled source changes (SHA-256 of each input, not mtimes: checkouts reset those).
// The same holds in the main thread: a stage starts ~0.7 s sooner from its bundle than through tsx.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * @typedef {object} BundleRecord
 * @property {string} builder esbuild's version and this file's bundling rules: a change of either rebuilds.
 * @property {Record<string, string>} inputs absolute input path → SHA-256 of its content when built.
 */

/** Bumped when the build options below change. */
const RULES_VERSION = 2;

/** @param {string} path @returns {string | undefined} */
function sha256(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

/** @param {string} recordPath @param {string} builder @returns {boolean} */
function isCurrent(recordPath, builder) {
  /** @type {BundleRecord} */
  let record;
  try {
    record = JSON.parse(readFileSync(recordPath, 'utf8'));
  } catch {
    return false;
  }
  if (record.builder !== builder) return false;
  return Object.entries(record.inputs).every(([path, digest]) => sha256(path) === digest);
}

/** Writes through a temporary name, so a concurrent process never reads half a bundle. */
/** @param {string} path @param {string | Uint8Array} content */
function writeAtomically(path, content) {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/** The package part of a bare specifier: `sharp`, `@duckdb/node-api`. */
/** @param {string} specifier @returns {string} */
function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The bundle of a TypeScript entry module (a pool worker, a command), built or taken from the cache
 * under `<root>/node_modules/.cache/qoq-workers`; undefined when esbuild is not installed or the build
 * fails — the caller then runs the module through tsx.
 * @param {URL} script the entry module
 * @param {string} root the workspace root (tsconfig.base.json, node_modules)
 * @returns {Promise<URL | undefined>}
 */
export async function bundledModule(script, root) {
  /** @type {typeof import('esbuild')} */
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const entry = fileURLToPath(script);
  const folder = join(root, 'node_modules', '.cache', 'qoq-workers');
  const name = `${basename(entry, '.ts')}-${createHash('sha256').update(entry).digest('hex').slice(0, 12)}`;
  const bundlePath = join(folder, `${name}.mjs`);
  const recordPath = join(folder, `${name}.json`);
  const builder = `esbuild ${esbuild.version}, rules ${RULES_VERSION}`;
  if (isCurrent(recordPath, builder)) return pathToFileURL(bundlePath);
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      metafile: true,
      logLevel: 'silent',
      absWorkingDir: root,
      tsconfig: join(root, 'tsconfig.base.json'),
      plugins: [
        {
          name: 'npm-packages-external',
          setup(build) {
            // Each workspace module keeps its own import.meta.url (its source file), so that paths it
            // builds relative to itself (`new URL('./x', import.meta.url)`, createRequire) mean what
            // they mean under tsx, not something relative to the cache folder.
            build.onLoad({ filter: /\.[cm]?[jt]s$/ }, (args) => {
              if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
              const source = readFileSync(args.path, 'utf8');
              const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js';
              return { contents: source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)), loader };
            });
            build.onResolve({ filter: /^[^./]/ }, (args) => {
              // Workspace libraries are bundled (tsconfig paths); node: built-ins and packages are not.
              if (args.path.startsWith('@qoq/')) return undefined;
              if (args.path.startsWith('node:') || packageNameOf(args.path) === args.path) return { path: args.path, external: true };
              // A deep import ('ajv/dist/2020') resolves without an extension under tsx's CommonJS-style
              // rules but not under Node's ESM resolver: pin it to the file it names.
              return { path: createRequire(args.importer).resolve(args.path), external: true };
            });
          },
        },
      ],
    });
    const [output] = result.outputFiles;
    /** @type {Record<string, string>} */
    const inputs = {};
    for (const input of Object.keys(result.metafile.inputs)) {
      const path = join(root, input);
      inputs[path] = sha256(path) ?? '';
    }
    mkdirSync(folder, { recursive: true });
    writeAtomically(bundlePath, output.contents);
    writeAtomically(recordPath, `${JSON.stringify({ builder, inputs })}\n`);
    return pathToFileURL(bundlePath);
  } catch {
    return undefined;
  }
}
