// A float32 tensor as `torch.save` writes it, so that `torch.load` (weights_only or not) reads it back:
// PyTorch's zip serialization format (torch/serialization.py `_save`, caffe2/serialize/inline_container.cc
// PyTorchStreamWriter). The archive holds, in torch ≥ 2.5's order:
//   archive/data.pkl                pickle protocol 2 of torch._utils._rebuild_tensor_v2(storage, 0, size,
//                                   stride, False, OrderedDict()), the storage a persistent id
//                                   ('storage', torch.FloatStorage, '0', 'cpu', numel)
//   archive/.format_version         "1"
//   archive/.storage_alignment      "64"
//   archive/byteorder               "little"
//   archive/data/0                  the raw little-endian float32 values
//   archive/version                 "3\n"
//   archive/.data/serialization_id  40 decimal digits (torch only logs it; ours is derived from the
//                                   record names and CRCs, so the file stays deterministic)
// The zip is laid out as PyTorch's miniz writer lays it out: stored entries, zero timestamps, general
// purpose flags 0x0808 with a data descriptor after each non-empty entry, every record's data aligned to 64 bytes
// by an "FB" extra field padded with 'Z', and a ZIP64 end-of-central-directory record. torch 1.13
// ignores the records it does not know (byteorder, .format_version, …); torch ≥ 2.1 reads byteorder.
import { createHash } from 'node:crypto';
import { endianness } from 'node:os';
import { crc32 } from 'node:zlib';

/** PyTorch's kFieldAlignment: every record's data starts at a multiple of it in the file. */
export const TORCH_RECORD_ALIGNMENT = 64;
const ARCHIVE_NAME = 'archive';
/** Largest data record without ZIP64 sizes (PyTorch switches to ZIP64 extra fields beyond it). */
const MAX_DATA_BYTES = 0xffffffff - 1;

export interface TorchArchiveRecord {
  /** Name inside the archive folder (`data.pkl`, `data/0`). */
  name: string;
  data: Uint8Array;
}

// ── pickle (protocol 2), the opcodes Python's pickler emits for this one object ──────────────────────
class PickleWriter {
  private readonly bytes: number[] = [];
  private memo = 0;

  op(...codes: number[]): this {
    this.bytes.push(...codes);
    return this;
  }

  /** BINPUT: Python memoizes every GLOBAL, string, non-empty tuple and REDUCE result. */
  put(): this {
    return this.op(0x71 /* q */, this.memo++);
  }

  ascii(text: string): this {
    for (let i = 0; i < text.length; i++) this.bytes.push(text.charCodeAt(i));
    return this;
  }

  global(module: string, name: string): this {
    return this.op(0x63 /* c */).ascii(`${module}\n${name}\n`).put();
  }

  unicode(text: string): this {
    const n = text.length; // ASCII only here: bytes = characters
    return this.op(0x58 /* X */, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24).ascii(text).put();
  }

  /** Python's save_long for protocol ≥ 1: BININT1, BININT2 or BININT. */
  int(value: number): this {
    if (value <= 0xff) return this.op(0x4b /* K */, value);
    if (value <= 0xffff) return this.op(0x4d /* M */, value & 0xff, value >>> 8);
    return this.op(0x4a /* J */, value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, value >>> 24);
  }

