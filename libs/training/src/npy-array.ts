// NumPy .npy files (format versions 1.0–3.0, numpy/lib/format.py): the magic "\x93NUMPY", two version
// bytes, a little-endian header length (uint16 in v1, uint32 in v2/v3), then a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (8, 2500), } padded to a multiple of 64 bytes, then
// the raw array. The ECG media of the corpus are float32 [8, 2500] C-order (design.md "Media").

export interface NpyArray {
  readonly shape: readonly number[];
  /** Values in C order, converted to float32. */
  readonly data: Float32Array;
  /** The stored dtype, e.g. `<f4`. */
  readonly descr: string;
}

/** A file that is not a .npy array this reader handles; `code` names the reason. */
export class NpyFormatError extends Error {
  override readonly name = 'NpyFormatError';
  constructor(
    readonly code: 'NPY_MAGIC' | 'NPY_VERSION' | 'NPY_HEADER' | 'NPY_DTYPE' | 'NPY_ORDER' | 'NPY_TRUNCATED',
    message: string,
  ) {
    super(message);
  }
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

interface HeaderFields {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
}

/** The header dict: exactly the three keys numpy writes, in any order, Python literal syntax. */
function parseHeaderDict(text: string): HeaderFields {
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}')) throw new NpyFormatError('NPY_HEADER', `the header is not a dict: ${JSON.stringify(body.slice(0, 80))}`);
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(body);
  const order = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(body);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(body);
  if (!descr || !order || !shape) throw new NpyFormatError('NPY_HEADER', `the header lacks descr, fortran_order or shape: ${JSON.stringify(body)}`);
  const dims = shape[1]
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      if (!/^\d+L?$/.test(part)) throw new NpyFormatError('NPY_HEADER', `bad shape entry '${part}'`);
      return Number.parseInt(part, 10);
    });
  return { descr: descr[1], fortranOrder: order[1] === 'True', shape: dims };
}

const BYTES_PER_ELEMENT: Record<string, number> = { f4: 4, f8: 8, i2: 2, i4: 4, u1: 1, i1: 1, f2: 2 };

function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** Parses a .npy file's bytes; C order, little-endian (or byte-order-free) numeric dtypes. */
export function parseNpy(bytes: Uint8Array): NpyArray {
  if (bytes.length < 10 || MAGIC.some((value, index) => bytes[index] !== value)) throw new NpyFormatError('NPY_MAGIC', 'not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  if (major < 1 || major > 3) throw new NpyFormatError('NPY_VERSION', `unsupported .npy version ${major}.${bytes[7]}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const dataStart = headerStart + headerLength;
  if (dataStart > bytes.length) throw new NpyFormatError('NPY_TRUNCATED', 'the file ends inside its header');
  const header = parseHeaderDict(new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(headerStart, dataStart)));
  if (header.fortranOrder) throw new NpyFormatError('NPY_ORDER', 'Fortran-order arrays are not supported (the corpus writes C order)');
  const match = /^([<>|=])([fiu])(\d)$/.exec(header.descr);
  const kind = match ? `${match[2]}${match[3]}` : '';
  const size = BYTES_PER_ELEMENT[kind];
  if (!match || size === undefined) throw new NpyFormatError('NPY_DTYPE', `unsupported dtype '${header.descr}'`);
  const bigEndian = match[1] === '>';
  const count = header.shape.reduce((product, dim) => product * dim, 1);
  if (bytes.length - dataStart < count * size) {
    throw new NpyFormatError('NPY_TRUNCATED', `shape (${header.shape.join(', ')}) needs ${count * size} bytes of data, the file has ${bytes.length - dataStart}`);
  }
  const data = new Float32Array(count);
  const littleEndian = !bigEndian;
  for (let i = 0; i < count; i++) {
    const at = dataStart + i * size;
    switch (kind) {
      case 'f4': data[i] = view.getFloat32(at, littleEndian); break;
      case 'f8': data[i] = view.getFloat64(at, littleEndian); break;
      case 'f2': data[i] = halfToFloat(view.getUint16(at, littleEndian)); break;
      case 'i2': data[i] = view.getInt16(at, littleEndian); break;
      case 'i4': data[i] = view.getInt32(at, littleEndian); break;
      case 'i1': data[i] = view.getInt8(at); break;
      default: data[i] = view.getUint8(at);
    }
  }
  return { shape: header.shape, data, descr: header.descr };
}

/** A version 1.0 .npy file of a float32 C-order array (for tests and fixtures). */
export function encodeNpyFloat32(shape: readonly number[], data: Float32Array): Uint8Array {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const unpadded = 10 + dict.length + 1;
  const padding = (64 - (unpadded % 64)) % 64;
  const header = `${dict}${' '.repeat(padding)}\n`;
  const bytes = new Uint8Array(10 + header.length + data.length * 4);
  bytes.set(MAGIC, 0);
  bytes[6] = 1;
  bytes[7] = 0;
  new DataView(bytes.buffer).setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const view = new DataView(bytes.buffer, 10 + header.length);
  data.forEach((value, index) => view.setFloat32(index * 4, value, true));
  return bytes;
}
