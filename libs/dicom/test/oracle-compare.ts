// Shared by the conformance specs: run an oracle over files, and compare our frames with its arrays.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPython } from '@qoq/testing';
import type { DecodedImage } from '../src/index';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-fixtures');

export interface OracleArray {
  readonly path: string;
  readonly values?: Float64Array;
  readonly dtype?: string;
  readonly shape?: number[];
  readonly photometric?: string;
  readonly error?: string;
}

/**
 * Runs test/pydicom-oracle.py over the files (an `ojph:` prefix decodes with ojph_expand instead);
 * returns each file's array (values as doubles) keyed by the argument given.
 */
export function pydicomArrays(files: readonly string[]): Map<string, OracleArray> {
  const out = mkdtempSync(join(tmpdir(), 'qoq-dicom-oracle-'));
  try {
    const script = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'pydicom-oracle.py'), 'utf8');
    const { stdout } = runPython(script, [out, ...files]);
    const result = new Map<string, OracleArray>();
    for (const line of stdout.trim().split('\n')) {
      const record = JSON.parse(line) as OracleArray & { raw?: string };
      if (record.raw === undefined || record.dtype === undefined) {
        result.set(record.path, record);
        continue;
      }
      const bytes = readFileSync(record.raw);
      result.set(record.path, { ...record, values: toDoubles(bytes, record.dtype) });
    }
    return result;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

function toDoubles(bytes: Buffer, dtype: string): Float64Array {
  const buffer = new Uint8Array(bytes).buffer; // a copy: aligned, and a plain ArrayBuffer
  const typed: Record<string, new (buffer: ArrayBuffer) => ArrayLike<number>> = {
    uint8: Uint8Array,
    int8: Int8Array,
    uint16: Uint16Array,
    int16: Int16Array,
    uint32: Uint32Array,
    int32: Int32Array,
    float32: Float32Array,
    float64: Float64Array,
  };
  const Typed = typed[dtype];
  if (Typed === undefined) throw new Error(`oracle dtype ${dtype} not handled`);
  return Float64Array.from(new Typed(buffer));
}

export interface Difference {
  readonly count: number;
  readonly maxAbs: number;
  readonly firstAt: number;
}

/** All frames of our image, concatenated, against the oracle's array. */
export function compareWithOracle(image: DecodedImage, oracle: Float64Array): Difference {
  const total = image.frames.reduce((sum, frame) => sum + frame.pixels.length, 0);
  if (total !== oracle.length) return { count: Math.abs(total - oracle.length), maxAbs: Number.POSITIVE_INFINITY, firstAt: -1 };
  let count = 0;
  let maxAbs = 0;
  let firstAt = -1;
  let at = 0;
  for (const frame of image.frames) {
    for (let i = 0; i < frame.pixels.length; i++, at++) {
      const difference = Math.abs(frame.pixels[i] - oracle[at]);
      if (difference > 0) {
        count++;
        if (firstAt < 0) firstAt = at;
        if (difference > maxAbs) maxAbs = difference;
      }
    }
  }
  return { count, maxAbs, firstAt };
}
