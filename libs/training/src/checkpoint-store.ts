// Checkpoints of a run (design.md "A training run folder": weights, optimizer state, DRPO history, RNG
// state). Each is a folder `checkpoints/step-NNNNNN/` built under a temporary name, every file fsynced,
// then renamed into place — a crash at any moment leaves the previous checkpoints as they were. Folders
// are never replaced, only added and, once a newer one is complete, pruned. The best checkpoint on
// validation is its own immutable folder `checkpoints/best-step-NNNNNN/`, referenced by name from the
// step checkpoints, so a resumed run and the best weights always agree.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DrpoHistorySnapshot } from '@qoq/drpo';
import type { PolicyState } from '@qoq/policy';
import type { LogLength } from './jsonl-log';
import type { SamplerState } from './question-sampler';

export const CHECKPOINT_FORMAT = 'qoq-trainer-checkpoint';

/** Where a tensor lies in a .bin file (float32, little-endian, in `names` order). */
interface StateIndex {
  readonly names: readonly string[];
  readonly shapes: readonly (readonly number[])[];
  readonly optimizerStep: number;
  readonly sha256: string;
  readonly floats: number;
}

export interface BestRecord {
  readonly step: number;
  /** Overall validation macro-F1 that made it the best. */
  readonly macroF1: number;
  /** Its folder name under checkpoints/. */
  readonly folder: string;
}

/** Everything but the tensors: what a resumed run needs besides the policy. */
export interface CheckpointMeta {
  readonly step: number;
  readonly sampler: SamplerState;
  readonly drpo: DrpoHistorySnapshot | null;
  readonly logs: Readonly<Record<string, LogLength>>;
  readonly best: BestRecord | null;
}

interface CheckpointFile extends CheckpointMeta {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly version: 1;
  readonly policy: StateIndex;
  readonly reference: StateIndex | null;
}

export interface LoadedCheckpoint extends CheckpointMeta {
  readonly folder: string;
  readonly policy: PolicyState;
  readonly reference: PolicyState | null;
}

export const stepFolderName = (step: number): string => `step-${String(step).padStart(6, '0')}`;
export const bestFolderName = (step: number): string => `best-step-${String(step).padStart(6, '0')}`;

function stateBytes(state: PolicyState): { bytes: Uint8Array; index: StateIndex } {
  const floats = state.values.reduce((sum, value) => sum + value.length, 0);
  const all = new Float32Array(floats);
  let offset = 0;
  state.values.forEach((value, i) => {
    const expected = state.shapes[i].reduce((product, dim) => product * dim, 1);
    if (expected !== value.length) throw new Error(`policy state ${state.names[i]}: shape [${state.shapes[i].join(', ')}] but ${value.length} values`);
    all.set(value, offset);
    offset += value.length;
  });
  const bytes = new Uint8Array(all.buffer);
  return {
    bytes,
    index: {
      names: [...state.names],
      shapes: state.shapes.map((shape) => [...shape]),
      optimizerStep: state.optimizerStep,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      floats,
    },
  };
}

function stateFromBytes(bytes: Uint8Array, index: StateIndex, path: string): PolicyState {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== index.sha256 || bytes.byteLength !== index.floats * 4) throw new Error(`${path}: the tensor file does not match its checkpoint.json (SHA-256 or size)`);
  const all = new Float32Array(index.floats);
  new Uint8Array(all.buffer).set(bytes);
  const values: Float32Array[] = [];
  let offset = 0;
  for (const shape of index.shapes) {
    const count = shape.reduce((product, dim) => product * dim, 1);
    values.push(all.slice(offset, offset + count));
    offset += count;
  }
  return { names: index.names, shapes: index.shapes, values, optimizerStep: index.optimizerStep };
}