  /** Python's save_tuple for protocol 2: EMPTY_TUPLE (not memoized), TUPLE1–3, or MARK … TUPLE. */
  intTuple(values: readonly number[]): this {
    if (values.length === 0) return this.op(0x29 /* ) */);
    if (values.length > 3) this.op(0x28 /* ( */);
    for (const value of values) this.int(value);
    return this.op(values.length > 3 ? 0x74 /* t */ : 0x84 + values.length /* \x85 \x86 \x87 */).put();
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** data.pkl of a contiguous CPU float32 tensor, byte for byte as torch.save pickles it. */
export function torchTensorPickle(shape: readonly number[]): Uint8Array {
  const numel = shape.reduce((product, size) => product * size, 1);
  // Contiguous strides as c10 computes them: a size-0 axis counts as 1.
  const stride = shape.map((_, axis) => shape.slice(axis + 1).reduce((product, size) => product * Math.max(size, 1), 1));
  return new PickleWriter()
    .op(0x80, 2) // PROTO 2
    .global('torch._utils', '_rebuild_tensor_v2')
    .op(0x28, 0x28) // MARK (arguments), MARK (persistent id)
    .unicode('storage')
    .global('torch', 'FloatStorage')
    .unicode('0')
    .unicode('cpu')
    .int(numel)
    .op(0x74) // TUPLE
    .put()
    .op(0x51) // BINPERSID
    .int(0) // storage_offset
    .intTuple(shape)
    .intTuple(stride)
    .op(0x89) // NEWFALSE: requires_grad
    .global('collections', 'OrderedDict')
    .op(0x29, 0x52) // EMPTY_TUPLE, REDUCE: backward_hooks = OrderedDict()
    .put()
    .op(0x74) // TUPLE (arguments)
    .put()
    .op(0x52) // REDUCE
    .put()
    .op(0x2e) // STOP
    .finish();
}

// ── zip, as PyTorchStreamWriter (miniz with MZ_ZIP_FLAG_WRITE_ZIP64) writes it ─────────────────────────
const LOCAL_HEADER = 30;
const DATA_DESCRIPTOR = 16;
const CENTRAL_HEADER = 46;
const ZIP64_END = 56;
const ZIP64_LOCATOR = 20;
const END = 22;
const UTF8_NAMES = 0x0800;
const HAS_DATA_DESCRIPTOR = 0x0008;
/** miniz writes a data descriptor (CRC and sizes after the data) for every record but an empty one. */
const flagsFor = (size: number) => (size === 0 ? UTF8_NAMES : UTF8_NAMES | HAS_DATA_DESCRIPTOR);
const descriptorBytes = (size: number) => (size === 0 ? 0 : DATA_DESCRIPTOR);

/** Bytes of the "FB" extra field that pushes the data of an entry at `cursor` to the next alignment. */
function paddingFor(cursor: number, nameLength: number): number {
  const start = cursor + LOCAL_HEADER + nameLength + 4;
  return (TORCH_RECORD_ALIGNMENT - (start % TORCH_RECORD_ALIGNMENT)) % TORCH_RECORD_ALIGNMENT;
}

/**
 * A PyTorch archive of the given records, in order, named `archive/<name>`. Exposed for the spec, which
 * rebuilds torch 1.13's own record list and compares the bytes with torch.save's.
 */
export function torchArchive(records: readonly TorchArchiveRecord[]): Uint8Array {
  const entries = records.map((record) => {
    const name = Buffer.from(`${ARCHIVE_NAME}/${record.name}`, 'utf8');
    return { name, data: record.data, crc: crc32(record.data) >>> 0, offset: 0, padding: 0 };
  });
  let cursor = 0;
  for (const entry of entries) {
    entry.offset = cursor;
    entry.padding = paddingFor(cursor, entry.name.length);
    cursor += LOCAL_HEADER + entry.name.length + 4 + entry.padding + entry.data.length + descriptorBytes(entry.data.length);
  }
  const centralOffset = cursor;
  const centralSize = entries.reduce((sum, entry) => sum + CENTRAL_HEADER + entry.name.length, 0);
  const total = centralOffset + centralSize + ZIP64_END + ZIP64_LOCATOR + END;
  if (total > MAX_DATA_BYTES) throw new RangeError(`a ${total}-byte tensor file needs ZIP64 sizes, which this writer does not write`);

  const out = Buffer.alloc(total);
  let at = 0;
  const u16 = (value: number) => (at = out.writeUInt16LE(value, at));
  const u32 = (value: number) => (at = out.writeUInt32LE(value >>> 0, at));
  const u64 = (value: number) => (at = out.writeBigUInt64LE(BigInt(value), at));
  for (const entry of entries) {
    u32(0x04034b50);
    u16(0); // version needed (miniz writes 0 below ZIP64 sizes)
    u16(flagsFor(entry.data.length));
    u16(0); // stored
    u16(0); // time
    u16(0); // date
    u32(0); // CRC, sizes: in the data descriptor
    u32(0);
    u32(0);
    u16(entry.name.length);
    u16(4 + entry.padding);
    at += entry.name.copy(out, at);
    at += out.write('FB', at, 'latin1');
    u16(entry.padding);
    out.fill(0x5a /* Z */, at, at + entry.padding);
    at += entry.padding;
    out.set(entry.data, at);
    at += entry.data.length;
    if (descriptorBytes(entry.data.length) === 0) continue;
    u32(0x08074b50);
    u32(entry.crc);
    u32(entry.data.length);
    u32(entry.data.length);
  }
  for (const entry of entries) {
    u32(0x02014b50);
    u16(0); // version made by
    u16(0); // version needed
    u16(flagsFor(entry.data.length));
    u16(0);
    u16(0);
    u16(0);
    u32(entry.crc);
    u32(entry.data.length);
    u32(entry.data.length);
    u16(entry.name.length);
    u16(0); // extra
    u16(0); // comment
    u16(0); // disk
    u16(0); // internal attributes
    u32(0); // external attributes
    u32(entry.offset);
    at += entry.name.copy(out, at);
  }
  const zip64EndOffset = at;
  u32(0x06064b50);
  u64(ZIP64_END - 12);
  u16(0x031e); // made by: UNIX, spec 3.0 (miniz)
  u16(0x002d); // needed: 4.5
  u32(0);
  u32(0);
  u64(entries.length);
  u64(entries.length);
  u64(centralSize);
  u64(centralOffset);
  u32(0x07064b50);
  u32(0);
  u64(zip64EndOffset);
  u32(1);
  u32(0x06054b50);
  u16(0);
  u16(0);
  u16(entries.length);
  u16(entries.length);
  u32(centralSize);
  u32(centralOffset);
  u16(0);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The values as little-endian bytes, bit for bit (NaN payloads included: no float conversion). */
function littleEndianBytes(data: Float32Array): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (endianness() === 'LE') return bytes;
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += 4) {
    swapped[i] = bytes[i + 3];
    swapped[i + 1] = bytes[i + 2];
    swapped[i + 2] = bytes[i + 1];
    swapped[i + 3] = bytes[i];
  }
  return swapped;
}

/** 20 digits of a 64-bit value, zero-padded, as torch formats each half of its serialization id. */
function twentyDigits(value: bigint): string {
  return value.toString().padStart(20, '0');
}

function serializationId(records: readonly TorchArchiveRecord[]): string {
  const names = createHash('sha256');
  let crcs = 0n;
  for (const record of records) {
    names.update(`${record.name}\n`);
    // c10::hash_combine over 64 bits, as torch combines its record CRCs.
    const value = BigInt(crc32(record.data) >>> 0);
    crcs = (crcs ^ (value + 0x9e3779b9n + (crcs << 6n) + (crcs >> 2n))) & 0xffffffffffffffffn;
  }
  return twentyDigits(names.digest().readBigUInt64LE(0)) + twentyDigits(crcs);
}

const text = (value: string) => new Uint8Array(Buffer.from(value, 'latin1'));

/**
 * A `.pt` file holding one contiguous CPU float32 tensor of `shape` with `data` in C order: what
 * `torch.save(tensor, path)` writes, readable by `torch.load(path)` and `torch.load(path, weights_only=True)`.
 * Deterministic: the same values and shape give the same bytes.
 */
export function encodeTorchTensorFile(data: Float32Array, shape: readonly number[]): Uint8Array {
  if (!shape.every((size) => Number.isSafeInteger(size) && size >= 0 && size <= 0x7fffffff)) {
    throw new RangeError(`tensor shape [${shape.join(', ')}] must hold non-negative integers below 2^31`);
  }
  const numel = shape.reduce((product, size) => product * size, 1);
  if (numel !== data.length) throw new RangeError(`tensor shape [${shape.join(', ')}] holds ${numel} values, got ${data.length}`);
  if (data.byteLength > MAX_DATA_BYTES) throw new RangeError(`a ${data.byteLength}-byte tensor needs ZIP64 sizes, which this writer does not write`);
  const records: TorchArchiveRecord[] = [
    { name: 'data.pkl', data: torchTensorPickle(shape) },
    { name: '.format_version', data: text('1') },
    { name: '.storage_alignment', data: text(String(TORCH_RECORD_ALIGNMENT)) },
    { name: 'byteorder', data: text('little') },
    { name: 'data/0', data: littleEndianBytes(data) },
    { name: 'version', data: text('3\n') },
  ];
  records.push({ name: '.data/serialization_id', data: text(serializationId(records)) });
  return torchArchive(records);
}
