// The media of an export, placed beside its record files under the same relative paths the corpus uses
// (`<modality>/<dataset>/<name>.png`): the official loader joins each record path to the folder of the
// JSONL (qoq-med.md §1 "paths relative to the file"). Images and masks are hard-linked from the corpus's
// media/ when both folders are on one file system (no bytes copied), else copied. ECG `.npy` files become
// `.pt` tensors, which is what the official code `torch.load`s, and the record path is rewritten to them.
// A file referenced by many rows is placed once: the export folder is fresh, so "already there" means
// "placed by an earlier row" — the file system is the set of placed names, and memory stays flat (a
// bounded set of recent names only saves the system calls for files that rows share).
import { access, copyFile, link, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodeTorchTensorFile, type MediaPathHook, type MediaRole } from '@qoq/dataset-io';
import { corpusExportFailure } from './corpus-export-error';

const NPY_MAGIC = '\x93NUMPY';

export interface DecodedNpy {
  readonly values: Float32Array;
  readonly shape: readonly number[];
}

/**
 * Decodes a NumPy .npy file (format versions 1–3) holding little-endian float32 in C order, as the ECG
 * stage writes them. Throws a RangeError saying what is wrong; the caller names the file.
 */
export function decodeNpyFloat32(bytes: Uint8Array): DecodedNpy {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 10 || buffer.toString('latin1', 0, 6) !== NPY_MAGIC) throw new RangeError('not a .npy file (no \\x93NUMPY magic)');
  const major = buffer[6];
  if (major < 1 || major > 3) throw new RangeError(`unknown .npy format version ${major}.${buffer[7]}`);
  const headerStart = major === 1 ? 10 : 12;
  if (buffer.length < headerStart) throw new RangeError('truncated .npy header');
  const headerLength = major === 1 ? buffer.readUInt16LE(8) : buffer.readUInt32LE(8);
  const dataStart = headerStart + headerLength;
  if (buffer.length < dataStart) throw new RangeError('truncated .npy header');
  const header = buffer.toString(major === 3 ? 'utf8' : 'latin1', headerStart, dataStart);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new RangeError(`unreadable .npy header ${JSON.stringify(header.trim())}`);
  if (descr !== '<f4') throw new RangeError(`dtype ${descr}, expected little-endian float32 ('<f4')`);
  if (fortran !== 'False') throw new RangeError('Fortran-order array, expected C order');
  const shape = shapeText
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : Number.NaN));
  if (shape.some((size) => !Number.isSafeInteger(size))) throw new RangeError(`bad shape (${shapeText})`);
  const count = shape.reduce((product, size) => product * size, 1);
  if (buffer.length - dataStart !== count * 4) {
    throw new RangeError(`shape (${shape.join(', ')}) needs ${count * 4} data bytes, the file has ${buffer.length - dataStart}`);
  }
  const absolute = buffer.byteOffset + dataStart;
  // A Float32Array view needs 4-byte alignment in its ArrayBuffer; copy only when it is not there.
  const values =
    absolute % 4 === 0
      ? new Float32Array(buffer.buffer, absolute, count)
      : new Float32Array(new Uint8Array(buffer.subarray(dataStart)).buffer);
  return { values, shape };
}

/** A record path must stay inside media/: relative, `/`-separated, no `.`/`..` or empty segments. */
function checkedMediaPath(path: string, mediaRoot: string): string {
  const segments = path.split('/');
  const bad = path === '' || path.includes('\\') || path.includes('\0') || segments.some((segment) => segment === '' || segment === '.' || segment === '..');
  if (bad) throw corpusExportFailure('MEDIA_PATH_INVALID', `the media path ${JSON.stringify(path)} is not a relative path inside media/`, mediaRoot);
  return path;
}

const RECENT_LIMIT = 100_000;

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

export interface ExportMediaCounts {
  /** Files hard-linked from the corpus's media/. */
  linked: number;
  /** Files copied (the export is on another file system, or it refuses hard links). */
  copied: number;
  /** ECG .npy files converted to .pt. */
  tensors: number;
  /** References to a file an earlier row had already placed. */
  reused: number;
}

