// One corpus row (design.md "The corpus"): the TypeScript shape of data-specs/instruction-pair.schema.json,
// its columns in schema order for the Parquet writer, and a validator that reports JSON pointers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonPointer } from './catalog-problem';
import { ANSWER_JOINER, rewardSeparatorIn } from './reward-separators';
import { createAjv, schemaViolations, type SchemaValidator } from './schema-validation';
import { defaultDataSpecsDirectory } from './data-specs-directory';
import type { DomainId, Split } from './spec-types';

export const INSTRUCTION_PAIR_SCHEMA_VERSION = 1;

export interface InstructionPair {
  /** Official: the prompt with media placeholders and the format suffix. */
  problem: string;
  /** Official: `labels` joined by ", ". */
  answer: string;
  /** Official: media paths `<modality>/<dataset>/…` relative to media/; empty for ECG rows. */
  images: string[];
  /** Official: ECG paths relative to media/; null or empty for image rows. */
  'time-series': string[] | null;
  /** Official: the official dataset folder name. */
  dataset: string;
  /** Official: [x_min, y_min, x_max, y_max] in pixels of images[0], or null. */
  bbox: [number, number, number, number] | null;
  /** Official: gold mask path relative to media/, or null. */
  segmentation_path: string | null;
  id: string;
  /** `<modality>/<dataset>`. */
  dataset_key: string;
  domain: DomainId;
  modality: string;
  split: Split;
  patient_key: string;
  /** Gold labels in catalog order. */
  labels: string[];
  /** The dataset's label set in catalog order. */
  label_set: string[];
  /** Lower-case hex SHA-256 of the source file. */
  source_sha256: string;
  schema_version: typeof INSTRUCTION_PAIR_SCHEMA_VERSION;
}

/**
 * Column value types, named as @qoq/dataset-io's ColumnSpec names them, so the list can be handed to its
 * writer as is. Lists are Parquet LIST<element>, never bare repeated fields.
 */
export type InstructionPairColumnType = 'string' | 'list<string>' | 'list<double>' | 'int32';

export interface InstructionPairColumn {
  name: keyof InstructionPair;
  type: InstructionPairColumnType;
  nullable: boolean;
  /** One of the official QoQ-Med record fields (the JSONL export keeps exactly these). */
  official: boolean;
}

/** Every column in schema order (official fields first). */
export const INSTRUCTION_PAIR_COLUMNS = [
  { name: 'problem', type: 'string', nullable: false, official: true },
  { name: 'answer', type: 'string', nullable: false, official: true },
  { name: 'images', type: 'list<string>', nullable: false, official: true },
  { name: 'time-series', type: 'list<string>', nullable: true, official: true },
  { name: 'dataset', type: 'string', nullable: false, official: true },
  { name: 'bbox', type: 'list<double>', nullable: true, official: true },
  { name: 'segmentation_path', type: 'string', nullable: true, official: true },
  { name: 'id', type: 'string', nullable: false, official: false },
  { name: 'dataset_key', type: 'string', nullable: false, official: false },
  { name: 'domain', type: 'string', nullable: false, official: false },
  { name: 'modality', type: 'string', nullable: false, official: false },
  { name: 'split', type: 'string', nullable: false, official: false },
  { name: 'patient_key', type: 'string', nullable: false, official: false },
  { name: 'labels', type: 'list<string>', nullable: false, official: false },
  { name: 'label_set', type: 'list<string>', nullable: false, official: false },
  { name: 'source_sha256', type: 'string', nullable: false, official: false },
  { name: 'schema_version', type: 'int32', nullable: false, official: false },
] as const satisfies readonly InstructionPairColumn[];

// Compile-time: every field of InstructionPair has a column (the spec test checks the schema side).
type AssertNoneMissing<T extends never> = T;
export type _EveryFieldHasAColumn = AssertNoneMissing<Exclude<keyof InstructionPair, (typeof INSTRUCTION_PAIR_COLUMNS)[number]['name']>>;

export const INSTRUCTION_PAIR_COLUMN_NAMES: ReadonlyArray<keyof InstructionPair> = INSTRUCTION_PAIR_COLUMNS.map((column) => column.name);

export type InstructionPairProblemCode =
  | 'ROW_SCHEMA_INVALID'
  | 'ANSWER_NOT_LABELS'
  | 'LABEL_OUTSIDE_LABEL_SET'
  | 'LABELS_OUT_OF_ORDER'
  | 'REWARD_SEPARATOR_IN_ANSWER'
  | 'DATASET_KEY_MISMATCH'
  | 'MEDIA_PATH_OUTSIDE_DATASET'
  | 'NO_MEDIA'
  | 'PLACEHOLDER_COUNT_MISMATCH'
  | 'BBOX_REVERSED'
  | 'UNKNOWN_DATASET'
  | 'DOMAIN_MISMATCH'
  | 'LABEL_SET_MISMATCH'
  | 'PROBLEM_NOT_FROM_TEMPLATE';

