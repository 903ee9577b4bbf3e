// Pool workers as one pre-built JavaScript file instead of TypeScript loaded through tsx. tsx in a worker
// thread registers its loader and sends every import of the worker's module graph (~100 workspace
// modules) through the loader thread: measured on ingest:dicom, that start-up cost two worker threads
// ~1.5 s of CPU each, more than decoding 24 chest X-rays. esbuild (installed with tsx) bundles the
// worker's workspace modules (`@qoq/*`, relative imports) into one ES module; npm packages stay
// external and load from node_modules as they would under tsx (native addons and WASM codecs read
// files beside themselves); every module keeps its own import.meta.url. The bundle is cached in node_modules/.cache/qoq-workers and rebuilt when
// the content of any bundled source changes (SHA-256 of each input, not mtimes: checkouts reset those).
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findWorkspaceRoot } from './workspace-root';

interface BundleRecord {
  /** esbuild's version and this file's bundling rules: a change of either rebuilds. */
  readonly builder: string;
  /** Absolute input path → SHA-256 of its content when the bundle was built. */
  readonly inputs: Record<string, string>;
}

/** Bumped when the build options below change. */
const RULES_VERSION = 2;

function sha256(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

function isCurrent(recordPath: string, builder: string): boolean {
  let record: BundleRecord;
  try {
    record = JSON.parse(readFileSync(recordPath, 'utf8')) as BundleRecord;
  } catch {
    return false;
  }
  if (record.builder !== builder) return false;
  return Object.entries(record.inputs).every(([path, digest]) => sha256(path) === digest);
}

/** Writes through a temporary name, so a concurrent process never reads half a bundle. */
function writeAtomically(path: string, content: string | Uint8Array): void {
  const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/** The package part of a bare specifier: `sharp`, `@duckdb/node-api`. */
function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * The bundled worker for a TypeScript worker script, built or taken from the cache; undefined when
 * esbuild is not installed or the build fails — the caller then runs the script through tsx.
 */
export async function bundledWorker(script: URL): Promise<URL | undefined> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const root = findWorkspaceRoot();
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
    const inputs: Record<string, string> = {};
    for (const input of Object.keys(result.metafile.inputs)) {
      const path = join(root, input);
      inputs[path] = sha256(path) ?? '';
    }
    mkdirSync(folder, { recursive: true });
    writeAtomically(bundlePath, output.contents);
    writeAtomically(recordPath, `${JSON.stringify({ builder, inputs } satisfies BundleRecord)}\n`);
    return pathToFileURL(bundlePath);
  } catch {
    return undefined;
  }
}
