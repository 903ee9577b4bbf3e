// Chooses the TensorFlow.js backend: WebAssembly (the product default, XNNPACK kernels, SIMD), the plain
// JavaScript CPU backend, or WebGPU on Dawn (webgpu-adapter.ts) where a real GPU adapter exists. Node has
// no tfjs-node here (it downloads TensorFlow at install time, which this project forbids). `auto` takes
// WebGPU when a real adapter is found and WebAssembly otherwise, saying why.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerPolicyGradients } from './kernel-gradients';
import { formatAdapter, installWebGpuBackend, probeWebGpu, type GpuAdapterDescription, type GpuProbe } from './webgpu-adapter';

export type PolicyBackend = 'wasm' | 'cpu' | 'webgpu';
/** What a user may ask for: a backend, or `auto` (WebGPU on a real GPU, else wasm). */
export type BackendRequest = PolicyBackend | 'auto';
export const BACKEND_REQUESTS: readonly BackendRequest[] = ['auto', 'wasm', 'cpu', 'webgpu'];

export interface BackendInfo {
  readonly backend: PolicyBackend;
  /** What was asked for (`auto` resolves to webgpu or wasm). */
  readonly requested: BackendRequest;
  /** Threads the backend computes with (always 1 for cpu; 1 for wasm in Node, see below; 0 for webgpu). */
  readonly threads: number;
  readonly simd: boolean;
  /** The GPU, for webgpu. */
  readonly adapter: GpuAdapterDescription | null;
  /** Why fewer threads than requested were used, or why `auto` did not take the GPU. */
  readonly note: string | null;
}

/** `--backend=webgpu` on a machine where no real GPU adapter is found. */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

export interface InitBackendOptions {
  /** Tests: a stand-in for probeWebGpu(). */
  readonly probe?: () => Promise<GpuProbe>;
}

/**
 * Resolves a request to a backend without initializing anything: `auto` and `webgpu` probe for a GPU.
 * Throws BackendUnavailableError for `webgpu` without a real adapter.
 */
export async function resolveBackend(request: BackendRequest, options: InitBackendOptions = {}): Promise<{ backend: PolicyBackend; adapter: GpuAdapterDescription | null; note: string | null }> {
  if (!BACKEND_REQUESTS.includes(request)) throw new Error(`unknown backend "${String(request)}" (use ${BACKEND_REQUESTS.join(', ')})`);
  if (request === 'wasm' || request === 'cpu') return { backend: request, adapter: null, note: null };
  const probe = await (options.probe ?? (() => probeWebGpu()))();
  if (probe.found) return { backend: 'webgpu', adapter: probe.adapter, note: null };
  if (request === 'webgpu') throw new BackendUnavailableError(`--backend=webgpu: ${probe.reason}`);
  return { backend: 'wasm', adapter: null, note: `no GPU: ${probe.reason}; using wasm` };
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
export async function initBackend(request: BackendRequest = 'wasm', threads = 1, options: InitBackendOptions = {}): Promise<BackendInfo> {
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be an integer ≥ 1, got ${threads}`);
  const resolved = await resolveBackend(request, options);
  const backend = resolved.backend;
  registerPolicyGradients();
  // Silences the "install the node backend" banner of tfjs-backend-cpu (it cannot be installed here).
  tf.env().set('PROD', true);
  let note: string | null = resolved.note;
  if (backend === 'webgpu' && tf.findBackendFactory('webgpu') === null) await installWebGpuBackend();
  if (backend === 'wasm') {
    if (!wasmPathsSet) {
      setWasmPaths(wasmDistFolder());
      wasmPathsSet = true;
    }
    const multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    if (threads > 1 && !multithread) note = [note, `WebAssembly threads are unavailable in this runtime: running on 1 thread instead of ${threads}`].filter(Boolean).join('; ');
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
  if (backend === 'cpu') return { backend, requested: request, threads: 1, simd: false, adapter: null, note: threads > 1 ? `the cpu backend runs on 1 thread instead of ${threads}` : null };
  if (backend === 'webgpu') return { backend, requested: request, threads: 0, simd: false, adapter: resolved.adapter, note };
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  return { backend, requested: request, threads: getThreadsCount(), simd: Boolean(simd), adapter: null, note };
}

/** The run log's line about the backend: which one, its threads, the GPU (vendor, device, driver), why not the GPU. */
export function describeBackend(info: BackendInfo): string {
  const what =
    info.backend === 'webgpu'
      ? `backend webgpu on ${info.adapter ? formatAdapter(info.adapter) : 'an unknown GPU'}`
      : `backend ${info.backend}${info.simd ? ' (SIMD)' : ''}, ${info.threads} thread(s)`;
  return `${what}${info.requested !== info.backend ? ` (asked: ${info.requested})` : ''}${info.note ? ` — ${info.note}` : ''}`;
}
