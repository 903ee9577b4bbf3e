// A worker used by worker-pool.spec.ts: squares numbers, fails on request with a typed error, and
// returns a buffer that is transferred rather than copied.
import { serveWorker } from './worker-serve';

interface Task {
  value: number;
  fail?: boolean;
  delayMs?: number;
}

serveWorker<Task, { square: number; buffer: ArrayBuffer }>(
  async (task) => {
    if (task.delayMs) await new Promise((resolve) => setTimeout(resolve, task.delayMs));
    if (task.fail) throw { code: 'TEST_FAILURE', message: `task ${task.value} failed on purpose` };
    const buffer = new Float64Array([task.value * task.value]).buffer;
    return { square: task.value * task.value, buffer };
  },
  { transfer: (result) => [result.buffer] },
);
