// Worker thread of ingest:dicom: reads one file, de-identifies its header (refusing images that may carry
// burned-in text), decodes the selected frames, renders and encodes each as PNG into the stage's work
// folder, and returns the metadata rows. The header columns come from the de-identified data set only
// (dicom-stage-deid.ts); the others are facts of the decoded pixels (transfer syntax, bits, window used).
import { writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import sharp from 'sharp';
import { profileTablesFrom } from '@qoq/deid';
import { isDicomCandidate, isDicomError, parseDicom } from '@qoq/dicom';
import { ScratchArena, readFileInto, serveWorker, workerInput, type Salt } from '@qoq/runtime';
import { DisplayError, type AppliedWindow } from './display-image';
import { renderDicomImage } from './dicom-rendering';
import { deidentifyDicomHeader } from './dicom-stage-deid';
import type { DicomStageTask, DicomStageTaskResult, DicomStageWorkerData, DicomTableRow } from './dicom-stage-types';

const { options, deid, saltHex, workDir, profileTables } = workerInput<DicomStageWorkerData>();
const salt: Salt = { bytes: Buffer.from(saltHex, 'hex'), isPublicSample: false };
const tables = profileTablesFrom(profileTables);
// The file's bytes, its decoded frames and their 8-bit renderings live in memory reused from file to
// file (fresh multi-megabyte arrays cost more than decoding them: @qoq/runtime scratch-arena.ts). A task
// is done with all of it when it returns: results hold metadata and the PNGs, never views of the arena.
const arena = new ScratchArena();
/** Kept between files up to this size (a 2,500 × 3,000 16-bit image needs ≈ 45 MB with its file). */
const ARENA_KEPT_BYTES = 256 << 20;
// The pool runs one file per thread; libvips' own thread pool would only oversubscribe the cores.
sharp.concurrency(1);
sharp.cache(false);

function windowColumns(window: AppliedWindow): Pick<DicomTableRow, 'window_source' | 'window_center' | 'window_width' | 'voi_lut_function'> {
  if (window.kind === 'window') return { window_source: window.source, window_center: window.center, window_width: window.width, voi_lut_function: window.voiFunction };
  return { window_source: window.kind === 'voi-lut' ? 'header:voi-lut-sequence' : 'colour', window_center: null, window_width: null, voi_lut_function: null };
}

async function ingestDicomFile(task: DicomStageTask, bytes: Uint8Array): Promise<DicomStageTaskResult> {
  const dataset = parseDicom(bytes, { path: task.path });
  // A waveform object (ECG; Waveform Sequence 5400,0100) is ingest:ecg's input, not an image: skipped, not rejected.
  if (!dataset.has('PixelData') && !dataset.has('FloatPixelData') && !dataset.has('DoubleFloatPixelData') && dataset.has('x54000100')) {
    return { kind: 'skipped' };
  }
  const deidentified = deidentifyDicomHeader(dataset, task.path, salt, deid, tables);
  if (deidentified.kind === 'rejected') return { kind: 'rejected', code: deidentified.code, message: deidentified.message, path: task.path };
  const { metadata } = deidentified;
  const { image, size, frames } = await renderDicomImage(dataset, { ...options, frames: task.frames }, task.window, arena);
  const tableRows: DicomTableRow[] = [];
  for (const frame of frames) {
    const name = image.numberOfFrames > 1 ? `${task.mediaName}-f${frame.frameIndex}.png` : `${task.mediaName}.png`;
    const mediaPath = posix.join(task.mediaFolder, name);
    await writeFile(join(workDir, 'media', mediaPath), frame.png);
    const modalityLut = frame.modalityLut;
    tableRows.push({
      media_path: mediaPath,
      dataset_key: task.datasetKey,
      frame_index: frame.frameIndex,
      sop_class_uid: metadata.sop_class_uid,
      dicom_modality: metadata.dicom_modality,
      transfer_syntax_uid: image.transferSyntaxUid,
      rows: metadata.rows ?? 0,
      columns: metadata.columns ?? 0,
      frames: image.numberOfFrames,
      photometric_interpretation: image.storedPhotometricInterpretation,
      samples_per_pixel: image.samplesPerPixel,
      bits_allocated: image.bitsAllocated,
      bits_stored: image.bitsStored,
      pixel_representation: image.pixelRepresentation,
      lossy: image.lossy,
      modality_lut: modalityLut.kind === 'lut' ? 'lut-sequence' : 'rescale',
      rescale_slope: modalityLut.kind === 'rescale' ? modalityLut.slope : null,
      rescale_intercept: modalityLut.kind === 'rescale' ? modalityLut.intercept : null,
      ...windowColumns(frame.window),
      inverted: frame.channels === 1 && (image.photometricInterpretation === 'MONOCHROME1' || (image.presentationLutShape ?? '').trim().toUpperCase() === 'INVERSE'),
      pixel_spacing: metadata.pixel_spacing_mm === null ? null : [...metadata.pixel_spacing_mm],
      view_position: metadata.view_position,
      laterality: metadata.laterality,
      body_part_examined: metadata.body_part_examined,
      decoded_resolution_level: image.resolutionLevel,
      output_width: size.width,
      output_height: size.height,
      output_channels: frame.channels,
      patient_key: metadata.patient_key,
      study_key: metadata.study_key,
      series_key: metadata.series_key,
      study_date: metadata.study_date,
      patient_age: metadata.patient_age,
      patient_sex: metadata.patient_sex,
      date_mode: metadata.date_mode,
      patient_identity_removed: metadata.patient_identity_removed,
      deidentification_method: metadata.deidentification_method,
      deidentification_method_codes: [...metadata.deidentification_method_codes],
    });
  }
  return { kind: 'accepted', rows: tableRows, provenance: deidentified.provenance };
}

serveWorker<DicomStageTask, DicomStageTaskResult>(async (task) => {
  arena.resetAndTrim(ARENA_KEPT_BYTES);
  const bytes = readFileInto(join(task.folder, task.path), arena);
  if (!isDicomCandidate(task.path, bytes.subarray(0, 132))) return { kind: 'skipped' };
  try {
    return await ingestDicomFile(task, bytes);
  } catch (error) {
    // The path in a reject is the one relative to the dataset folder; messages never quote values.
    if (isDicomError(error) || error instanceof DisplayError) return { kind: 'rejected', code: error.code, message: error.message, path: task.path };
    throw error;
  }
});
