// NumPy .npy format version 1.0 (numpy.lib.format): magic "\x93NUMPY", version 1.0, a little-endian
// uint16 header length, then a Python dict literal padded with spaces and a newline so that the data
// starts on a 64-byte boundary. The header is written byte for byte as numpy ≥ 1.24's np.save writes it
// (including its spare room for the first axis to grow), so our files equal numpy's.

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const ALIGNMENT = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
/** '<f4' is little-endian: on such a machine the values are copied as they lie in memory. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function pythonTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** Encodes a C-order float32 array of `shape` as a .npy file ('<f4'). */
export function encodeNpy(values: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((product, axis) => product * axis, 1);
  if (!shape.every((axis) => Number.isInteger(axis) && axis >= 0) || count !== values.length) {
    throw new RangeError(`shape (${shape.join(', ')}) does not hold ${values.length} values`);
  }
  let dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${pythonTuple(shape)}, }`;
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const unpadded = MAGIC.length + 2 + 2 + dict.length + 1;
  // As numpy does: an already aligned header still gets a full ALIGNMENT of spaces.
  const padding = ALIGNMENT - (unpadded % ALIGNMENT);
  const header = `${dict}${' '.repeat(padding)}\n`;
  const out = new Uint8Array(MAGIC.length + 4 + header.length + values.length * 4);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  const dataOffset = 10 + header.length; // a multiple of ALIGNMENT, so float32-aligned
  if (LITTLE_ENDIAN) {
    new Float32Array(out.buffer, dataOffset, values.length).set(values);
  } else {
    const view = new DataView(out.buffer, dataOffset);
    for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  }
  return out;
}
