// @qoq/stats — corpus statistics (design.md "Statistics"): rarity, difficulty, the report page.
export { runStatsCommand, STATS_USAGE, type StatsCommand, type StatsIo } from './stats-stage';
export { scanCorpus, type CorpusScan, type ScanOptions } from './corpus-scan';
export { scanShard, STATS_COLUMNS, type RowValidation, type ShardScanOutcome, type ShardScanTask } from './shard-scan';
export { countRejects, type RejectCounts } from './corpus-rejects';
export { DatasetTally, SPLITS, type SplitName } from './corpus-tally';
export { computeRarity, RARITY_DEFINITIONS, type RarityReport, type GroupRarity, type DatasetRarity, type LabelRarity } from './rarity';
export { rarityCsvFiles } from './rarity-csv';
export { computeDifficulty, type DifficultyReport } from './difficulty-report';
export { chanceSetF1, maskSetF1, LABEL_DIFFICULTY_DEFINITIONS, type DatasetLabelDifficulty, type DomainLabelDifficulty } from './label-difficulty';
export { rolloutDifficulty, ROLLOUT_DEFINITIONS, type RolloutDifficulty, type RolloutGroupStats, type DrpoTemperature } from './rollout-difficulty';
export { renderReportHtml } from './report-html';
export { wilsonInterval, Z_95, type ProportionInterval } from './wilson-interval';
export { writeSyntheticCorpus, syntheticCorpusRows, syntheticSplitOf, CORPUS_COLUMNS, type SyntheticCorpusPlan } from './synthetic-corpus';
export { computeMediaReport, MEDIA_DEFINITIONS, type MediaReport, type ImageFigures, type EcgFigures, type StageSummary, type MediaFromMode } from './media-report';
export { mediaCsvFiles } from './media-csv';
export { writeSyntheticStages, SYNTHETIC_STAGE_COLUMNS, type SyntheticStageCounts } from './synthetic-stages';
