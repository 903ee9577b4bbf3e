// Complete or absent, and resumable (../shared/design.md "Complete or absent"): a stage writes into
// `<output>.partial/`, journals each finished item there, and renames the folder to `<output>` at the
// end. A killed run finds the partial folder, checks that it was started from the same inputs,
// options and code, and skips the items its journal lists. A finished output whose input manifest
// equals the current one is up to date and nothing is redone.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export interface InputManifest {
  readonly stage: string;
  readonly codeVersion: string;
  readonly options: Record<string, unknown>;
  /** Every input the stage reads: path relative to its root and SHA-256. */
  readonly inputs: ReadonlyArray<{ readonly path: string; readonly sha256: string }>;
}

const MANIFEST_FILE = '.stage-input.json';
const JOURNAL_FILE = '.journal.jsonl';

/** JSON with object keys sorted at every depth: equal values give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function inputManifestDigest(manifest: InputManifest): string {
  return createHash('sha256').update(canonicalJson(manifest)).digest('hex');
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

async function readDigest(folder: string): Promise<string | undefined> {
  try {
    const stored = JSON.parse(await readFile(join(folder, MANIFEST_FILE), 'utf8')) as { digest?: unknown };
    return typeof stored.digest === 'string' ? stored.digest : undefined;
  } catch {
    return undefined;
  }
}

export type StageWorkspace<TRecord> =
  | { readonly upToDate: true; readonly output: string }
  | {
      readonly upToDate: false;
      readonly output: string;
      /** The folder to write into; it becomes `output` on commit. */
      readonly workDir: string;
      /** Items finished by an earlier, killed run of the same inputs: key → its journaled record. */
      readonly resumed: ReadonlyMap<string, TRecord>;
      /** Journals a finished item (after its files are fully written). */
      readonly markDone: (key: string, record: TRecord) => Promise<void>;
      /** Renames the work folder to the output; call after every output file is written. */
      readonly commit: () => Promise<void>;
    };

export async function openStageWorkspace<TRecord>(output: string, manifest: InputManifest): Promise<StageWorkspace<TRecord>> {
  const digest = inputManifestDigest(manifest);
  if ((await exists(output)) && (await readDigest(output)) === digest) return { upToDate: true, output };

  const workDir = `${output}.partial`;
  const resumed = new Map<string, TRecord>();
  if ((await exists(workDir)) && (await readDigest(workDir)) === digest) {
    const journal = await readFile(join(workDir, JOURNAL_FILE), 'utf8').catch(() => '');
    for (const line of journal.split('\n')) {
      if (line === '') continue;
      try {
        const entry = JSON.parse(line) as { key: string; record: TRecord };
        resumed.set(entry.key, entry.record);
      } catch {
        // A torn last line from a kill mid-write: that item is simply redone.
      }
    }
  } else {
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true });
    await writeFile(join(workDir, MANIFEST_FILE), `${JSON.stringify({ digest, manifest: { ...manifest, inputs: manifest.inputs.length } })}\n`);
  }

  // One handle for the whole run: opening the journal per item cost more than the item's own work.
  let journal: FileHandle | undefined;
  const markDone = async (key: string, record: TRecord): Promise<void> => {
    journal ??= await open(join(workDir, JOURNAL_FILE), 'a');
    await journal.write(`${JSON.stringify({ key, record })}\n`);
  };

  const commit = async (): Promise<void> => {
    await journal?.close();
    journal = undefined;
    await rm(join(workDir, JOURNAL_FILE), { force: true });
    // Between these two steps a kill leaves no output but a complete partial folder with the same
    // digest, which the next run commits without redoing anything.
    await rm(output, { recursive: true, force: true });
    await rename(workDir, output);
  };

  return { upToDate: false, output, workDir, resumed, markDone, commit };
}
