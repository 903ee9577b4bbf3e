// Entry of every pool worker: registers tsx's TypeScript loader inside the worker thread, then loads
// the real (TypeScript) worker module. Passing `--import` through Worker execArgv does not install
// loader hooks in worker threads on Node 20, so the registration happens here.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.qoqWorkerScript);
