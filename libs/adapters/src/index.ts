// @qoq/adapters: downloaded dataset trees (../shared/datasets.md) → source samples, one adapter per
// layout, label knowledge from @qoq/catalog only.
export { readDataset, SUPPORTED_LAYOUTS, type ReadDatasetRequest } from './read-dataset';
export {
  AdapterError,
  type AdapterErrorCode,
  type AdapterItem,
  type AdapterReject,
  type AdapterRejectCode,
  type AttributeValue,
  type SourceBox,
  type SourceSample,
} from './source-sample';
export { CHEXPERT_PAPER_UNCERTAINTY, type AdapterOptions, type RoiDicomClassifier, type UncertaintyPolicy } from './adapter-options';
export { classifyRoiDicomByContent } from './roi-mask-classifier';
export { fuseBoxes, intersectionOverUnion, type FusedBox, type ReaderBox } from './box-fusion';
export { CsvParser, parseCsvText, readCsvRecords, type CsvRecord } from './csv-reader';
export { parsePythonDict, parsePythonStringList, PythonLiteralError, type PythonScalar } from './python-literal';
