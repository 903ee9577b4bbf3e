// An entry run by launch.spec.ts through launch.mjs: reports what a command relies on — its argv, its
// own import.meta.url, the workspace root found from inside the bundle, and a pool worker started from it.
// (The `@qoq/*` aliases are resolved by the same build: every app target runs through it.)
import { fileURLToPath } from 'node:url';
import { WorkerPool } from './worker-pool';
import { findWorkspaceRoot } from './workspace-root';

const pool = new WorkerPool<{ value: number }, { square: number; buffer: ArrayBuffer }>({ script: new URL('./worker-pool.test-worker.ts', import.meta.url), size: 1 });
const squares: number[] = [];
try {
  for await (const outcome of pool.mapOrdered([{ value: 3 }, { value: 4 }])) if (outcome.ok) squares.push(outcome.value.square);
} finally {
  await pool.close();
}
process.stdout.write(
  `${JSON.stringify({
    argv: process.argv.slice(1),
    file: fileURLToPath(import.meta.url),
    root: findWorkspaceRoot(),
    squares,
    execArgv: process.execArgv,
  })}\n`,
);
