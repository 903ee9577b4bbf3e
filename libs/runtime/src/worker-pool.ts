// A pool of worker threads that keeps every core busy with bounded memory: at most `window` tasks are
// in flight, results come back in input order (so outputs never depend on thread timing), and big
// buffers are transferred rather than copied. Workers are TypeScript files run through tsx.
import { Worker, type Transferable } from 'node:worker_threads';

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

/** Starts a worker; TypeScript modules go through the bootstrap that registers tsx in the thread. */
function startWorker(script: URL, data: unknown): Worker {
  if (!script.pathname.endsWith('.ts')) return new Worker(script, { workerData: { qoqWorkerData: data } });
  return new Worker(BOOTSTRAP, { workerData: { qoqWorkerScript: script.href, qoqWorkerData: data } });
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

  constructor(options: WorkerPoolOptions) {
    const size = Math.max(1, options.size ?? 2);
    this.window = Math.max(size, options.window ?? size * 4);
    for (let index = 0; index < size; index += 1) {
      const worker = startWorker(options.script, options.workerData);
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
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}
