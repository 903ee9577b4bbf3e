import { DEBIAN_PYTHON, requireOracle } from '@qoq/testing';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '@qoq/runtime';
import { encodeTorchTensorFile, torchArchive, torchTensorPickle } from './torch-tensor-file';

const root = mkdtempSync(join(tmpdir(), 'qoq-torch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const hasTorch = requireOracle('torch');

/** Debian's python with torch, asynchronously (a long spawnSync would block the Vitest worker). */
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

const numel = (shape: readonly number[]) => shape.reduce((product, size) => product * size, 1);

/** Values that a float conversion would disturb: NaN payloads, -0, ±Infinity, subnormals, extremes. */
function awkwardValues(count: number, seed: number): Float32Array {
  const random = mulberry32(seed);
  const values = new Float32Array(count);
  const bits = new Uint32Array(values.buffer);
  const specials = [0x7fc00001, 0x7f800001 /* signalling NaN */, 0xffc12345, 0x80000000, 0x7f800000, 0xff800000, 0x00000001, 0x7f7fffff];
  for (let i = 0; i < count; i++) {
    if (i < specials.length) bits[i] = specials[i];
    else values[i] = (random() - 0.5) * 4000;
  }
  return values;
}

const SHAPES: readonly (readonly number[])[] = [[8, 2500], [], [0], [1], [5], [2, 0, 3], [2, 3, 4, 5], [3, 1, 1], [70_000]];

// For every file: dtype, shape, stride, contiguity, and the SHA-256 of the values' bit patterns read
// back through an int32 view (bit-exact, no numpy), with weights_only both ways.
const LOAD_SCRIPT = `
import sys, json, hashlib, struct, zipfile, torch
out = []
for path in sys.argv[1:]:
    row = {}
    for weights_only in (False, True):
        t = torch.load(path, weights_only=weights_only)
        bits = t.reshape(-1).view(torch.int32).tolist()
        row['weights_only' if weights_only else 'full'] = {
            'type': type(t).__name__, 'dtype': str(t.dtype), 'shape': list(t.shape), 'stride': list(t.stride()),
            'contiguous': t.is_contiguous(), 'device': str(t.device), 'requires_grad': t.requires_grad,
            'sha256': hashlib.sha256(struct.pack('<%di' % len(bits), *bits)).hexdigest(),
        }
    raw = open(path, 'rb').read()
    records = []
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            name_length, extra_length = struct.unpack('<HH', raw[info.header_offset + 26:info.header_offset + 30])
            records.append({'name': info.filename, 'offset': info.header_offset + 30 + name_length + extra_length,
                            'stored': info.compress_type == zipfile.ZIP_STORED, 'date_time': list(info.date_time),
                            'text': z.read(info.filename).decode('latin1') if info.file_size < 64 and not info.filename.endswith('.pkl') and '/data/' not in info.filename else None})
    row['records'] = records
    out.append(row)
print(json.dumps(out))
`;

describe('encodeTorchTensorFile', () => {
  it.skipIf(!hasTorch)('is read back by torch.load as the same float32 tensor, bit for bit, with weights_only on and off', async () => {
    const cases = SHAPES.map((shape, index) => {
      const values = awkwardValues(numel(shape), index + 1);
      const path = join(root, `case-${index}.pt`);
      writeFileSync(path, encodeTorchTensorFile(values, shape));
      const sha256 = createHash('sha256').update(new Uint8Array(values.buffer)).digest('hex');
      return { shape, path, sha256 };
    });
    const results = JSON.parse(await python(LOAD_SCRIPT, cases.map((c) => c.path))) as Record<string, unknown>[];
    cases.forEach(({ shape, sha256 }, index) => {
      const contiguousStride = shape.map((_, axis) => numel(shape.slice(axis + 1).map((size) => Math.max(size, 1))));
      const expected = { type: 'Tensor', dtype: 'torch.float32', shape: [...shape], stride: contiguousStride, contiguous: true, device: 'cpu', requires_grad: false, sha256 };
      expect(results[index].full, `shape [${shape.join(', ')}]`).toEqual(expected);
      expect(results[index].weights_only, `shape [${shape.join(', ')}], weights_only`).toEqual(expected);
    });
  });

  it.skipIf(!hasTorch)('writes the records current torch writes, stored, with zero timestamps and every record aligned to 64 bytes', async () => {
    const path = join(root, 'records.pt');
    writeFileSync(path, encodeTorchTensorFile(awkwardValues(20_000, 9), [8, 2500]));
    const [{ records }] = JSON.parse(await python(LOAD_SCRIPT, [path])) as { records: { name: string; offset: number; stored: boolean; date_time: number[]; text: string | null }[] }[];
    expect(records.map((r) => r.name)).toEqual([
      'archive/data.pkl',
      'archive/.format_version',
      'archive/.storage_alignment',
      'archive/byteorder',
      'archive/data/0',
      'archive/version',
      'archive/.data/serialization_id',
    ]);
    const text = Object.fromEntries(records.map((r) => [r.name, r.text]));
    expect([text['archive/.format_version'], text['archive/.storage_alignment'], text['archive/byteorder'], text['archive/version']]).toEqual(['1', '64', 'little', '3\n']);
    expect(text['archive/.data/serialization_id']).toMatch(/^\d{40}$/);
    for (const record of records) {
      expect(record.offset % 64, record.name).toBe(0);
      expect(record.stored, record.name).toBe(true);
      expect(record.date_time, record.name).toEqual([1980, 0, 0, 0, 0, 0]);
    }
  });

  it.skipIf(!hasTorch)("lays the zip out byte for byte as torch.save does (Debian's torch: data.pkl, data/0, version)", async () => {
    // torch 1.13 writes exactly these three records; the same records through our zip writer must give
    // torch.save's file, pickle included.
    const shapes: (readonly number[])[] = [[8, 2500], [], [0], [5], [2, 0, 3], [2, 3, 4, 5], [70_000]];
    const script = `
import sys, io, json, hashlib, torch
out = []
for spec in json.loads(sys.argv[1]):
    shape = tuple(spec)
    n = 1
    for s in shape: n *= s
    buffer = io.BytesIO()
    torch.save(torch.arange(n, dtype=torch.float32).reshape(shape), buffer)
    out.append(hashlib.sha256(buffer.getvalue()).hexdigest())
print(json.dumps(out))
`;
    const expected = JSON.parse(await python(script, [JSON.stringify(shapes)])) as string[];
    const ours = shapes.map((shape) => {
      const values = Float32Array.from({ length: numel(shape) }, (_, i) => i);
      const file = torchArchive([
        { name: 'data.pkl', data: torchTensorPickle(shape) },
        { name: 'data/0', data: new Uint8Array(values.buffer) },
        { name: 'version', data: new TextEncoder().encode('3\n') },
      ]);
      return createHash('sha256').update(file).digest('hex');
    });
    expect(ours).toEqual(expected);
  });

  it('gives the same bytes for the same tensor, and different bytes for other values or another shape', () => {
    const values = awkwardValues(20_000, 3);
    const a = encodeTorchTensorFile(values, [8, 2500]);
    expect(Buffer.from(encodeTorchTensorFile(values.slice(), [8, 2500])).equals(a)).toBe(true);
    const changed = values.slice();
    changed[19_999] += 1;
    expect(Buffer.from(encodeTorchTensorFile(changed, [8, 2500])).equals(a)).toBe(false);
    expect(Buffer.from(encodeTorchTensorFile(values, [2500, 8])).equals(a)).toBe(false);
  });

  it('accepts a view into a larger buffer (the values, not the whole buffer, are written)', () => {
    const backing = awkwardValues(100, 5);
    const view = backing.subarray(10, 30);
    expect(Buffer.from(encodeTorchTensorFile(view, [4, 5])).equals(Buffer.from(encodeTorchTensorFile(view.slice(), [4, 5])))).toBe(true);
  });

  it('refuses a shape that does not hold the values, or is not made of non-negative integers', () => {
    expect(() => encodeTorchTensorFile(new Float32Array(6), [2, 4])).toThrow(/holds 8 values, got 6/);
    expect(() => encodeTorchTensorFile(new Float32Array(0), [-1, 0])).toThrow(/non-negative integers/);
    expect(() => encodeTorchTensorFile(new Float32Array(3), [1.5, 2])).toThrow(/non-negative integers/);
    expect(() => encodeTorchTensorFile(new Float32Array(2), [])).toThrow(/holds 1 values, got 2/);
  });
});
