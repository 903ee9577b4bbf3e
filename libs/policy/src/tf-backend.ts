// Chooses the TensorFlow.js backend: WebAssembly (the product default, XNNPACK kernels, SIMD) or the
// plain JavaScript CPU backend. Node has no tfjs-node here (it downloads TensorFlow at install time, which
// this project forbids), so these two are the choices on a laptop; the GPU route is its own issue.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerPolicyGradients } from './kernel-gradients';

export type PolicyBackend = 'wasm' | 'cpu';

export interface BackendInfo {
  readonly backend: PolicyBackend;
  /** Threads the backend computes with (always 1 for cpu; 1 for wasm in Node, see below). */
  readonly threads: number;
  readonly simd: boolean;
  /** Why fewer threads than requested were used, if so. */
  readonly note: string | null;
}

let wasmPathsSet = false;
let threadsSet = false;

/** Where the package's .wasm files lie: its dist folder inside node_modules. */
export function wasmDistFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
}

/**
 * Selects and initializes a backend (idempotent; switching between the two is allowed: tensors made under
 * one backend move to the other on use). Also registers the policy's gradients.
 *
 * Threads: tfjs-backend-wasm 4.22 turns its multi-threaded build off under Node (`WASM_HAS_MULTITHREAD_SUPPORT`
 * returns false when IS_NODE, tensorflow/tfjs#3830), so the backend runs on one thread whatever is asked;
 * `note` says so. One thread is also what makes runs reproducible bit for bit (checked: two processes,
 * 5 steps of sampling and updates, identical weights).
 */
export async function initBackend(backend: PolicyBackend = 'wasm', threads = 1): Promise<BackendInfo> {
  if (backend !== 'wasm' && backend !== 'cpu') throw new Error(`unknown backend "${String(backend)}" (use wasm or cpu)`);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be an integer ≥ 1, got ${threads}`);
  registerPolicyGradients();
  // Silences the "install the node backend" banner of tfjs-backend-cpu (it cannot be installed here).
  tf.env().set('PROD', true);
  let note: string | null = null;
  if (backend === 'wasm') {
    if (!wasmPathsSet) {
      setWasmPaths(wasmDistFolder());
      wasmPathsSet = true;
    }
    const multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    if (threads > 1 && !multithread) note = `WebAssembly threads are unavailable in this runtime: running on 1 thread instead of ${threads}`;
    if (!threadsSet && multithread) {
      setThreadsCount(threads);
      threadsSet = true;
    }
  }
  const listenersBefore = {
    uncaughtException: process.listeners('uncaughtException'),
    unhandledRejection: process.listeners('unhandledRejection'),
  };
  const ok = await tf.setBackend(backend);
  if (!ok) throw new Error(`the TensorFlow.js ${backend} backend failed to initialize`);
  await tf.ready();
  // The Emscripten module installs process handlers that re-throw every uncaught exception and unhandled
  // rejection from inside its own source (a wall of minified code instead of the error); the caller's
  // error handling must stay the caller's.
  for (const listener of process.listeners('uncaughtException')) {
    if (!listenersBefore.uncaughtException.includes(listener)) process.removeListener('uncaughtException', listener);
  }
  for (const listener of process.listeners('unhandledRejection')) {
    if (!listenersBefore.unhandledRejection.includes(listener)) process.removeListener('unhandledRejection', listener);
  }
  if (backend === 'cpu') return { backend, threads: 1, simd: false, note: threads > 1 ? `the cpu backend runs on 1 thread instead of ${threads}` : null };
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { backend, threads: getThreadsCount(), simd: Boolean(simd), note };
}
