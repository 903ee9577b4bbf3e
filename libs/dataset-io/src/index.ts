// @qoq/dataset-io — the Parquet / JSONL layer every stage uses (design.md "The corpus", "Complete or absent").
export type { CellValue, ColumnSpec, ColumnType, DatasetRow, RowInput } from './column-spec';
export { DatasetIoFailure, type DatasetIoError, type DatasetIoErrorCode } from './dataset-io-error';
export type { ParquetCodec } from './page-compression';
export { writeParquetFile, type ParquetFileWriteOptions } from './write-parquet-file';
export type { WrittenParquetFile } from './parquet-file-writer';
export { ParquetShardWriter, writeParquetShards, shardFileName, type ShardInfo, type ShardWriterOptions } from './parquet-shard-writer';
export { readParquetColumnBatches, readParquetRows, type ColumnBatch, type ParquetReadSelection } from './parquet-reader';
export { openDataset, type DatasetReadOptions, type OpenedDataset } from './dataset-reader';
export {
  MANIFEST_FILE,
  readManifest,
  sha256OfFile,
  verifyDataset,
  writeManifest,
  type DatasetManifest,
  type ManifestInput,
  type ManifestShard,
} from './dataset-manifest';
export { datasetCard, type DatasetCardInfo } from './dataset-card';
export { writeFileAtomically, writeFolderAtomically, temporaryFolderFor, type AtomicFolderOptions } from './atomic-write';
export { canonicalJson, type JsonValue } from './canonical-json';
export {
  QOQ_MED_FIELDS,
  QOQ_MED_SPLITS,
  qoqMedJsonLine,
  toQoqMedRecord,
  writeQoqMedJsonl,
  type MediaPathHook,
  type MediaRole,
  type QoqMedExportFile,
  type QoqMedRecord,
  type QoqMedSplit,
} from './qoq-med-jsonl';
export { toVerlRow, writeVerlParquet, type VerlExportFile, type VerlRow } from './verl-parquet';
export { syntheticPairColumns, syntheticPairRecords } from './synthetic-pair-records';
export { encodeTorchTensorFile, TORCH_RECORD_ALIGNMENT } from './torch-tensor-file';