async function writeSynced(path: string, content: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function fsyncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A hook for tests: called between the steps of a checkpoint write (to simulate a crash there). */
export type WriteProbe = (stage: 'tensors-written' | 'before-rename' | 'renamed') => void | Promise<void>;

export class CheckpointStore {
  constructor(
    readonly folder: string,
    private readonly probe: WriteProbe = () => undefined,
  ) {}

  /** Writes `name` atomically (temporary folder, fsync, rename); an existing folder of that name is kept. */
  private async writeFolder(name: string, files: Record<string, string | Uint8Array>): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const final = join(this.folder, name);
    const temporary = join(this.folder, `.${name}.partial`);
    await rm(temporary, { recursive: true, force: true });
    await mkdir(temporary);
    // checkpoint.json last: a folder without it is incomplete by construction.
    const names = Object.keys(files).sort((a, b) => Number(a === 'checkpoint.json') - Number(b === 'checkpoint.json') || (a < b ? -1 : 1));
    for (const file of names) {
      await writeSynced(join(temporary, file), files[file]);
      if (file !== 'checkpoint.json') await this.probe('tensors-written');
    }
    await fsyncFolder(temporary);
    await this.probe('before-rename');
    await rm(final, { recursive: true, force: true });
    await rename(temporary, final);
    await fsyncFolder(this.folder);
    await this.probe('renamed');
  }

  /** A step checkpoint: policy + reference tensors and the loop's state. */
  async write(meta: CheckpointMeta, policy: PolicyState, reference: PolicyState | null): Promise<string> {
    const name = stepFolderName(meta.step);
    const policyFile = stateBytes(policy);
    const referenceFile = reference ? stateBytes(reference) : null;
    const file: CheckpointFile = { format: CHECKPOINT_FORMAT, version: 1, ...meta, policy: policyFile.index, reference: referenceFile?.index ?? null };
    const files: Record<string, string | Uint8Array> = { 'policy.bin': policyFile.bytes, 'checkpoint.json': `${JSON.stringify(file, null, 1)}\n` };
    if (referenceFile) files['reference.bin'] = referenceFile.bytes;
    await this.writeFolder(name, files);
    return name;
  }

  /** The best-on-validation weights, as its own folder (the policy tensors and the step). */
  async writeBest(record: BestRecord, policy: PolicyState): Promise<void> {
    const policyFile = stateBytes(policy);
    const meta = { format: CHECKPOINT_FORMAT, version: 1, kind: 'best', step: record.step, macroF1: record.macroF1, policy: policyFile.index };
    await this.writeFolder(record.folder, { 'policy.bin': policyFile.bytes, 'checkpoint.json': `${JSON.stringify(meta, null, 1)}\n` });
  }

  private async completeSteps(): Promise<number[]> {
    let entries: string[];
    try {
      entries = await readdir(this.folder);
    } catch {
      return [];
    }
    return entries
      .filter((name) => /^step-\d{6,}$/.test(name))
      .map((name) => Number(name.slice(5)))
      .sort((a, b) => b - a);
  }

  /**
   * The newest readable step checkpoint, or null. Temporary folders of an interrupted write are removed;
   * a checkpoint that fails its checks (it cannot, if writes are atomic) is skipped for the one before.
   */
  async latest(): Promise<LoadedCheckpoint | null> {
    await this.removePartials();
    for (const step of await this.completeSteps()) {
      try {
        return await this.read(stepFolderName(step));
      } catch {
        continue;
      }
    }
    return null;
  }

  async read(name: string): Promise<LoadedCheckpoint> {
    const folder = join(this.folder, name);
    const file = JSON.parse(await readFile(join(folder, 'checkpoint.json'), 'utf8')) as CheckpointFile;
    if (file.format !== CHECKPOINT_FORMAT || file.version !== 1) throw new Error(`${folder}: not a trainer checkpoint of version 1`);
    const policy = stateFromBytes(await readFile(join(folder, 'policy.bin')), file.policy, join(folder, 'policy.bin'));
    const reference = file.reference ? stateFromBytes(await readFile(join(folder, 'reference.bin')), file.reference, join(folder, 'reference.bin')) : null;
    return { folder, step: file.step, sampler: file.sampler, drpo: file.drpo, logs: file.logs, best: file.best, policy, reference };
  }

  /** The weights of a best folder. */
  async readBest(name: string): Promise<{ step: number; macroF1: number; policy: PolicyState }> {
    const folder = join(this.folder, name);
    const file = JSON.parse(await readFile(join(folder, 'checkpoint.json'), 'utf8')) as { step: number; macroF1: number; policy: StateIndex };
    return { step: file.step, macroF1: file.macroF1, policy: stateFromBytes(await readFile(join(folder, 'policy.bin')), file.policy, join(folder, 'policy.bin')) };
  }

  async removePartials(): Promise<void> {
    let entries: string[] = [];
    try {
      entries = await readdir(this.folder);
    } catch {
      return;
    }
    for (const name of entries) if (name.startsWith('.') && name.endsWith('.partial')) await rm(join(this.folder, name), { recursive: true, force: true });
  }

  /**
   * Keeps the newest `keep` step checkpoints (never one newer than `current`, which a resumed run
   * discards) and only the best folder `current` references.
   */
  async prune(current: CheckpointMeta, keep: number): Promise<void> {
    const steps = await this.completeSteps();
    const kept = new Set(steps.filter((step) => step <= current.step).slice(0, keep));
    for (const step of steps) if (!kept.has(step)) await rm(join(this.folder, stepFolderName(step)), { recursive: true, force: true });
    const entries = await readdir(this.folder);
    for (const name of entries) {
      if (/^best-step-\d+$/.test(name) && name !== current.best?.folder) await rm(join(this.folder, name), { recursive: true, force: true });
    }
  }
}
