// A small WFDB writer for format 16 (signal(5)): what PTB-XL stores. It exists so that tests and the
// benchmark can make records whose every byte is known; headers carry checksums and initial values,
// so the reader verifies what the writer wrote.

export interface WfdbSignalToWrite {
  readonly description: string;
  /** Digital values (int16 range). */
  readonly digital: Int16Array;
  /** ADC units per mV (default 1000, as PTB-XL). */
  readonly adcGain?: number;
  readonly baseline?: number;
  readonly units?: string;
}

export interface WfdbRecordToWrite {
  readonly recordName: string;
  readonly samplingFrequency: number;
  readonly signals: readonly WfdbSignalToWrite[];
  /** Comment lines without `#`. */
  readonly comments?: readonly string[];
}

/** Returns `{ header, dat }`: the `.hea` text and the interleaved format-16 `.dat` bytes. */
export function encodeWfdbFormat16(record: WfdbRecordToWrite): { header: string; dat: Uint8Array } {
  const length = record.signals[0]?.digital.length ?? 0;
  if (record.signals.some((signal) => signal.digital.length !== length)) {
    throw new RangeError('every signal of a record needs the same number of samples');
  }
  const frameSize = record.signals.length;
  const dat = new Uint8Array(length * frameSize * 2);
  const view = new DataView(dat.buffer);
  for (let i = 0; i < length; i++) {
    for (let s = 0; s < frameSize; s++) view.setInt16((i * frameSize + s) * 2, record.signals[s].digital[i], true);
  }
  const datName = `${record.recordName.split('/').pop()}.dat`;
  const lines = [`${record.recordName.split('/').pop()} ${frameSize} ${record.samplingFrequency} ${length}`];
  for (const signal of record.signals) {
    let checksum = 0;
    for (const value of signal.digital) checksum = (checksum + value) & 0xffff;
    const signedChecksum = checksum >= 0x8000 ? checksum - 0x10000 : checksum;
    const gain = `${signal.adcGain ?? 1000}${signal.baseline === undefined ? '' : `(${signal.baseline})`}/${signal.units ?? 'mV'}`;
    lines.push(`${datName} 16 ${gain} 16 0 ${signal.digital[0] ?? 0} ${signedChecksum} 0 ${signal.description}`);
  }
  for (const comment of record.comments ?? []) lines.push(`# ${comment}`);
  return { header: `${lines.join('\n')}\n`, dat };
}
