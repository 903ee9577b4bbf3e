// A pool of worker threads that keeps every core busy with bounded memory: at most `window` tasks are
// in flight, results come back in input order (so outputs never depend on thread timing), and big
// buffers are transferred rather than copied. Workers are TypeScript files, run from an esbuild bundle
// (module-bundle.mjs) or, where that cannot be built, through tsx.
import { Worker, type Transferable } from 'node:worker_threads';
import { bundledModule } from './module-bundle.mjs';
import { findWorkspaceRoot } from './workspace-root';

export interface WorkerPoolOptions {
  /** The worker module; it calls `serveWorker` from this library. */
  readonly script: URL;
  /** Number of threads (default 2). */
  readonly size?: number;
  /** Tasks in flight at most (default 4 × size): the back-pressure bound. */
  readonly window?: number;
  /** Passed to every worker as workerData. */
  readonly workerData?: unknown;
}

export type TaskOutcome<TResult> = { readonly ok: true; readonly value: TResult } | { readonly ok: false; readonly error: unknown };

interface Pending<TResult> {
  resolve: (outcome: TaskOutcome<TResult>) => void;
}

type WorkerMessage<TResult> = { id: number; ok: true; value: TResult } | { id: number; ok: false; error: unknown };

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * Starts a worker. A TypeScript module runs from its esbuild bundle (module-bundle.mjs: a fraction of
 * the start-up cost), else through the bootstrap that registers tsx in the thread.
 */
function startWorker(script: URL, bundle: URL | undefined, data: unknown): Worker {
  if (bundle !== undefined) return startBundledWorker(bundle, data);
  if (!script.pathname.endsWith('.ts')) return new Worker(script, { workerData: { qoqWorkerData: data } });
  return new Worker(BOOTSTRAP, { workerData: { qoqWorkerScript: script.href, qoqWorkerData: data } });
}

const PRELOAD_FLAGS = new Set(['--require', '-r', '--import', '--loader', '--experimental-loader']);
const EVAL_FLAGS = new Set(['--eval', '-e', '--print', '-p']);

/**
 * A worker inherits this process's Node flags by default. Where those preload tsx (a command started
 * through tsx rather than launch.mjs), its CommonJS hook would compile every npm package the bundle
 * requires (~0.4 s a thread), and a bundle is plain JavaScript: the worker gets the flags without the
 * preloads. Node refuses some flags in an explicit execArgv that it accepts by inheritance (V8 options
 * such as --max-old-space-size); with those, the worker inherits everything, tsx included.
 */
function startBundledWorker(bundle: URL, data: unknown): Worker {
  const workerData = { qoqWorkerData: data };
  const execArgv = execArgvWithoutTsx();
  if (execArgv === undefined) return new Worker(bundle, { workerData });
  try {
    return new Worker(bundle, { workerData, execArgv });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_WORKER_INVALID_EXEC_ARGV') return new Worker(bundle, { workerData });
    throw error;
  }
}

/** This process's Node flags without tsx's preloads; undefined when there are none to drop. */
function execArgvWithoutTsx(): string[] | undefined {
  const kept: string[] = [];
  let dropped = false;
  const flags = process.execArgv;
  for (let index = 0; index < flags.length; index += 1) {
    const flag = flags[index];
    const [name, inlineValue] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    if (EVAL_FLAGS.has(name)) {
      // The parent's own script (`-e`), not a setting; a worker rejects it.
      if (inlineValue === undefined) index += 1;
      continue;
    }
    if (PRELOAD_FLAGS.has(name)) {
      const value = inlineValue ?? flags[index + 1] ?? '';
      if (inlineValue === undefined) index += 1;
      if (/(^|[/\\])tsx([/\\]|$)/.test(value)) {
        dropped = true;
        continue;
      }
      kept.push(name, value);
      continue;
    }
    kept.push(flag);
  }
  return dropped ? kept : undefined;
}

export class WorkerPool<TTask, TResult> {
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #pending = new Map<number, Pending<TResult>>();
  readonly #owner = new Map<number, Worker>();
  readonly #waitingForWorker: Array<() => void> = [];
  readonly window: number;
  #nextId = 0;
  #failure: Error | undefined;
  /** Settles once the workers exist (building the worker bundle first, when there is one to build). */
  readonly #started: Promise<void>;
  #closed = false;

  constructor(options: WorkerPoolOptions) {
    const size = Math.max(1, options.size ?? 2);
    this.window = Math.max(size, options.window ?? size * 4);
    this.#started = this.#start(options, size);
  }

  async #start(options: WorkerPoolOptions, size: number): Promise<void> {
    const bundle = options.script.pathname.endsWith('.ts') ? await bundledModule(options.script, findWorkspaceRoot()) : undefined;
    if (this.#closed) return;
    for (let index = 0; index < size; index += 1) {
      const worker = startWorker(options.script, bundle, options.workerData);
      worker.on('message', (message: WorkerMessage<TResult>) => this.#onMessage(worker, message));
      worker.on('error', (error) => this.#onCrash(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.#onCrash(new Error(`worker exited with code ${code}`));
      });
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  #onMessage(worker: Worker, message: WorkerMessage<TResult>): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    this.#owner.delete(message.id);
    this.#idle.push(worker);
    this.#waitingForWorker.shift()?.();
    pending.resolve(message.ok ? { ok: true, value: message.value } : { ok: false, error: message.error });
  }

  #onCrash(error: Error): void {
    if (this.#failure) return;
    this.#failure = error;
    for (const pending of this.#pending.values()) pending.resolve({ ok: false, error });
    this.#pending.clear();
    for (const wake of this.#waitingForWorker.splice(0)) wake();
  }

  /** Runs one task on the next idle worker; resolves with its outcome (never rejects for task errors). */
  async run(task: TTask, transfer: readonly Transferable[] = []): Promise<TaskOutcome<TResult>> {
    await this.#started;
    while (this.#idle.length === 0 && !this.#failure) {
      await new Promise<void>((resolve) => this.#waitingForWorker.push(resolve));
    }
    if (this.#failure) throw this.#failure;
    const worker = this.#idle.pop() as Worker;
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, { resolve });
      this.#owner.set(id, worker);
      worker.postMessage({ id, task }, [...transfer]);
    });
  }

  /**
   * Maps tasks to outcomes in input order with at most `window` in flight. A worker crash (not a task
   * error) throws, since the outcome of the in-flight tasks is unknown.
   */
  async *mapOrdered(tasks: AsyncIterable<TTask> | Iterable<TTask>): AsyncGenerator<TaskOutcome<TResult>> {
    const inFlight: Array<Promise<TaskOutcome<TResult>>> = [];
    for await (const task of tasks) {
      inFlight.push(this.run(task));
      if (inFlight.length >= this.window) yield await (inFlight.shift() as Promise<TaskOutcome<TResult>>);
    }
    while (inFlight.length > 0) yield await (inFlight.shift() as Promise<TaskOutcome<TResult>>);
    if (this.#failure) throw this.#failure;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#started;
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
