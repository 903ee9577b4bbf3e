// The leakage check that ends every build (issue 7; exit 4 on failure): reads the written corpus back
// (not the builder's memory) and checks that no patient, no source file and no media content sits in
// two splits. Memory: one small map entry per patient and per source / content hash (52-bit keys).
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { openDataset, readParquetRows } from '@qoq/dataset-io';

export interface LeakageProblem {
  readonly kind: 'patient' | 'source' | 'content';
  /** The patient key, source SHA-256 or content SHA-256 found in several splits. */
  readonly key: string;
  readonly splits: readonly string[];
}

export interface LeakageReport {
  readonly rows: number;
  readonly patients: number;
  readonly problems: readonly LeakageProblem[];
}

const SPLIT_BIT: Record<string, number> = { train: 1, validation: 2, test: 4 };

function splitNames(bits: number): string[] {
  return Object.entries(SPLIT_BIT)
    .filter(([, bit]) => (bits & bit) !== 0)
    .map(([name]) => name);
}

/** 52 bits of a hex digest (or of the SHA-256 of a string), as a Map key that costs no string. */
function key52(text: string, isHexDigest: boolean): number {
  const hex = isHexDigest ? text : createHash('sha256').update(text).digest('hex');
  return parseInt(hex.slice(0, 13), 16);
}

class SplitSets {
  private readonly bits = new Map<number, number>();
  private readonly names = new Map<number, string>();
  constructor(private readonly hex: boolean) {}
  add(key: string, split: string): void {
    const k = key52(key, this.hex);
    const before = this.bits.get(k) ?? 0;
    const after = before | (SPLIT_BIT[split] ?? 0);
    if (after !== before) this.bits.set(k, after);
    if (before !== 0 && after !== before) this.names.set(k, key);
  }
  get size(): number {
    return this.bits.size;
  }
  *leaks(): Generator<[string, number]> {
    for (const [k, name] of this.names) yield [name, this.bits.get(k) ?? 0];
  }
}

/** Checks a corpus folder (manifest verified first). At most `limit` problems are listed. */
export async function checkLeakage(corpusDir: string, limit = 20): Promise<LeakageReport> {
  const dataset = await openDataset(corpusDir, { columns: ['id', 'patient_key', 'split', 'source_sha256'] });
  const patients = new SplitSets(false);
  const sources = new SplitSets(true);
  const splitsById = new Map<string, string>();
  let rows = 0;
  for await (const row of dataset.rows()) {
    const split = String(row.split);
    patients.add(String(row.patient_key), split);
    sources.add(String(row.source_sha256), split);
    splitsById.set(String(row.id), split);
    rows += 1;
  }
  // The content hash lives in provenance.parquet (the data owner's side), keyed by row id.
  const contents = new SplitSets(true);
  for await (const row of readParquetRows(join(corpusDir, 'provenance.parquet'), { columns: ['id', 'content_sha256'] })) {
    const split = splitsById.get(String(row.id));
    if (split !== undefined) contents.add(String(row.content_sha256), split);
  }
  const problems: LeakageProblem[] = [];
  for (const [kind, sets] of [['patient', patients], ['source', sources], ['content', contents]] as const) {
    for (const [key, bits] of sets.leaks()) {
      if (problems.length >= limit) break;
      problems.push({ kind, key, splits: splitNames(bits) });
    }
  }
  return { rows, patients: patients.size, problems };
}
