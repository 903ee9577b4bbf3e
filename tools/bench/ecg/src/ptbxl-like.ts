// PTB-XL-like WFDB records for benchmarks: 12 leads (I II III AVR AVL AVF V1–V6), 10 s at 500 Hz,
// format 16, gain 1000/mV — the shape of PTB-XL's records500. The waveform is a synthetic beat train
// (P, QRS, T as Gaussians) with per-record heart rate, noise and baseline wander from a seeded PRNG,
// so compressed sizes and value ranges are realistic and runs are reproducible.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeWfdbFormat16 } from '@qoq/ecg';
import { mulberry32 } from '@qoq/runtime';

const LEADS = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
/** Relative amplitude of P, QRS, T per lead (rough projections of the cardiac vector). */
const LEAD_WEIGHTS = [0.6, 1, 0.4, -0.8, 0.3, 0.7, -0.5, 0.2, 0.6, 1.2, 1.1, 0.9];


export function ptbxlLikeRecord(index: number): { name: string; header: string; dat: Uint8Array } {
  const random = mulberry32(index + 1);
  const rate = 500;
  const samples = 5000;
  // One beat (P, QRS, T) sampled once per record and repeated: generation stays cheap.
  const beatSamples = Math.round((60 / (55 + 50 * random())) * rate);
  const wanderHz = 0.1 + 0.3 * random();
  const gauss = (t: number, centre: number, width: number) => Math.exp(-(((t - centre) / width) ** 2));
  const beat = Float64Array.from({ length: beatSamples }, (_, i) => {
    const t = i / rate;
    return 0.15 * gauss(t, 0.1, 0.03) + 1.1 * gauss(t, 0.25, 0.012) - 0.2 * gauss(t, 0.27, 0.01) + 0.3 * gauss(t, 0.5, 0.06);
  });
  const signals = LEADS.map((description, k) => {
    const digital = new Int16Array(samples);
    const weight = LEAD_WEIGHTS[k];
    for (let i = 0; i < samples; i++) {
      const millivolts = weight * beat[i % beatSamples] + 0.1 * Math.sin(2 * Math.PI * wanderHz * (i / rate) + k) + 0.01 * (random() - 0.5);
      digital[i] = Math.round(millivolts * 1000);
    }
    return { description, digital };
  });
  const name = `${String(index + 1).padStart(5, '0')}_hr`;
  const { header, dat } = encodeWfdbFormat16({ recordName: name, samplingFrequency: rate, signals, comments: [] });
  return { name, header, dat };
}

/** Writes records 0..count−1 under `directory/records500/<thousands>/`, as PTB-XL lays them out. */
export async function writePtbxlLikeRecords(directory: string, count: number): Promise<string[]> {
  const names: string[] = [];
  for (let index = 0; index < count; index++) {
    const folder = `records500/${String(Math.floor(index / 1000) * 1000).padStart(5, '0')}`;
    await mkdir(join(directory, folder), { recursive: true });
    const record = ptbxlLikeRecord(index);
    await writeFile(join(directory, folder, `${record.name}.hea`), record.header);
    await writeFile(join(directory, folder, `${record.name}.dat`), record.dat);
    names.push(`${folder}/${record.name}`);
  }
  return names;
}
