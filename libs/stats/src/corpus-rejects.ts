// The corpus's rejects.jsonl (design.md "Exit codes": one JSON object per unusable input, with `code`),
// counted by code and dataset_key: the pipeline's reject rate, beside the questions that made it.
import { access } from 'node:fs/promises';
import { UsageError } from '@qoq/runtime';
import { jsonObjects } from './corpus-media';

export interface RejectCounts {
  total: number;
  by_code: Record<string, number>;
  by_dataset: Record<string, number>;
}

const sortedRecord = (map: Map<string, number>): Record<string, number> => Object.fromEntries([...map].sort((a, b) => a[0].localeCompare(b[0])));

/** Counts of `path` (null when the corpus has no rejects.jsonl); UsageError naming the line when one is not a reject object. */
export async function countRejects(path: string): Promise<RejectCounts | null> {
  try {
    await access(path);
  } catch {
    return null;
  }
  const byCode = new Map<string, number>();
  const byDataset = new Map<string, number>();
  let total = 0;
  // A reject line that is not a JSON object, or has no string "code", is a UsageError naming the line.
  let line = 0;
  for await (const record of jsonObjects(path, 'REJECTS_INVALID')) {
    line++;
    if (typeof record.code !== 'string') {
      throw new UsageError(`${path}: record ${line}: REJECTS_INVALID: a reject needs a string "code"`, 'REJECTS_INVALID');
    }
    total++;
    byCode.set(record.code, (byCode.get(record.code) ?? 0) + 1);
    const dataset = typeof record.dataset_key === 'string' ? record.dataset_key : '(none)';
    byDataset.set(dataset, (byDataset.get(dataset) ?? 0) + 1);
  }
  return { total, by_code: sortedRecord(byCode), by_dataset: sortedRecord(byDataset) };
}
