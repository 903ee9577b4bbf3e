/**
 * The bundle of a TypeScript entry module (a pool worker, a command), built or taken from the cache
 * under `<root>/node_modules/.cache/qoq-workers`; undefined when esbuild is not installed or the build
 * fails — the caller then runs the module through tsx.
 */
export function bundledModule(script: URL, root: string): Promise<URL | undefined>;
