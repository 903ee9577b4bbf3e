// Worker thread of ingest:ecg: reads one record, normalizes it, writes its .npy file(s) into the
// stage's work folder and returns the metadata rows. Only small results cross the thread boundary.
// Files are read and written synchronously: the thread has nothing else to do meanwhile, and an
// asynchronous read or write costs about twice the CPU (thread-pool round trips per open, stat, read,
// write and close).
import { readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { serveWorker, workerInput } from '@qoq/runtime';
import { ingestEcg, type EcgInput } from './ingest-ecg';
import { directorySourceSync, type RecordSource } from './record-source';
import type { EcgRecordTask, EcgScanResult, EcgStageTask, EcgStageTaskResult, EcgStageWorkerData } from './ecg-stage-types';
import { scanInputFiles } from './input-scan';

const { options, workDir } = workerInput<EcgStageWorkerData>();

/** A source that remembers which files a record read, for its provenance and SHA-256. */
function recordingSource(inner: RecordSource, directory: string, read: string[]): RecordSource {
  return {
    async readFile(name) {
      const bytes = await inner.readFile(name);
      read.push(directory === '.' ? name : posix.join(directory, name));
      return bytes;
    },
  };
}

function ageText(age: number | null): string | null {
  if (age === null || !Number.isFinite(age) || age < 0) return null;
  // PS3.15 Annex E / HIPAA Safe Harbor: ages over 89 are aggregated.
  return age > 89 ? '90+' : String(Math.floor(age));
}

serveWorker<EcgStageTask, EcgStageTaskResult | EcgScanResult>((task) => {
  if (task.kind === 'scan') return { kind: 'scanned', ...scanInputFiles(task.folder, task.files, task.parseHeader) };
  return ingestRecord(task);
});

async function ingestRecord(task: EcgRecordTask): Promise<EcgStageTaskResult> {
  const filesRead: string[] = [];
  let input: EcgInput;
  if (task.kind === 'wfdb') {
    const directory = posix.dirname(task.path);
    const name = posix.basename(task.path).replace(/\.hea$/, '');
    input = { kind: 'wfdb', source: recordingSource(directorySourceSync(join(task.folder, directory)), directory, filesRead), name };
  } else {
    const bytes = readFileSync(join(task.folder, task.path));
    filesRead.push(task.path);
    input = { kind: 'dicom-waveform', bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }
  const outcome = await ingestEcg(input, options);
  if (outcome.kind === 'rejected') {
    if (task.kind === 'dicom-waveform' && outcome.error.code === 'DICOM_NOT_WAVEFORM') return { kind: 'skipped', filesRead };
    // Paths in rejects are relative to the dataset folder: a WFDB error names a file beside the header.
    const path = outcome.error.path && task.kind === 'wfdb' ? posix.join(posix.dirname(task.path), outcome.error.path) : task.path;
    return { kind: 'rejected', code: outcome.error.code, message: outcome.error.message, path: posix.normalize(path), filesRead };
  }
  const { normalized } = outcome;
  const metadata = normalized.metadata;
  const mediaPaths = outcome.npy.map((_, index) =>
    posix.join(task.mediaFolder, outcome.npy.length === 1 ? `${task.mediaName}.npy` : `${task.mediaName}-w${index}.npy`),
  );
  outcome.npy.forEach((bytes, index) => writeFileSync(join(workDir, 'media', mediaPaths[index]), bytes));
  const rows = normalized.windows.map((window, index) => ({
    media_path: mediaPaths[index],
    dataset_key: task.datasetKey,
    window_index: index,
    window_start_seconds: window.startSeconds,
    padded_samples: window.paddedSamples,
    leads: [...normalized.leads],
    sampling_frequency: normalized.samplingFrequency,
    samples: normalized.samples,
    amplitude: metadata.amplitude,
    source_format: metadata.sourceFormat,
    original_sampling_frequency: metadata.originalSamplingFrequency,
    original_samples: metadata.originalSamples,
    leads_present: [...metadata.leadsPresent],
    leads_derived: [...metadata.derivedLeads],
    units: [...metadata.units],
    checksum_status: metadata.checksumStatus,
    initial_value_status: metadata.initialValueStatus,
    flat_line_leads: [...window.quality.flatLine],
    lead_off_leads: [...window.quality.leadOff],
    saturated_leads: [...window.quality.saturation],
    interpolated_samples: metadata.interpolatedSamples,
    resampling: `${metadata.resampling.up}/${metadata.resampling.down}`,
    age: ageText(metadata.age),
    sex: metadata.sex,
    diagnosis_codes: [...metadata.diagnosisCodes],
  }));
  return { kind: 'accepted', rows, filesRead };
}
