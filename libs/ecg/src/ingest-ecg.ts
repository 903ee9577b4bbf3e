// One call per record for the ingest:ecg stage: read (WFDB or DICOM), normalize, encode .npy. Output
// I/O, hashing and naming stay with the caller. Bad inputs come back as a rejected outcome carrying
// the EcgError (code + sentence for rejects.jsonl); anything else is a bug and is thrown.
import { readDicomWaveform } from './dicom-waveform';
import { EcgError } from './ecg-error';
import type { EcgRecord } from './ecg-record';
import { normalizeEcg, type EcgNormalizeOptions, type NormalizedEcg } from './normalize-ecg';
import { encodeNpy } from './npy';
import type { RecordSource } from './record-source';
import { readWfdbRecord } from './wfdb-record';

export type EcgInput =
  | { readonly kind: 'wfdb'; readonly source: RecordSource; readonly name: string }
  | { readonly kind: 'dicom-waveform'; readonly bytes: Uint8Array };

export type EcgIngestOutcome =
  | {
      readonly kind: 'accepted';
      readonly normalized: NormalizedEcg;
      /** One `.npy` file (float32 [leads, samples]) per window, in window order. */
      readonly npy: readonly Uint8Array[];
    }
  | { readonly kind: 'rejected'; readonly error: EcgError };

/** Reads the record an input names. */
export async function readEcg(input: EcgInput, options: EcgNormalizeOptions = {}): Promise<EcgRecord> {
  return input.kind === 'wfdb'
    ? readWfdbRecord(input.source, input.name)
    : readDicomWaveform(input.bytes, { minimumSeconds: options.seconds ?? 10 });
}

export async function ingestEcg(input: EcgInput, options: EcgNormalizeOptions = {}): Promise<EcgIngestOutcome> {
  try {
    const record = await readEcg(input, options);
    const normalized = normalizeEcg(record, options);
    const shape = [normalized.leads.length, normalized.samples];
    return { kind: 'accepted', normalized, npy: normalized.windows.map((window) => encodeNpy(window.signal, shape)) };
  } catch (error) {
    if (error instanceof EcgError) return { kind: 'rejected', error };
    throw error;
  }
}
