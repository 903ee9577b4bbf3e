import { encodeNpy } from '@qoq/ecg';
import { DEBIAN_PYTHON, requireOracle } from '@qoq/testing';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CorpusExportFailure } from './corpus-export-error';
import { ExportMediaPlacer, decodeNpyFloat32 } from './corpus-export-media';

// Lets a test make link(2) fail as it does across file systems (EXDEV), to exercise the copy path.
const linkFailure = vi.hoisted(() => ({ code: null as string | null }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    link: async (existing: string, created: string) => {
      if (linkFailure.code !== null) throw Object.assign(new Error(`${linkFailure.code}: link`), { code: linkFailure.code });
      return actual.link(existing, created);
    },
  };
});

const root = mkdtempSync(join(tmpdir(), 'qoq-export-media-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => void (linkFailure.code = null));

const hasNumpy = requireOracle('pydicom'); // the pydicom oracle probes `import pydicom, numpy`

function python(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(DEBIAN_PYTHON, ['-c', script, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`python exited ${code}: ${stderr.slice(-2000)}`))));
  });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const valueBytes = (values: Float32Array) => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

describe('decodeNpyFloat32', () => {
  it.skipIf(!hasNumpy)("reads numpy's own float32 files (format 1.0 and 2.0, 0-D to 3-D, empty) bit for bit", async () => {
    const script = `
import sys, json, hashlib, numpy as np
out = []
cases = [((8, 2500), (1, 0)), ((10,), (1, 0)), ((), (1, 0)), ((2, 0, 3), (1, 0)), ((3, 4), (2, 0))]
for index, (shape, version) in enumerate(cases):
    rng = np.random.default_rng(index)
    array = (rng.standard_normal(shape) * 1000).astype('<f4')
    path = '%s/case-%d.npy' % (sys.argv[1], index)
    with open(path, 'wb') as f:
        np.lib.format.write_array(f, array, version=version)
    out.append({'path': path, 'shape': list(shape), 'sha256': hashlib.sha256(array.tobytes()).hexdigest()})
print(json.dumps(out))
`;
    const cases = JSON.parse(await python(script, [root])) as { path: string; shape: number[]; sha256: string }[];
    for (const { path, shape, sha256: expected } of cases) {
      const decoded = decodeNpyFloat32(readFileSync(path));
      expect(decoded.shape, path).toEqual(shape);
      expect(sha256(valueBytes(decoded.values)), path).toBe(expected);
    }
  });

  it('reads what the ECG stage writes (encodeNpy), from any byte offset', () => {
    const values = Float32Array.from({ length: 20_000 }, (_, i) => Math.sin(i) * 1e-3);
    const file = encodeNpy(values, [8, 2500]);
    const shifted = new Uint8Array(file.length + 3);
    shifted.set(file, 3);
    for (const bytes of [file, shifted.subarray(3)]) {
      const decoded = decodeNpyFloat32(bytes);
      expect(decoded.shape).toEqual([8, 2500]);
      expect(Buffer.from(valueBytes(decoded.values)).equals(Buffer.from(valueBytes(values)))).toBe(true);
    }
  });

  it('refuses other dtypes, Fortran order, wrong data length and non-.npy bytes, saying which', () => {
    const good = Buffer.from(encodeNpy(new Float32Array(6), [2, 3]));
    const edited = (from: string, to: string) => {
      const copy = Buffer.from(good);
      copy.write(to, copy.indexOf(from), 'latin1');
      return copy;
    };
    expect(() => decodeNpyFloat32(edited("'<f4'", "'<f8'"))).toThrow(/dtype <f8/);
    expect(() => decodeNpyFloat32(edited("'<f4'", "'>f4'"))).toThrow(/dtype >f4/);
    expect(() => decodeNpyFloat32(edited('False', 'True '))).toThrow(/Fortran/);
    expect(() => decodeNpyFloat32(good.subarray(0, good.length - 4))).toThrow(/needs 24 data bytes, the file has 20/);
    expect(() => decodeNpyFloat32(Buffer.from('PK\x03\x04 not numpy'))).toThrow(/not a .npy file/);
  });
});

describe('ExportMediaPlacer', () => {
  function setUp(name: string) {
    const media = join(root, name, 'media');
    const out = join(root, name, 'out');
    mkdirSync(join(media, 'derm/ham10000'), { recursive: true });
    mkdirSync(join(media, 'ecg/chapman'), { recursive: true });
    writeFileSync(join(media, 'derm/ham10000/a.png'), 'png bytes a');
    writeFileSync(join(media, 'ecg/chapman/e.npy'), encodeNpy(Float32Array.from({ length: 20_000 }, (_, i) => i / 7), [8, 2500]));
    mkdirSync(out, { recursive: true });
    return { media, out, placer: new ExportMediaPlacer(media, out) };
  }

  it('places a file shared by many rows once, and rewrites ECG paths to .pt', async () => {
    const { out, placer } = setUp('shared');
    for (let i = 0; i < 3; i++) {
      expect(await placer.place('derm/ham10000/a.png', 'image')).toBe('derm/ham10000/a.png');
      expect(await placer.place('ecg/chapman/e.npy', 'time-series')).toBe('ecg/chapman/e.pt');
    }
    expect(placer.counts).toEqual({ linked: 1, copied: 0, tensors: 1, reused: 4 });
    expect(readFileSync(join(out, 'ecg/chapman/e.pt')).subarray(0, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
  });

  it('copies when the export is on another file system (link fails with EXDEV)', async () => {
    const { media, out, placer } = setUp('cross-device');
    linkFailure.code = 'EXDEV';
    await placer.place('derm/ham10000/a.png', 'segmentation');
    expect(placer.counts).toMatchObject({ linked: 0, copied: 1 });
    expect(readFileSync(join(out, 'derm/ham10000/a.png'), 'utf8')).toBe('png bytes a');
    expect(statSync(join(out, 'derm/ham10000/a.png')).ino).not.toBe(statSync(join(media, 'derm/ham10000/a.png')).ino);
  });

  it('refuses paths that leave media/ and time series that are neither .npy nor .pt', async () => {
    const { placer } = setUp('refusals');
    for (const path of ['../x.png', 'derm/../../x.png', '/etc/passwd', 'derm//a.png', 'derm\\a.png', '']) {
      const error = await placer.place(path, 'image').catch((e: unknown) => e);
      expect(error, path).toBeInstanceOf(CorpusExportFailure);
      expect((error as CorpusExportFailure).error.code, path).toBe('MEDIA_PATH_INVALID');
    }
    const csv = await placer.place('ecg/chapman/e.csv', 'time-series').catch((e: unknown) => e);
    expect((csv as CorpusExportFailure).error.code).toBe('MEDIA_INVALID');
  });
});
