// The worker side of WorkerPool. Errors thrown by a handler travel back as plain objects that keep
// their `code` and `message`, so a typed error from a library becomes a rejects.jsonl line.
import { parentPort, workerData, type Transferable } from 'node:worker_threads';

export interface ServeOptions<TResult> {
  /** Buffers inside a result to move instead of copy (e.g. decoded pixels). */
  readonly transfer?: (result: TResult) => Transferable[];
}

function serializableError(error: unknown): { code: string; message: string } {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      code: typeof code === 'string' ? code : 'INTERNAL',
      message: typeof message === 'string' ? message : String(error),
    };
  }
  return { code: 'INTERNAL', message: String(error) };
}

export function serveWorker<TTask, TResult>(
  handler: (task: TTask) => Promise<TResult> | TResult,
  options: ServeOptions<TResult> = {},
): void {
  if (!parentPort) throw new Error('serveWorker must run inside a worker thread');
  const port = parentPort;
  port.on('message', async ({ id, task }: { id: number; task: TTask }) => {
    try {
      const value = await handler(task);
      port.postMessage({ id, ok: true, value }, options.transfer?.(value) ?? []);
    } catch (error) {
      port.postMessage({ id, ok: false, error: serializableError(error) });
    }
  });
}

/** The `workerData` given to WorkerPool, inside a worker. */
export function workerInput<T>(): T {
  return (workerData as { qoqWorkerData: T }).qoqWorkerData;
}
