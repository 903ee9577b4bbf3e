// Typed, validated access to data-specs/ (design.md "Data flow": data-specs feed the instruction pairs).
// loadCatalog validates every file against its meta-schema and cross-checks them; a catalog that loads is
// consistent, so the accessors below can trust it.
import { CatalogError, type CatalogProblem } from './catalog-problem';
import { checkDataset, checkDomains, checkPrompts, type Located } from './cross-checks';
import { defaultDataSpecsDirectory } from './data-specs-directory';
import { validateInstructionPair, type InstructionPairProblem } from './instruction-pair';
import { renderProblem, type PromptMediaCount } from './prompt';
import { ANSWER_JOINER } from './reward-separators';
import { createAjv, schemaViolations } from './schema-validation';
import type { ValidateFunction } from 'ajv';
import { readSpecFiles, type SpecDocument } from './spec-files';
import type { DatasetSpec, DatasetStatus, DomainSpec, FormatSuffix, PromptTemplate, WindowPreset } from './spec-types';

const META_SCHEMAS = {
  domains: 'domains.schema.json',
  dataset: 'dataset.schema.json',
  prompt: 'prompt.schema.json',
  formatSuffix: 'format-suffix.schema.json',
} as const;

interface CheckedSpecs {
  problems: CatalogProblem[];
  domains: DomainSpec[];
  datasets: Array<Located<DatasetSpec>>;
  prompts: Array<Located<PromptTemplate>>;
  formatSuffix: FormatSuffix | null;
}

function checkSpecs(directory: string): CheckedSpecs {
  const problems: CatalogProblem[] = [];
  const files = readSpecFiles(directory, problems);
  const ajv = createAjv();
  const compiled = new Map<string, ValidateFunction | null>();
  const validatorFor = (schemaFile: string): ValidateFunction | null => {
    if (!compiled.has(schemaFile)) compiled.set(schemaFile, compileMetaSchema(schemaFile));
    return compiled.get(schemaFile) ?? null;
  };
  const compileMetaSchema = (schemaFile: string): ValidateFunction | null => {
    const document = files.metaSchemas.get(schemaFile);
    if (!document) {
      problems.push({ code: 'SPEC_FILE_MISSING', message: `schemas/${schemaFile} is missing`, file: `schemas/${schemaFile}`, pointer: '' });
      return null;
    }
    try {
      return ajv.compile(document.value as object);
    } catch (error) {
      problems.push({ code: 'SPEC_SCHEMA_INVALID', message: `not a valid schema: ${(error as Error).message}`, file: document.file, pointer: '' });
      return null;
    }
  };
  const conforming = <T>(document: SpecDocument | null, schemaFile: string): Located<T> | null => {
    if (!document) return null;
    const validate = validatorFor(schemaFile);
    if (!validate) return null;
    if (validate(document.value)) return { file: document.file, value: document.value as T };
    for (const violation of schemaViolations(validate.errors)) {
      problems.push({ code: 'SPEC_SCHEMA_INVALID', message: violation.message, file: document.file, pointer: violation.pointer });
    }
    return null;
  };

  if (files.instructionPairSchema) {
    try {
      createAjv().compile(files.instructionPairSchema.value as object);
    } catch (error) {
      problems.push({ code: 'SPEC_SCHEMA_INVALID', message: `not a valid schema: ${(error as Error).message}`, file: files.instructionPairSchema.file, pointer: '' });
    }
  }
  const domainsDocument = conforming<{ domains: DomainSpec[] }>(files.domains, META_SCHEMAS.domains);
  const formatSuffix = conforming<FormatSuffix>(files.formatSuffix, META_SCHEMAS.formatSuffix);
  const datasets = files.datasets
    .map((document) => conforming<DatasetSpec>(document, META_SCHEMAS.dataset))
    .filter((dataset): dataset is Located<DatasetSpec> => dataset !== null);
  const prompts = files.prompts
    .map((document) => conforming<PromptTemplate>(document, META_SCHEMAS.prompt))
    .filter((prompt): prompt is Located<PromptTemplate> => prompt !== null);

  const domains = domainsDocument?.value.domains ?? [];
  if (domainsDocument) problems.push(...checkDomains(domainsDocument));
  const domainsById = new Map(domains.map((domain) => [domain.domain, domain]));
  const firstFileOfKey = new Map<string, string>();
  const uniqueDatasets: Array<Located<DatasetSpec>> = [];
  for (const dataset of datasets) {
    problems.push(...checkDataset(dataset, domainsById));
    const first = firstFileOfKey.get(dataset.value.dataset_key);
    if (first !== undefined) {
      problems.push({ code: 'DUPLICATE_DATASET_KEY', message: `dataset_key "${dataset.value.dataset_key}" is already defined by ${first}`, file: dataset.file, pointer: '/dataset_key' });
    } else {
      firstFileOfKey.set(dataset.value.dataset_key, dataset.file);
      uniqueDatasets.push(dataset);
    }
  }
  // Without a usable dataset meta-schema no dataset was read: prompt cross-checks would only repeat that.
  if (validatorFor(META_SCHEMAS.dataset)) problems.push(...checkPrompts(prompts, uniqueDatasets));
  return { problems, domains, datasets: uniqueDatasets, prompts, formatSuffix: formatSuffix?.value ?? null };
}