export interface InstructionPairProblem {
  code: InstructionPairProblemCode;
  message: string;
  /** JSON pointer into the row: `/labels/2`, `/time-series/0`. */
  pointer: string;
}

const schemaValidators = new Map<string, SchemaValidator>();

/** The compiled row schema of a data-specs folder (cached per folder). */
export function instructionPairValidator(directory: string = defaultDataSpecsDirectory()): SchemaValidator {
  let validator = schemaValidators.get(directory);
  if (!validator) {
    const schema = JSON.parse(readFileSync(join(directory, 'instruction-pair.schema.json'), 'utf8')) as object;
    validator = createAjv().compile(schema);
    schemaValidators.set(directory, validator);
  }
  return validator;
}

function countOccurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/**
 * Validates one row against the schema and the rules a schema cannot state (answer = labels joined by ", ",
 * labels from label_set in its order, media under `<modality>/<dataset>/`, one placeholder per media item).
 * Returns no problems for a valid row. Catalog-dependent checks are in Catalog.validateInstructionPair.
 */
export function validateInstructionPair(row: unknown, directory?: string): InstructionPairProblem[] {
  const validator = instructionPairValidator(directory);
  if (!validator(row)) {
    return schemaViolations(validator.errors).map((violation) => ({ code: 'ROW_SCHEMA_INVALID', ...violation }));
  }
  const pair = row as InstructionPair;
  const problems: InstructionPairProblem[] = [];
  const report = (code: InstructionPairProblemCode, message: string, ...pointer: Array<string | number>) =>
    problems.push({ code, message, pointer: jsonPointer(...pointer) });

  if (pair.answer !== pair.labels.join(ANSWER_JOINER)) report('ANSWER_NOT_LABELS', 'answer is not labels joined by ", "', 'answer');
  const positions = new Map(pair.label_set.map((label, index) => [label, index]));
  pair.label_set.forEach((label, index) => {
    const separator = rewardSeparatorIn(label);
    if (separator !== null) report('REWARD_SEPARATOR_IN_ANSWER', `"${label}" contains the reward separator ${JSON.stringify(separator)}`, 'label_set', index);
  });
  let previous = -1;
  pair.labels.forEach((label, index) => {
    const position = positions.get(label);
    if (position === undefined) report('LABEL_OUTSIDE_LABEL_SET', `"${label}" is not in label_set`, 'labels', index);
    else if (position < previous) report('LABELS_OUT_OF_ORDER', `"${label}" comes before a label it follows in label_set`, 'labels', index);
    else previous = position;
  });

  if (pair.dataset_key !== `${pair.modality}/${pair.dataset}`) {
    report('DATASET_KEY_MISMATCH', `dataset_key is not "${pair.modality}/${pair.dataset}"`, 'dataset_key');
  }
  const prefix = `${pair.modality}/${pair.dataset}/`;
  const timeSeries = pair['time-series'] ?? [];
  pair.images.forEach((path, index) => {
    if (!path.startsWith(prefix)) report('MEDIA_PATH_OUTSIDE_DATASET', `image path does not start with ${prefix}`, 'images', index);
  });
  timeSeries.forEach((path, index) => {
    if (!path.startsWith(prefix)) report('MEDIA_PATH_OUTSIDE_DATASET', `time-series path does not start with ${prefix}`, 'time-series', index);
  });
  if (pair.segmentation_path !== null && !pair.segmentation_path.startsWith(prefix)) {
    report('MEDIA_PATH_OUTSIDE_DATASET', `segmentation_path does not start with ${prefix}`, 'segmentation_path');
  }
  if (pair.images.length + timeSeries.length === 0) report('NO_MEDIA', 'a row needs images or time-series', 'images');
  if (countOccurrences(pair.problem, '<image>') !== pair.images.length) {
    report('PLACEHOLDER_COUNT_MISMATCH', `problem has ${countOccurrences(pair.problem, '<image>')} <image> for ${pair.images.length} images`, 'problem');
  }
  if (countOccurrences(pair.problem, '<time_series>') !== timeSeries.length) {
    report('PLACEHOLDER_COUNT_MISMATCH', `problem has ${countOccurrences(pair.problem, '<time_series>')} <time_series> for ${timeSeries.length} time-series`, 'problem');
  }
  if (pair.bbox !== null) {
    const [xMin, yMin, xMax, yMax] = pair.bbox;
    if (xMin > xMax) report('BBOX_REVERSED', 'x_min > x_max', 'bbox', 0);
    if (yMin > yMax) report('BBOX_REVERSED', 'y_min > y_max', 'bbox', 1);
  }
  return problems;
}
