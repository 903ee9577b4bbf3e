// ECG features of the learnability check, read back from the written records: RR-interval statistics
// (rhythm) and the mean beat of every lead around its R peaks (morphology). Digital samples are read
// here with their own code, not the generator's, from WFDB format 16 (.dat) or the 2021 .mat files.
import { readFileSync } from 'node:fs';

/** Leads × samples in mV from a header, its signal file and the gain (format 16 or 16+24). */
export function readTwelveLeadRecord(headerPath: string): { leads: Float64Array[]; frequency: number } {
  const lines = readFileSync(headerPath, 'utf8').split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
  const [, signalCount, frequencyText, sampleCountText] = lines[0].trim().split(/\s+/);
  const signals = Number(signalCount);
  const samples = Number(sampleCountText);
  const first = lines[1].trim().split(/\s+/);
  const [, offsetText] = first[1].split('+');
  const gain = parseFloat(first[2]);
  const bytes = readFileSync(headerPath.replace(/[^/]+$/, first[0]));
  const view = new DataView(bytes.buffer, bytes.byteOffset + Number(offsetText ?? 0), signals * samples * 2);
  const leads = Array.from({ length: signals }, () => new Float64Array(samples));
  for (let sample = 0; sample < samples; sample += 1) {
    for (let lead = 0; lead < signals; lead += 1) leads[lead][sample] = view.getInt16((sample * signals + lead) * 2, true) / gain;
  }
  return { leads, frequency: Number(frequencyText.split('/')[0]) };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)];
}

export function ecgFeatures(leads: readonly Float64Array[], frequency: number): number[] {
  const lead = leads[1];
  const baseline = median(Array.from(lead.filter((_, index) => index % 10 === 0)));
  let max = 0;
  for (const value of lead) max = Math.max(max, value - baseline);
  const peaks: number[] = [];
  const refractory = Math.round(0.3 * frequency);
  for (let index = 1; index < lead.length - 1; index += 1) {
    const value = lead[index] - baseline;
    if (value > 0.5 * max && value >= lead[index - 1] - baseline && value >= lead[index + 1] - baseline) {
      if (peaks.length > 0 && index - peaks[peaks.length - 1] < refractory) {
        if (value > lead[peaks[peaks.length - 1]] - baseline) peaks[peaks.length - 1] = index;
      } else {
        peaks.push(index);
      }
    }
  }
  const rr = peaks.slice(1).map((peak, index) => (peak - peaks[index]) / frequency);
  const rrMean = rr.reduce((sum, value) => sum + value, 0) / Math.max(1, rr.length);
  const rrStd = Math.sqrt(rr.reduce((sum, value) => sum + (value - rrMean) ** 2, 0) / Math.max(1, rr.length));
  const successive = rr.slice(1).map((value, index) => Math.abs(value - rr[index]));
  const features = [rrMean, rrStd / Math.max(1e-6, rrMean), successive.reduce((sum, value) => sum + value, 0) / Math.max(1, successive.length)];
  // Mean beat per lead, −200 ms … +440 ms around the R peaks, every 20 ms.
  const offsets = Array.from({ length: 33 }, (_, step) => Math.round((-0.2 + step * 0.02) * frequency));
  const usable = peaks.filter((peak) => peak + offsets[0] >= 0 && peak + offsets[offsets.length - 1] < lead.length);
  for (const trace of leads) {
    for (const offset of offsets) {
      let sum = 0;
      for (const peak of usable) sum += trace[peak + offset];
      features.push(usable.length > 0 ? sum / usable.length : 0);
    }
  }
  return features;
}
