import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { temporaryFolderFor, writeFileAtomically, writeFolderAtomically } from './atomic-write';

const root = mkdtempSync(join(tmpdir(), 'qoq-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const place = () => mkdtempSync(join(root, 'case-'));

describe('writeFolderAtomically', () => {
  it('renames the finished folder into place and leaves no temporary sibling', async () => {
    const parent = place();
    const finalDir = join(parent, 'corpus');
    const result = await writeFolderAtomically(finalDir, async (tmp) => {
      expect(existsSync(finalDir)).toBe(false); // nothing visible under the final name while building
      await writeFile(join(tmp, 'a.txt'), 'a');
      return 42;
    });
    expect(result).toBe(42);
    expect(readdirSync(parent)).toEqual(['corpus']);
    expect(readFileSync(join(finalDir, 'a.txt'), 'utf8')).toBe('a');
  });

  it('leaves no final folder when the build is killed half-way (throws)', async () => {
    const parent = place();
    const finalDir = join(parent, 'corpus');
    await expect(
      writeFolderAtomically(finalDir, async (tmp) => {
        await writeFile(join(tmp, 'part-00000.parquet'), 'half');
        throw new Error('killed');
      }),
    ).rejects.toThrow('killed');
    expect(readdirSync(parent)).toEqual([]);
  });

  it('keeps the previous complete version when a rebuild fails, and replaces it when one succeeds', async () => {
    const parent = place();
    const finalDir = join(parent, 'corpus');
    await writeFolderAtomically(finalDir, (tmp) => writeFile(join(tmp, 'v'), '1'));
    await expect(writeFolderAtomically(finalDir, () => Promise.reject(new Error('bad input')))).rejects.toThrow();
    expect(readFileSync(join(finalDir, 'v'), 'utf8')).toBe('1');
    await writeFolderAtomically(finalDir, (tmp) => writeFile(join(tmp, 'v'), '2'));
    expect(readFileSync(join(finalDir, 'v'), 'utf8')).toBe('2');
    expect(readdirSync(parent)).toEqual(['corpus']);
  });

  it('cleans the temporary folder a killed run left behind', async () => {
    const parent = place();
    const finalDir = join(parent, 'corpus');
    mkdirSync(temporaryFolderFor(finalDir));
    writeFileSync(join(temporaryFolderFor(finalDir), 'stale.parquet'), 'stale');
    await writeFolderAtomically(finalDir, async (tmp) => {
      expect(readdirSync(tmp)).toEqual([]);
    });
    expect(readdirSync(finalDir)).toEqual([]);
  });

  it('hands the left-over temporary folder to the builder when resuming', async () => {
    const parent = place();
    const finalDir = join(parent, 'corpus');
    mkdirSync(temporaryFolderFor(finalDir));
    writeFileSync(join(temporaryFolderFor(finalDir), 'part-00000.parquet'), 'done before the kill');
    await writeFolderAtomically(
      finalDir,
      async (tmp) => {
        expect(readdirSync(tmp)).toEqual(['part-00000.parquet']);
        await writeFile(join(tmp, 'part-00001.parquet'), 'the rest');
      },
      { leftover: 'resume' },
    );
    expect(readdirSync(finalDir).sort()).toEqual(['part-00000.parquet', 'part-00001.parquet']);
  });
});

describe('writeFileAtomically', () => {
  it('replaces a file whole and leaves no temporary file', async () => {
    const parent = place();
    const path = join(parent, 'manifest.json');
    await writeFileAtomically(path, 'old');
    await writeFileAtomically(path, new TextEncoder().encode('new'));
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(parent)).toEqual(['manifest.json']);
  });
});
