// Checks across spec files that JSON Schema cannot express: references between files (domains, prompts),
// label sets against mappings, and the reward's separators (QoQ-Med §3). Each problem names file + pointer.
import { jsonPointer, type CatalogProblem } from './catalog-problem';
import { rewardSeparatorIn } from './reward-separators';
import { MULTI_LABEL_INSTRUCTION, type DatasetSpec, type DomainSpec, type PromptTemplate } from './spec-types';

export interface Located<T> {
  file: string;
  value: T;
}

export function fileNameFor(folder: 'datasets' | 'prompts', datasetKey: string): string {
  return `${folder}/${datasetKey.replace('/', '__')}.json`;
}

export function checkDomains(domains: Located<{ domains: DomainSpec[] }>): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const seen = new Set<string>();
  domains.value.domains.forEach((domain, index) => {
    if (seen.has(domain.domain)) {
      problems.push({ code: 'DUPLICATE_DOMAIN', message: `domain "${domain.domain}" is listed twice`, file: domains.file, pointer: jsonPointer('domains', index, 'domain') });
    }
    seen.add(domain.domain);
  });
  return problems;
}

export function checkDataset(dataset: Located<DatasetSpec>, domains: ReadonlyMap<string, DomainSpec>): CatalogProblem[] {
  const { file, value: spec } = dataset;
  const problems: CatalogProblem[] = [];
  const report = (code: CatalogProblem['code'], message: string, ...pointer: Array<string | number>) =>
    problems.push({ code, message, file, pointer: jsonPointer(...pointer) });

  if (spec.dataset_key !== `${spec.modality}/${spec.dataset}`) {
    report('DATASET_KEY_MISMATCH', `dataset_key "${spec.dataset_key}" is not modality/dataset "${spec.modality}/${spec.dataset}"`, 'dataset_key');
  } else if (file !== fileNameFor('datasets', spec.dataset_key)) {
    report('FILE_NAME_MISMATCH', `a dataset "${spec.dataset_key}" belongs in ${fileNameFor('datasets', spec.dataset_key)}`, 'dataset_key');
  }
  const domain = domains.get(spec.domain);
  if (!domain) report('UNKNOWN_DOMAIN', `domain "${spec.domain}" is not in domains.json`, 'domain');
  else if (domain.media_kind !== spec.media_kind) {
    report('MEDIA_KIND_MISMATCH', `media_kind "${spec.media_kind}" differs from domain "${spec.domain}"'s "${domain.media_kind}"`, 'media_kind');
  }

  const labelSet = new Set(spec.label_set);
  spec.label_set.forEach((answer, index) => {
    const separator = rewardSeparatorIn(answer);
    if (separator !== null) {
      report('REWARD_SEPARATOR_IN_ANSWER', `answer "${answer}" contains the reward separator ${JSON.stringify(separator)}`, 'label_set', index);
    }
  });
  const requireInLabelSet = (answer: string, ...pointer: Array<string | number>) => {
    if (!labelSet.has(answer)) report('LABEL_OUTSIDE_LABEL_SET', `"${answer}" is not in label_set`, ...pointer);
  };
  spec.localized_labels?.forEach((answer, index) => requireInLabelSet(answer, 'localized_labels', index));
  spec.exclusive_answers?.forEach((answer, index) => requireInLabelSet(answer, 'exclusive_answers', index));
  if (spec.fallback_answer !== null) requireInLabelSet(spec.fallback_answer, 'fallback_answer');

  const codeSystems = new Set<string>();
  spec.code_mappings.forEach((mapping, mappingIndex) => {
    if (codeSystems.has(mapping.code_system)) {
      report('DUPLICATE_CODE_SYSTEM', `code system "${mapping.code_system}" is mapped twice`, 'code_mappings', mappingIndex, 'code_system');
    }
    codeSystems.add(mapping.code_system);
    for (const [code, answer] of Object.entries(mapping.map)) {
      if (!labelSet.has(answer)) {
        report('DANGLING_MAPPING_TARGET', `${mapping.code_system} code "${code}" maps to "${answer}", which is not in label_set`, 'code_mappings', mappingIndex, 'map', code);
      }
    }
  });
  spec.layouts.forEach((layout, index) => {
    const reference =
      layout.id === 'csv-file-label' ? { key: 'label_code_system', system: layout.label_code_system }
      : layout.id === 'folder-per-class' ? { key: 'class_code_system', system: layout.class_code_system }
      : null;
    if (reference && !codeSystems.has(reference.system)) {
      report('DANGLING_CODE_SYSTEM', `layout ${layout.id} reads codes of "${reference.system}", which code_mappings does not define`, 'layouts', index, reference.key);
    }
  });
  return problems;
}

export function checkPrompts(
  prompts: ReadonlyArray<Located<PromptTemplate>>,
  datasets: ReadonlyArray<Located<DatasetSpec>>,
): CatalogProblem[] {
  const problems: CatalogProblem[] = [];
  const datasetsByKey = new Map(datasets.map((dataset) => [dataset.value.dataset_key, dataset]));
  const prompted = new Set<string>();
  for (const { file, value: prompt } of prompts) {
    const report = (code: CatalogProblem['code'], message: string, ...pointer: string[]) =>
      problems.push({ code, message, file, pointer: jsonPointer(...pointer) });
    const dataset = datasetsByKey.get(prompt.dataset_key);
    if (prompted.has(prompt.dataset_key)) report('DUPLICATE_PROMPT', `a second prompt for "${prompt.dataset_key}"`, 'dataset_key');
    prompted.add(prompt.dataset_key);
    if (!dataset) {
      report('PROMPT_FOR_MISSING_DATASET', `no dataset "${prompt.dataset_key}" in datasets/`, 'dataset_key');
      continue;
    }
    if (file !== fileNameFor('prompts', prompt.dataset_key)) {
      report('FILE_NAME_MISMATCH', `the prompt of "${prompt.dataset_key}" belongs in ${fileNameFor('prompts', prompt.dataset_key)}`, 'dataset_key');
    }
    const expectedPlaceholder = dataset.value.media_kind === 'ecg' ? '<time_series>' : '<image>';
    if (prompt.media_placeholder !== expectedPlaceholder) {
      report('PROMPT_PLACEHOLDER_MISMATCH', `a ${dataset.value.media_kind} dataset uses ${expectedPlaceholder}`, 'media_placeholder');
    }
    // qoq-med.md §1: multi-label tasks ask for "one or multiple phrases"; a single-label task must not.
    const isMultiLabel = dataset.value.task_type === 'multi-label';
    if (isMultiLabel !== (prompt.answer_instruction === MULTI_LABEL_INSTRUCTION)) {
      report('PROMPT_INSTRUCTION_MISMATCH', `answer_instruction does not fit task_type "${dataset.value.task_type}"`, 'answer_instruction');
    }
  }
  for (const { file, value } of datasets) {
    if (!prompted.has(value.dataset_key)) {
      problems.push({ code: 'MISSING_PROMPT', message: `no prompt template ${fileNameFor('prompts', value.dataset_key)}`, file, pointer: jsonPointer('dataset_key') });
    }
  }
  return problems;
}
