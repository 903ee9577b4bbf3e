// @qoq/pairs — source samples → instruction pairs: prompts, answers, boxes, splits, dedup, leakage check,
// shards and merge, exports (issue 7).
export { runPairsStage, readShardDescription, SHARD_FILE, type PairsStageIo, type ShardDescription } from './pairs-stage';
export { PAIRS_STAGE_USAGE, parseShard, type ExportFormat, type PairsStageOptions, type ShardSelection } from './pairs-options';
export { buildPairs, shardOfPatient, type BuildRequest, type BuildResult, type SplitDescription } from './pairs-build';
export { CorpusWriter, PROVENANCE_COLUMNS, PAIR_COLUMNS, findNearDuplicates, type DuplicateRecord, type NearDuplicateRecord, type ProvenanceRow } from './corpus-writer';
export { checkLeakage, type LeakageProblem, type LeakageReport } from './leakage-check';
export { SplitPlanner, DEFAULT_SPLIT_RATIOS, patientUnitHash, mostHeldOut, type SplitMethod, type SplitRatios } from './split-assignment';
export { buildPairRow, rowImages, scaleBox, selectGoldBox, type PairRowInput, type PixelBox } from './pair-row';
export { StageMediaIndex, type IngestStageFolders, type IngestedMedia, type IngestStageName } from './stage-media-index';
export { DIFFERENCE_HASH_BITS, differenceHash, hammingDistance, mediaContentHash, unionMaskPng } from './media-content';
export {
  CORPUS_EXPORT_FORMATS,
  EXPORT_SUMMARY_FILE,
  defaultExportDir,
  exportCorpus,
  type CorpusExportFile,
  type CorpusExportFormat,
  type CorpusExportOptions,
  type CorpusExportSummary,
} from './corpus-export';
export { CorpusExportFailure, type CorpusExportError, type CorpusExportErrorCode } from './corpus-export-error';
export { ExportMediaPlacer, decodeNpyFloat32, type DecodedNpy, type ExportMediaCounts } from './corpus-export-media';
export { runMergeStage, MERGE_USAGE } from './corpus-merge';