/** Places the media of one export folder; its `mediaPath` is the hook the row writers call. */
export class ExportMediaPlacer {
  readonly counts: ExportMediaCounts = { linked: 0, copied: 0, tensors: 0, reused: 0 };
  private readonly folders = new Set<string>();
  /** Recently placed export paths; cleared when full, the file system remains the authority. */
  private readonly recent = new Set<string>();

  /**
   * @param mediaRoot the corpus's media/ folder, which record paths are relative to
   * @param exportRoot the (fresh) export folder the record files are written in
   */
  constructor(
    readonly mediaRoot: string,
    readonly exportRoot: string,
  ) {}

  readonly mediaPath: MediaPathHook = (path: string, role: MediaRole) => this.place(path, role);

  /** Distinct files placed in the export (linked, copied or converted). */
  get files(): number {
    return this.counts.linked + this.counts.copied + this.counts.tensors;
  }

  /** Places the file a record path names and returns the path to write in the export record. */
  async place(path: string, role: MediaRole): Promise<string> {
    checkedMediaPath(path, this.mediaRoot);
    let exportPath = path;
    if (role === 'time-series') {
      if (path.endsWith('.npy')) exportPath = `${path.slice(0, -'.npy'.length)}.pt`;
      else if (!path.endsWith('.pt')) {
        throw corpusExportFailure('MEDIA_INVALID', `a time series must be an .npy or .pt file, the row names ${path}`, join(this.mediaRoot, path));
      }
    }
    if (this.recent.has(exportPath)) {
      this.counts.reused += 1;
      return exportPath;
    }
    if (exportPath !== path) await this.convertToTensor(path, exportPath);
    else await this.linkOrCopy(path);
    if (this.recent.size >= RECENT_LIMIT) this.recent.clear();
    this.recent.add(exportPath);
    return exportPath;
  }

  private async ensureFolder(target: string): Promise<void> {
    const folder = dirname(target);
    if (this.folders.has(folder)) return;
    await mkdir(folder, { recursive: true });
    this.folders.add(folder);
  }

  private async linkOrCopy(path: string): Promise<void> {
    const source = join(this.mediaRoot, path);
    const target = join(this.exportRoot, path);
    await this.ensureFolder(target);
    try {
      await link(source, target);
      this.counts.linked += 1;
      return;
    } catch (error) {
      const code = errnoOf(error);
      if (code === 'EEXIST') {
        this.counts.reused += 1;
        return;
      }
      if (code === 'ENOENT') throw corpusExportFailure('MEDIA_MISSING', `a row names ${path}, which is not in the corpus's media/`, source);
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EMLINK') throw error;
    }
    try {
      await copyFile(source, target, 1 /* COPYFILE_EXCL: a concurrent placement of the same file wins */);
      this.counts.copied += 1;
    } catch (error) {
      if (errnoOf(error) === 'EEXIST') this.counts.reused += 1;
      else if (errnoOf(error) === 'ENOENT') throw corpusExportFailure('MEDIA_MISSING', `a row names ${path}, which is not in the corpus's media/`, source);
      else throw error;
    }
  }

  private async convertToTensor(path: string, tensorPath: string): Promise<void> {
    const source = join(this.mediaRoot, path);
    const target = join(this.exportRoot, tensorPath);
    await this.ensureFolder(target);
    if (await access(target).then(() => true, () => false)) {
      this.counts.reused += 1;
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = await readFile(source);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') throw corpusExportFailure('MEDIA_MISSING', `a row names ${path}, which is not in the corpus's media/`, source);
      throw error;
    }
    let tensor: Uint8Array;
    try {
      const { values, shape } = decodeNpyFloat32(bytes);
      tensor = encodeTorchTensorFile(values, shape);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      throw corpusExportFailure('MEDIA_INVALID', `${path} cannot become a float32 tensor: ${error.message}`, source);
    }
    try {
      await writeFile(target, tensor, { flag: 'wx' });
      this.counts.tensors += 1;
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw error;
      this.counts.reused += 1;
    }
  }
}
