export { ExitCode, LeakageError, UsageError } from './exit-codes';
export { exitWith, runCommand, type CommandIo } from './command';
export {
  COMMON_OPTIONS,
  parseChoice,
  parseCommandLine,
  parseFiniteNumber,
  parseNonNegativeInteger,
  parsePositiveInteger,
  type CommonOptions,
  type OptionSpec,
  type OptionSpecs,
  type ParsedOptions,
} from './cli-options';
export { RejectLog, isCodedError, type CodedError, type Reject } from './rejects';
export { SAMPLE_SALT, loadSalt, saltedHash, saltedName, type Salt } from './salt';
export { WorkerPool, type TaskOutcome, type WorkerPoolOptions } from './worker-pool';
export { serveWorker, workerInput, type ServeOptions } from './worker-serve';
export { Progress, type ProgressOptions } from './progress';
export { ProcessTreePeakRss, formatBytes, peakRssOfSelf, runMeasured, treeRss, type MeasuredRun } from './peak-rss';
export { finishedExitCode, formatRunSummary, reportUpToDate, type RunSummary } from './run-summary';
export {
  canonicalJson,
  inputManifestDigest,
  openStageWorkspace,
  type InputManifest,
  type StageWorkspace,
} from './stage-workspace';
export { SAMPLE_ROOT, SAMPLE_SOURCES, readSourcesFile, resolveSources, type ResolvedSources, type SourceEntry } from './sources';
export { listFilesSorted, readFileInto, sha256Bytes, sha256File, sha256Files } from './file-walk';
export { ScratchArena, type TypedArrayConstructor } from './scratch-arena';
export { codeVersion } from './code-version';
export { findWorkspaceRoot } from './workspace-root';
export { mulberry32 } from './seeded-random';
