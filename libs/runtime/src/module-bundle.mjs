// TypeScript entry modules as one pre-built JavaScript file instead of TypeScript loaded through tsx:
// pool workers (worker-pool.ts) and the commands the Nx targets run (launch.mjs). Plain JavaScript (types
// in module-bundle.d.mts) because the launcher needs it before anything can load TypeScript.
// Why: tsx in a worker thread sends every import of the worker's module graph (~100 workspace modules)
// through its loader thread, and its CommonJS hook recompiles each npm package — measured on
// ingest:dicom, ~1 s of CPU per thread at start, more than decoding a dozen chest X-rays; a command
// starts ~0.7 s sooner from its bundle too. esbuild (installed with tsx) bundles the workspace modules
// (`@qoq/*`, relative imports) into one ES module; npm packages stay external and load from node_modules
// as under tsx (native addons and WASM codecs read files beside themselves); every module keeps its own
// import.meta.url. Bundles are cached in node_modules/.cache/qoq-workers and rebuilt when the content of
// any bundled source, tsconfig.base.json or package-lock.json changes (SHA-256, not mtimes: checkouts
// reset those).
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
const RULES_VERSION = 3;

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
  // '' records a file that was absent (package-lock.json in a checkout without one).
  return Object.entries(record.inputs).every(([path, digest]) => (sha256(path) ?? '') === digest);
}

/**
 * Writes through a temporary name, so a concurrent process never reads half a bundle.
 * @param {string} path
 * @param {string | Uint8Array} content
 */
function writeAtomically(path, content) {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/**
 * The package part of a bare specifier: `sharp`, `@duckdb/node-api`.
 * @param {string} specifier
 * @returns {string}
 */
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
    // The path aliases decide what is bundled, and the lock file which package files deep imports
    // were pinned to: a change of either rebuilds as a change of a source does.
    for (const input of [...Object.keys(result.metafile.inputs), 'tsconfig.base.json', 'package-lock.json']) {
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
