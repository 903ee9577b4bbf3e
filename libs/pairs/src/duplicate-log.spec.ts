import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DuplicateRecord } from './corpus-writer';
import { DuplicateLog } from './duplicate-log';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

function records(count: number): DuplicateRecord[] {
  // Ids repeat (a merge re-lists a shard's records) and contain characters JSON escapes.
  return Array.from({ length: count }, (_, at) => ({
    content_sha256: `c${at}`,
    dataset_key: at % 3 === 0 ? 'ct/rspect' : 'x/"quoted"\tdataset',
    dropped_id: `id-${(at * 7919) % 101}${at % 5 === 0 ? '\n' : ''}`,
    kept_id: `k${at % 11}`,
    kept_dataset_key: 'chest_xray/covid19',
  }));
}

/** What CorpusWriter.finish wrote before the log existed: every record sorted in memory. */
function inMemory(list: readonly DuplicateRecord[]): string {
  return [...list]
    .sort((a, b) => (a.dropped_id < b.dropped_id ? -1 : a.dropped_id > b.dropped_id ? 1 : 0))
    .map((record) => `${JSON.stringify(record)}\n`)
    .join('');
}

describe('DuplicateLog', () => {
  it.each([1, 7, 50, 1000])('spilling runs of %i records writes the bytes of an in-memory stable sort', async (runRecords) => {
    const folder = mkdtempSync(join(tmpdir(), 'duplicate-log-'));
    folders.push(folder);
    const list = records(500);
    const log = new DuplicateLog(join(folder, '.duplicates'), runRecords);
    for (const record of list) await log.add(record);
    expect(log.count).toBe(500);
    await log.writeSorted(join(folder, 'duplicates.jsonl'));
    expect(readFileSync(join(folder, 'duplicates.jsonl'), 'utf8')).toBe(inMemory(list));
    expect(existsSync(join(folder, '.duplicates'))).toBe(false);
  });

  it('writes an empty file when nothing was dropped', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'duplicate-log-'));
    folders.push(folder);
    const log = new DuplicateLog(join(folder, '.duplicates'), 2);
    await log.writeSorted(join(folder, 'duplicates.jsonl'));
    expect(readFileSync(join(folder, 'duplicates.jsonl'), 'utf8')).toBe('');
  });
});
