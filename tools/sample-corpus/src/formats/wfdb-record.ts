// WFDB records as PTB-XL ships them (header(5), signal(5)): format 16 (16-bit two's complement,
// little endian, samples of all signals interleaved), and PhysioNet/CinC 2021's MATLAB v4 variant
// whose header says `16+24`: the same interleaved int16 samples after the .mat file's 24-byte header.

export const TWELVE_LEADS = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;

/** Interleaves per-lead digital samples frame by frame (sample 0 of every lead, then sample 1 …). */
export function interleave(leads: readonly Int16Array[]): Int16Array {
  const length = leads[0].length;
  const out = new Int16Array(length * leads.length);
  for (let sample = 0; sample < length; sample += 1) {
    for (let lead = 0; lead < leads.length; lead += 1) out[sample * leads.length + lead] = leads[lead][sample];
  }
  return out;
}

/** WFDB header(5) checksum: the sum of all samples of a signal, modulo 2^16, as a signed 16-bit number. */
export function signalChecksum(samples: Int16Array): number {
  let sum = 0;
  for (let index = 0; index < samples.length; index += 1) sum = (sum + samples[index]) & 0xffff;
  return sum >= 0x8000 ? sum - 0x10000 : sum;
}

export function formatSixteenBytes(leads: readonly Int16Array[]): Uint8Array {
  const interleaved = interleave(leads);
  const out = new Uint8Array(interleaved.length * 2);
  const view = new DataView(out.buffer);
  for (let index = 0; index < interleaved.length; index += 1) view.setInt16(index * 2, interleaved[index], true);
  return out;
}

export interface HeaderOptions {
  readonly recordName: string;
  readonly samplingFrequency: number;
  /** The signal file name as the header names it. */
  readonly signalFile: string;
  /** `16`, or `16+24` for the .mat files of PhysioNet/CinC 2021. */
  readonly format: string;
  /** PTB-XL writes `1000.0(0)/mV`, the 2021 challenge `1000/mV`. */
  readonly gain: string;
  /** Text after the sample count on the record line (base time and date), or empty. */
  readonly baseTimeAndDate: string;
  readonly comments: readonly string[];
}

export function wfdbHeader(leads: readonly Int16Array[], options: HeaderOptions): string {
  const recordLine = [options.recordName, String(leads.length), String(options.samplingFrequency), String(leads[0].length), options.baseTimeAndDate]
    .filter((field) => field !== '')
    .join(' ');
  const signalLines = leads.map((samples, lead) =>
    [options.signalFile, options.format, options.gain, '16', '0', String(samples[0]), String(signalChecksum(samples)), '0', TWELVE_LEADS[lead]].join(' '),
  );
  return [recordLine, ...signalLines, ...options.comments].join('\n') + '\n';
}

/** A MATLAB v4 file holding one int16 matrix named `val`, leads × samples (column-major: interleaved). */
export function matlabV4Bytes(leads: readonly Int16Array[]): Uint8Array {
  const interleaved = interleave(leads);
  const out = new Uint8Array(24 + interleaved.length * 2);
  const view = new DataView(out.buffer);
  // type = 1000·M + 100·O + 10·P + T: little-endian (M 0), int16 (P 3), full numeric matrix (T 0).
  view.setInt32(0, 30, true);
  view.setInt32(4, leads.length, true);
  view.setInt32(8, leads[0].length, true);
  view.setInt32(12, 0, true);
  view.setInt32(16, 4, true);
  out.set([0x76, 0x61, 0x6c, 0x00], 20);
  for (let index = 0; index < interleaved.length; index += 1) view.setInt16(24 + index * 2, interleaved[index], true);
  return out;
}
