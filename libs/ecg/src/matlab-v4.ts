// PhysioNet stores some records (the 2017–2021 challenges, wfdb2mat output) as a MATLAB v4 file holding
// one matrix `val` [signals × samples]. Column-major order makes its data exactly WFDB's interleaved
// frames, so the header describes it as format 16 (or 8/24/32) with a byte offset past the MAT header
// (`16+24`: 20 header bytes + "val\0"). This module checks that the two descriptions agree.
import { EcgError } from './ecg-error';

export interface MatlabV4Matrix {
  readonly name: string;
  readonly rows: number;
  readonly columns: number;
  /** MATLAB v4 precision digit P of the type MOPT: 0 double, 1 single, 2 int32, 3 int16, 4 uint16, 5 uint8. */
  readonly precision: number;
  readonly bigEndian: boolean;
  /** Byte where the matrix's data begins. */
  readonly dataOffset: number;
}

/** Reads the first matrix header of a MATLAB v4 file, or null when the bytes are not one. */
export function readMatlabV4Header(bytes: Uint8Array): MatlabV4Matrix | null {
  if (bytes.length < 20) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // MOPT is written in the file's own byte order; M = 0 little-endian, 1 big-endian.
  const little = view.getInt32(0, true);
  const bigEndian = !(little >= 0 && little < 100);
  const type = view.getInt32(0, !bigEndian);
  if (type < 0 || type > 1100) return null;
  const precision = Math.floor(type / 10) % 10;
  const rows = view.getInt32(4, !bigEndian);
  const columns = view.getInt32(8, !bigEndian);
  const nameLength = view.getInt32(16, !bigEndian);
  if (rows < 0 || columns < 0 || nameLength < 1 || nameLength > 64 || 20 + nameLength > bytes.length) return null;
  const name = new TextDecoder().decode(bytes.subarray(20, 20 + nameLength - 1));
  return { name, rows, columns, precision, bigEndian, dataOffset: 20 + nameLength };
}

const PRECISION_OF_FORMAT: Readonly<Record<number, { precision: number; bigEndian: boolean }>> = {
  16: { precision: 3, bigEndian: false },
  61: { precision: 3, bigEndian: true },
  32: { precision: 2, bigEndian: false },
  80: { precision: 5, bigEndian: false },
};

/** Throws WFDB_BAD_MAT when a `.mat` signal file contradicts its WFDB header. */
export function checkMatlabAgainstHeader(
  bytes: Uint8Array,
  expected: { format: number; byteOffset: number; signalsInFile: number; numberOfSamples: number },
  path: string,
): void {
  const matrix = readMatlabV4Header(bytes);
  if (matrix === null) throw new EcgError('WFDB_BAD_MAT', 'the .mat file is not a MATLAB v4 matrix', path);
  const problems: string[] = [];
  if (matrix.dataOffset !== expected.byteOffset) {
    problems.push(`its data starts at byte ${matrix.dataOffset}, the header says ${expected.byteOffset}`);
  }
  const wanted = PRECISION_OF_FORMAT[expected.format];
  if (wanted && (wanted.precision !== matrix.precision || wanted.bigEndian !== matrix.bigEndian)) {
    problems.push(`its element type (P=${matrix.precision}) is not format ${expected.format}`);
  }
  if (matrix.rows !== expected.signalsInFile) {
    problems.push(`it has ${matrix.rows} rows for ${expected.signalsInFile} signals`);
  }
  if (matrix.columns < expected.numberOfSamples) {
    problems.push(`it has ${matrix.columns} columns for ${expected.numberOfSamples} samples`);
  }
  if (problems.length > 0) throw new EcgError('WFDB_BAD_MAT', `matrix '${matrix.name}': ${problems.join('; ')}`, path);
}
