// Splits without leakage (issue 7): every row of a patient gets the patient's split. The official split
// wins where the source has one; a source without validation gets it carved from its official train
// patients; a source without any official split gets a label-stratified split of its patients. The
// order that decides who goes where is a hash of the *unsalted* patient identity, so two sites with
// different salts split the same patients the same way (design.md "Provenance is kept apart").
import { createHash } from 'node:crypto';
import type { Split } from '@qoq/catalog';

export interface SplitRatios {
  /** Share of patients in validation (0 ≤ r < 1). */
  readonly validation: number;
  /** Share of patients in test (0 ≤ r < 1, validation + test < 1). */
  readonly test: number;
}

export const DEFAULT_SPLIT_RATIOS: SplitRatios = { validation: 0.1, test: 0.1 };

/**
 * `stratified` (default): patients sorted by label stratum, then by hash, take test and validation at
 * fixed intervals, so every stratum holds the ratios up to one patient. Adding patients can move others.
 * `hash`: each patient by its own hash against the ratios: stable when data is added, proportions only in
 * expectation.
 */
export type SplitMethod = 'stratified' | 'hash';

const HELD_OUT_RANK: Record<Split, number> = { train: 0, validation: 1, test: 2 };

/** The split a patient with rows in several official splits gets: the most held-out one, so a test patient never trains. */
export function mostHeldOut(a: Split | null, b: Split | null): Split | null {
  if (a === null) return b;
  if (b === null) return a;
  return HELD_OUT_RANK[b] > HELD_OUT_RANK[a] ? b : a;
}

interface PatientEntry {
  /** Labels of the patient's first row, joined: the stratum. */
  readonly stratum: string;
  official: Split | null;
  /** Rows whose official split differed from the patient's final one (moved to keep the patient whole). */
  conflictingRows: number;
  rows: number;
}

/** Hash of an unsalted patient identity in [0, 1), with 52 bits. */
export function patientUnitHash(namespace: string, rawPatientKey: string): number {
  const digest = createHash('sha256').update(`split\u0000${namespace}\u0000${rawPatientKey}`).digest();
  // 52 bits: 4 bytes + 20 bits, exactly representable in a double.
  return (digest.readUInt32BE(0) * 2 ** 20 + (digest.readUInt32BE(4) >>> 12)) / 2 ** 52;
}

/**
 * Collects the patients of one split universe (a patient namespace: one dataset, or datasets linked by
 * shared identifiers) in a first pass, then assigns their splits.
 */
export class SplitPlanner {
  private readonly patients = new Map<string, PatientEntry>();
  /** Whether any row of the universe carried an official split / an official validation split. */
  private anyOfficial = false;
  private officialValidation = false;
  private assigned: Map<string, Split> | undefined;
  /** The number of patients, once `patients` is released by assign(). */
  private patientTotal = 0;

  constructor(
    readonly namespace: string,
    private readonly ratios: SplitRatios = DEFAULT_SPLIT_RATIOS,
    private readonly method: SplitMethod = 'stratified',
  ) {
    if (!(ratios.validation >= 0 && ratios.test >= 0 && ratios.validation + ratios.test < 1)) {
      throw new RangeError(`split ratios must be ≥ 0 with validation + test < 1 (got ${ratios.validation}, ${ratios.test})`);
    }
  }

  /** Registers one row; call in a deterministic order (the first row of a patient sets its stratum). */
  addRow(rawPatientKey: string, labels: readonly string[], officialSplit: Split | null): void {
    if (this.assigned !== undefined) throw new Error('SplitPlanner: rows added after assignment');
    if (officialSplit !== null) this.anyOfficial = true;
    if (officialSplit === 'validation') this.officialValidation = true;
    let entry = this.patients.get(rawPatientKey);
    if (entry === undefined) {
      entry = { stratum: labels.join('\u0001'), official: officialSplit, conflictingRows: 0, rows: 0 };
      this.patients.set(rawPatientKey, entry);
    } else if (officialSplit !== entry.official) {
      entry.official = mostHeldOut(entry.official, officialSplit);
    }
    entry.rows += 1;
  }

  get patientCount(): number {
    return this.assigned === undefined ? this.patients.size : this.patientTotal;
  }

  /** Assigns every patient's split (idempotent). */
  assign(): ReadonlyMap<string, Split> {
    if (this.assigned !== undefined) return this.assigned;
    const assigned = new Map<string, Split>();
    // Patients the split is derived for, and the ratios that apply to them.
    const derived: string[] = [];
    for (const [key, entry] of this.patients) {
      if (this.anyOfficial && entry.official !== null && (entry.official !== 'train' || this.officialValidation)) {
        assigned.set(key, entry.official);
      } else if (this.anyOfficial && entry.official === null) {
        // A row without a split in a source that has one (e.g. a CSV row missing from split.csv): training
        // data would leak nothing, but evaluation would lose it silently; keep it out of every held-out set.
        assigned.set(key, 'train');
      } else {
        derived.push(key);
      }
    }
    // Carving validation from an official train split uses the validation share of the whole; deriving
    // all three uses both ratios.
    const ratios: SplitRatios = this.anyOfficial ? { validation: this.ratios.validation, test: 0 } : this.ratios;
    const hashes = new Map<string, number>(derived.map((key) => [key, patientUnitHash(this.namespace, key)]));
    if (this.method === 'hash') {
      for (const key of derived) {
        const u = hashes.get(key) ?? 0;
        assigned.set(key, u < ratios.test ? 'test' : u < ratios.test + ratios.validation ? 'validation' : 'train');
      }
    } else {
      derived.sort((a, b) => {
        const sa = this.patients.get(a)?.stratum ?? '';
        const sb = this.patients.get(b)?.stratum ?? '';
        if (sa !== sb) return sa < sb ? -1 : 1;
        return (hashes.get(a) ?? 0) - (hashes.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0);
      });
      // Systematic sampling over the stratum-sorted list: patient i goes to test when ⌊(i+1)·r_t⌋ moves,
      // else to validation when the same rule moves over the non-test patients with r_v / (1 − r_t).
      const validationShare = ratios.test < 1 ? ratios.validation / (1 - ratios.test) : 0;
      let nonTest = 0;
      derived.forEach((key, index) => {
        if (Math.floor((index + 1) * ratios.test) > Math.floor(index * ratios.test)) {
          assigned.set(key, 'test');
          return;
        }
        const split = Math.floor((nonTest + 1) * validationShare) > Math.floor(nonTest * validationShare) ? 'validation' : 'train';
        nonTest += 1;
        assigned.set(key, split);
      });
    }
    this.assigned = assigned;
    // The rows' tallies are not needed any more: a build holds every namespace's assignment through pass 2.
    this.patientTotal = this.patients.size;
    this.patients.clear();
    return assigned;
  }

  /** The split of a registered patient. */
  splitOf(rawPatientKey: string): Split {
    const split = this.assign().get(rawPatientKey);
    if (split === undefined) throw new Error(`SplitPlanner(${this.namespace}): unknown patient`);
    return split;
  }

  /** How the split was decided, for the build summary and the dataset card. */
  describe(): { namespace: string; patients: number; source: 'official' | 'official+validation-carved' | 'derived'; method: SplitMethod } {
    const source = !this.anyOfficial ? 'derived' : this.officialValidation ? 'official' : 'official+validation-carved';
    return { namespace: this.namespace, patients: this.patientCount, source, method: this.method };
  }
}