/** Every problem of a data-specs folder (empty when it is consistent); never throws for bad specs. */
export function checkCatalog(directory: string = defaultDataSpecsDirectory()): CatalogProblem[] {
  return checkSpecs(directory).problems;
}

/** Loads and validates a data-specs folder (default: the repository's); throws CatalogError listing every problem. */
export function loadCatalog(directory: string = defaultDataSpecsDirectory()): Catalog {
  const checked = checkSpecs(directory);
  if (checked.problems.length > 0 || checked.formatSuffix === null) {
    throw new CatalogError('SPEC_SCHEMA_INVALID', `data-specs at ${directory} are not valid`, checked.problems);
  }
  return new Catalog(directory, checked.domains, checked.datasets.map((d) => d.value), checked.prompts.map((p) => p.value), checked.formatSuffix);
}

/** A code of one code system of a record, as the adapter read it. */
export interface RawCode {
  codeSystem: string;
  code: string;
}

export class Catalog {
  private readonly datasetsByKey: ReadonlyMap<string, DatasetSpec>;
  private readonly promptsByKey: ReadonlyMap<string, PromptTemplate>;

  constructor(
    readonly directory: string,
    private readonly domainSpecs: readonly DomainSpec[],
    private readonly datasetSpecs: readonly DatasetSpec[],
    promptTemplates: readonly PromptTemplate[],
    private readonly suffix: FormatSuffix,
  ) {
    this.datasetsByKey = new Map(datasetSpecs.map((dataset) => [dataset.dataset_key, dataset]));
    this.promptsByKey = new Map(promptTemplates.map((prompt) => [prompt.dataset_key, prompt]));
  }

  domains(): readonly DomainSpec[] {
    return this.domainSpecs;
  }

  /** Datasets sorted by dataset_key; `status` filters (default: all). */
  datasets(options: { status?: DatasetStatus } = {}): readonly DatasetSpec[] {
    return this.datasetSpecs.filter((dataset) => options.status === undefined || dataset.status === options.status);
  }

  hasDataset(datasetKey: string): boolean {
    return this.datasetsByKey.has(datasetKey);
  }

  dataset(datasetKey: string): DatasetSpec {
    const dataset = this.datasetsByKey.get(datasetKey);
    if (!dataset) throw new CatalogError('UNKNOWN_DATASET', `no dataset "${datasetKey}" in ${this.directory}/datasets`);
    return dataset;
  }

  prompt(datasetKey: string): PromptTemplate {
    this.dataset(datasetKey);
    return this.promptsByKey.get(datasetKey) as PromptTemplate; // every dataset has one: checked at load
  }

  /** The format suffix text, verbatim (qoq-med.md §1). */
  formatSuffix(): string {
    return this.suffix.text;
  }

  /** The full `problem` of a row of this dataset: placeholders, question, labels, then " " + format suffix. */
  renderPrompt(datasetKey: string, media: PromptMediaCount = {}): string {
    const dataset = this.dataset(datasetKey);
    const items = dataset.media_kind === 'ecg' ? (media.timeSeriesCount ?? 1) : media.imageCount;
    if (items === undefined || !Number.isInteger(items) || items < 1) {
      throw new CatalogError('BAD_PROMPT_REQUEST', `${datasetKey}: imageCount must be a positive integer (got ${String(items)})`);
    }
    return renderProblem(this.prompt(datasetKey), dataset.label_set, this.suffix, items);
  }

