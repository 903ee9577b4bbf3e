import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireOracle, runPython } from '@qoq/testing';
import { describe, expect, it } from 'vitest';
import { ingestEcg } from './ingest-ecg';
import { memorySource } from './record-source';
import { encodeWfdbFormat16 } from './wfdb-writer';

const WAVEFORM_ECG = fileURLToPath(new URL('../test-fixtures/dicom/waveform_ecg.dcm', import.meta.url));
const PTB_LEADS = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];

function ptbLikeRecord(seed: number, samples = 5000) {
  const signals = PTB_LEADS.map((description, k) => ({
    description,
    digital: Int16Array.from({ length: samples }, (_, i) => Math.round(800 * Math.sin((2 * Math.PI * (1.1 + k / 10) * i) / 500 + seed) + 40 * k)),
  }));
  return encodeWfdbFormat16({ recordName: '00001_hr', samplingFrequency: 500, signals, comments: ['<age>: 56  <sex>: F'] });
}

describe('ingestEcg: one call per record', () => {
  it('reads a PTB-XL-like WFDB record (12 leads, 10 s, 500 Hz, format 16) into one [8, 2500] .npy', async () => {
    const { header, dat } = ptbLikeRecord(1);
    const outcome = await ingestEcg({ kind: 'wfdb', source: memorySource({ '00001_hr.hea': header, '00001_hr.dat': dat }), name: '00001_hr' });
    expect(outcome.kind).toBe('accepted');
    if (outcome.kind !== 'accepted') return;
    expect(outcome.npy.length).toBe(1);
    expect(new TextDecoder().decode(outcome.npy[0].subarray(10, 70))).toContain("'shape': (8, 2500)");
    expect(outcome.normalized.metadata).toMatchObject({ sourceFormat: 'wfdb/16', checksumStatus: 'ok', initialValueStatus: 'ok', age: 56, sex: 'F' });
  });

  it('returns a rejected outcome with a typed error for a truncated .dat, instead of throwing', async () => {
    const { header, dat } = ptbLikeRecord(2);
    const outcome = await ingestEcg({ kind: 'wfdb', source: memorySource({ '00001_hr.hea': header, '00001_hr.dat': dat.subarray(0, 1000) }), name: '00001_hr' });
    expect(outcome).toMatchObject({ kind: 'rejected', error: { code: 'ECG_TRUNCATED', path: '00001_hr.dat' } });
    if (outcome.kind === 'rejected') expect(outcome.error.toJSON()).toEqual({ code: 'ECG_TRUNCATED', message: outcome.error.message, path: '00001_hr.dat' });
  });

  it('rejects bytes that are not DICOM with DICOM_BAD_FILE', async () => {
    const outcome = await ingestEcg({ kind: 'dicom-waveform', bytes: new Uint8Array(300) });
    expect(outcome).toMatchObject({ kind: 'rejected', error: { code: 'DICOM_BAD_FILE' } });
  });

  // Oracle: pydicom's waveform_array (µV) / 1000, resampled 1000 → 250 Hz by scipy.signal.resample_poly,
  // rows I, II, V1–V6. Tolerance 1e-5 mV: float32 rounding of values up to a few mV.
  it.runIf(requireOracle('pydicom') && requireOracle('scipy'))(
    'normalizes pydicom\'s waveform_ecg.dcm to [8, 2500] with the leads in order, as pydicom + scipy would',
    async () => {
      const outcome = await ingestEcg({ kind: 'dicom-waveform', bytes: new Uint8Array(readFileSync(WAVEFORM_ECG)) });
      expect(outcome.kind).toBe('accepted');
      if (outcome.kind !== 'accepted') return;
      const script = [
        'import sys, io, json, numpy as np, pydicom',
        'from scipy.signal import resample_poly',
        'ds = pydicom.dcmread(sys.argv[1])',
        'mv = ds.waveform_array(0) / 1000.0',
        'rows = [0, 1, 6, 7, 8, 9, 10, 11]',
        'expected = np.stack([resample_poly(mv[:, r], 1, 4) for r in rows])[:, :2500]',
        'ours = np.load(io.BytesIO(sys.stdin.buffer.read()))',
        'print(json.dumps({"shape": list(ours.shape), "dtype": ours.dtype.str, "worst": float(np.abs(ours - expected).max()), "peak": float(np.abs(expected).max())}))',
      ].join('\n');
      const result = JSON.parse(runPython(script, [WAVEFORM_ECG], Buffer.from(outcome.npy[0])).stdout) as { shape: number[]; dtype: string; worst: number; peak: number };
      expect(result.shape).toEqual([8, 2500]);
      expect(result.dtype).toBe('<f4');
      expect(result.peak).toBeGreaterThan(0.5);
      expect(result.worst).toBeLessThan(1e-5);
      expect(outcome.normalized.leads).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
      expect(outcome.normalized.metadata).toMatchObject({ sourceFormat: 'dicom-waveform/SS', originalSamplingFrequency: 1000, originalSamples: 10000, units: ['mV'] });
    },
  );
});
