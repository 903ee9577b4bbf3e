// @qoq/ecg — WFDB and DICOM ECG readers, normalization to the model's [leads × samples] tensor, .npy.
export { EcgError, isEcgError, type EcgErrorCode } from './ecg-error';
export { directorySource, memorySource, type RecordSource } from './record-source';
export type { ChecksumStatus, EcgDemographics, EcgRecord, EcgSignal, EcgSourceFormat, InitialValueStatus } from './ecg-record';
export {
  parseWfdbHeader,
  type WfdbDate,
  type WfdbHeader,
  type WfdbRecordLine,
  type WfdbSegmentSpec,
  type WfdbSignalSpec,
  type WfdbTime,
} from './wfdb-header';
export { readWfdbRecord, type WfdbReadOptions, type WfdbSignal } from './wfdb-record';
export {
  GENERAL_ECG_SOP_CLASS,
  TWELVE_LEAD_ECG_SOP_CLASS,
  chooseMultiplexGroup,
  listDicomWaveformGroups,
  readDicomWaveform,
  type DicomWaveformOptions,
  type MultiplexGroupSummary,
} from './dicom-waveform';
export { STANDARD_LEADS, standardLeadFromCode, standardLeadFromText, type StandardLead } from './lead-names';
export { rationalRatio, resamplePoly, type ResamplingRatio } from './resample';
export {
  DEFAULT_LEADS,
  RESAMPLING_METHOD,
  normalizeEcg,
  type AmplitudeScaling,
  type EcgNormalizeOptions,
  type EcgWindow,
  type NormalizedEcg,
  type NormalizedEcgMetadata,
  type QualityFlags,
} from './normalize-ecg';
export { DEFAULT_QUALITY_THRESHOLDS, type QualityThresholds } from './ecg-quality';
export { encodeNpy } from './npy';
export { ingestEcg, readEcg, type EcgIngestOutcome, type EcgInput } from './ingest-ecg';
export { encodeWfdbFormat16, type WfdbRecordToWrite, type WfdbSignalToWrite } from './wfdb-writer';
export { ECG_PROVENANCE_COLUMNS, ECG_TABLE_COLUMNS, runEcgStage, type EcgStageIo } from './ecg-stage';
export { ECG_STAGE_OPTIONS, ECG_STAGE_USAGE, ecgNormalizeOptionsFrom } from './ecg-stage-options';
export { discoverEcgRecords, type EcgRecordRef } from './ecg-record-discovery';
