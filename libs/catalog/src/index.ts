// @qoq/catalog: typed, validated access to data-specs/ (domains, datasets, label sets, code mappings,
// prompt templates, window presets) and the corpus row contract.
export { loadCatalog, checkCatalog, Catalog, type RawCode } from './catalog';
export { CatalogError, formatCatalogProblem, type CatalogProblem, type CatalogProblemCode } from './catalog-problem';
export { defaultDataSpecsDirectory } from './data-specs-directory';
export {
  INSTRUCTION_PAIR_COLUMNS,
  INSTRUCTION_PAIR_COLUMN_NAMES,
  INSTRUCTION_PAIR_SCHEMA_VERSION,
  validateInstructionPair,
  type InstructionPair,
  type InstructionPairColumn,
  type InstructionPairColumnType,
  type InstructionPairProblem,
  type InstructionPairProblemCode,
} from './instruction-pair';
export { type PromptMediaCount } from './prompt';
export { ANSWER_JOINER, REWARD_SEPARATORS, rewardSeparatorIn } from './reward-separators';
export {
  DOMAIN_IDS,
  type CodeMapping,
  type CsvFileLabelLayout,
  type DatasetSpec,
  type DatasetStatus,
  type DedicatedLayout,
  type DomainId,
  type DomainSpec,
  type FolderPerClassLayout,
  type FrameSampling,
  type LayoutId,
  type LayoutSpec,
  type MediaKind,
  type PromptTemplate,
  type Split,
  type TaskType,
  type WindowPreset,
} from './spec-types';
