// rejects.jsonl: one JSON object per unusable input (../shared/design.md "Exit codes"). A bad input
// never stops a run; it becomes one line here. Lines are sorted by path then code so that the file
// does not depend on worker timing.
import { writeFile } from 'node:fs/promises';

export interface Reject {
  /** The dataset the input belongs to, when a run reads several (`ecg/ptb-xl`). */
  readonly dataset_key?: string;
  /** Path relative to the input (dataset) folder, '/'-separated. */
  readonly path: string;
  /** Machine code such as DICOM_TRUNCATED or ECG_BAD_HEADER. */
  readonly code: string;
  /** One sentence a person can act on. */
  readonly message: string;
}

/** The shape of a typed error value as libraries throw it at their boundary. */
export interface CodedError {
  readonly code: string;
  readonly message: string;
}

export function isCodedError(value: unknown): value is CodedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

export class RejectLog {
  readonly #rejects: Reject[] = [];

  add(reject: Reject): void {
    const { dataset_key: datasetKey, path, code, message } = reject;
    this.#rejects.push(datasetKey === undefined ? { path, code, message } : { dataset_key: datasetKey, path, code, message });
  }

  /** Records a thrown value: typed errors keep their code, anything else is INTERNAL. */
  addError(path: string, error: unknown, datasetKey?: string): void {
    const base = datasetKey === undefined ? { path } : { dataset_key: datasetKey, path };
    if (isCodedError(error)) this.add({ ...base, code: error.code, message: error.message });
    else this.add({ ...base, code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) });
  }

  get count(): number {
    return this.#rejects.length;
  }

  /** Counts per code, for the summary. */
  countsByCode(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const reject of this.#rejects) counts[reject.code] = (counts[reject.code] ?? 0) + 1;
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  sorted(): Reject[] {
    const order = (reject: Reject): string => `${reject.dataset_key ?? ''}\0${reject.path}\0${reject.code}`;
    return [...this.#rejects].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  }

  toJsonl(): string {
    return this.sorted()
      .map((reject) => `${JSON.stringify(reject)}\n`)
      .join('');
  }

  /** Writes rejects.jsonl (always, even when empty, so "no rejects" is visible). */
  async write(file: string): Promise<void> {
    await writeFile(file, this.toJsonl());
  }
}