  /** The answer a raw code maps to, or null when the code system leaves it unmapped. */
  mapRawCode(datasetKey: string, codeSystem: string, code: string): string | null {
    const mapping = this.dataset(datasetKey).code_mappings.find((candidate) => candidate.code_system === codeSystem);
    if (!mapping) throw new CatalogError('UNKNOWN_CODE_SYSTEM', `${datasetKey} has no code system "${codeSystem}"`);
    return Object.hasOwn(mapping.map, code) ? mapping.map[code] : null;
  }

  /**
   * The labels of a record from all its raw codes: mapped, exclusive answers dropped beside others,
   * fallback_answer when nothing maps (ECG "Other"), in catalog order. Null when nothing maps and there
   * is no fallback (the record is rejected).
   */
  labelsFromCodes(datasetKey: string, codes: readonly RawCode[]): string[] | null {
    const dataset = this.dataset(datasetKey);
    const answers = new Set<string>();
    for (const { codeSystem, code } of codes) {
      const answer = this.mapRawCode(datasetKey, codeSystem, code);
      if (answer !== null) answers.add(answer);
    }
    for (const exclusive of dataset.exclusive_answers ?? []) {
      if (answers.has(exclusive) && answers.size > 1) answers.delete(exclusive);
    }
    if (answers.size === 0) return dataset.fallback_answer === null ? null : [dataset.fallback_answer];
    return this.inCatalogOrder(datasetKey, [...answers]);
  }

  /** Labels sorted into the dataset's label_set order (design.md "Words": labels are in catalog order). */
  inCatalogOrder(datasetKey: string, labels: readonly string[]): string[] {
    const order = new Map(this.dataset(datasetKey).label_set.map((label, index) => [label, index]));
    for (const label of labels) {
      if (!order.has(label)) throw new CatalogError('LABEL_OUTSIDE_LABEL_SET', `"${label}" is not a label of ${datasetKey}`);
    }
    return [...new Set(labels)].sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
  }

  /** The `answer` of a row: labels in catalog order joined by ", ". */
  answerFor(datasetKey: string, labels: readonly string[]): string {
    return this.inCatalogOrder(datasetKey, labels).join(ANSWER_JOINER);
  }

  windowPreset(datasetKey: string): WindowPreset {
    return this.dataset(datasetKey).window;
  }

  /** Row checks of validateInstructionPair, plus: known dataset, its domain, its label_set, its rendered problem. */
  validateInstructionPair(row: unknown): InstructionPairProblem[] {
    const problems = validateInstructionPair(row, this.directory);
    if (problems.some((problem) => problem.code === 'ROW_SCHEMA_INVALID')) return problems;
    const pair = row as { dataset_key: string; domain: string; label_set: string[]; problem: string; images: string[]; 'time-series': string[] | null };
    const dataset = this.datasetsByKey.get(pair.dataset_key);
    if (!dataset) return [...problems, { code: 'UNKNOWN_DATASET', message: `no dataset "${pair.dataset_key}" in the catalog`, pointer: '/dataset_key' }];
    if (pair.domain !== dataset.domain) problems.push({ code: 'DOMAIN_MISMATCH', message: `${pair.dataset_key} is in domain "${dataset.domain}"`, pointer: '/domain' });
    if (pair.label_set.join('\n') !== dataset.label_set.join('\n')) {
      problems.push({ code: 'LABEL_SET_MISMATCH', message: `label_set differs from the catalog's for ${pair.dataset_key}`, pointer: '/label_set' });
    }
    const items = dataset.media_kind === 'ecg' ? (pair['time-series'] ?? []).length : pair.images.length;
    if (items > 0 && pair.problem !== renderProblem(this.prompt(pair.dataset_key), dataset.label_set, this.suffix, items)) {
      problems.push({ code: 'PROBLEM_NOT_FROM_TEMPLATE', message: `problem is not the rendered template of ${pair.dataset_key}`, pointer: '/problem' });
    }
    return problems;
  }
}
