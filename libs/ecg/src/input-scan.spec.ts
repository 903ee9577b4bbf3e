// The stage's single pass over its inputs agrees with the runtime's hashing and with record discovery.
import { join } from 'node:path';
import { listFilesSorted, sha256Files } from '@qoq/runtime';
import { describe, expect, it } from 'vitest';
import { candidateHeaders, discoverEcgRecords, ecgRecordsAmong } from './ecg-record-discovery';
import { scanInputFiles } from './input-scan';

const FIXTURES = join(import.meta.dirname, '../test-fixtures');

describe('scanInputFiles', () => {
  it('gives the SHA-256 of every file and the segment headers that discovery leaves out', async () => {
    const files = await listFilesSorted(FIXTURES);
    const headers = new Set(candidateHeaders(files, undefined));
    const scan = scanInputFiles(FIXTURES, files, files.map((path) => headers.has(path)));
    expect(scan.digests).toEqual(await sha256Files(files.map((path) => join(FIXTURES, path))));
    expect(scan.segmentHeaders.length).toBeGreaterThan(0);
    expect(ecgRecordsAmong(files, undefined, new Set(scan.segmentHeaders))).toEqual(await discoverEcgRecords(FIXTURES, files, undefined));
  });
});
