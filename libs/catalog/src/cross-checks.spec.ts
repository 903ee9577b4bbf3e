// Each kind of inconsistency is planted in a copy of the real data-specs and must be reported with the file
// and the JSON pointer where it sits.
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCatalog, loadCatalog } from './catalog';
import { CatalogError, type CatalogProblem } from './catalog-problem';
import { defaultDataSpecsDirectory } from './data-specs-directory';
import { REWARD_SEPARATORS } from './reward-separators';

// Fixtures break the spec types on purpose, so the mutations work on untyped JSON.
type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

const copies: string[] = [];
afterEach(() => {
  for (const copy of copies.splice(0)) rmSync(copy, { recursive: true, force: true });
});

function specsCopy(): string {
  const copy = mkdtempSync(join(tmpdir(), 'qoq-data-specs-'));
  copies.push(copy);
  cpSync(defaultDataSpecsDirectory(), copy, { recursive: true });
  return copy;
}

function mutate(copy: string, file: string, change: (document: Json) => void): void {
  const path = join(copy, file);
  const document = JSON.parse(readFileSync(path, 'utf8')) as Json;
  change(document);
  writeFileSync(path, JSON.stringify(document, null, 2));
}

function problemsAfter(file: string, change: (document: Json) => void): CatalogProblem[] {
  const copy = specsCopy();
  mutate(copy, file, change);
  return checkCatalog(copy);
}

const located = (code: CatalogProblem['code'], file: string, pointer: string) => expect.objectContaining({ code, file, pointer });

describe('cross-checks of data-specs', () => {
  it('finds nothing in an unmodified copy', () => {
    expect(checkCatalog(specsCopy())).toEqual([]);
  });

  it('catches an unknown domain', () => {
    const problems = problemsAfter('datasets/derm__isic2020.json', (dataset) => { dataset.domain = 'dermatology'; });
    expect(problems).toEqual([located('UNKNOWN_DOMAIN', 'datasets/derm__isic2020.json', '/domain')]);
  });

  it('catches a duplicate domain in domains.json', () => {
    const problems = problemsAfter('domains.json', (document) => { document.domains.push({ ...document.domains[0] }); });
    expect(problems).toEqual([located('DUPLICATE_DOMAIN', 'domains.json', '/domains/9/domain')]);
  });

  it('catches a duplicate dataset_key, naming the second file', () => {
    const copy = specsCopy();
    cpSync(join(copy, 'datasets/mri__brain_tumor.json'), join(copy, 'datasets/mri__brain_tumor_copy.json'));
    const problems = checkCatalog(copy);
    expect(problems).toContainEqual(located('DUPLICATE_DATASET_KEY', 'datasets/mri__brain_tumor_copy.json', '/dataset_key'));
    expect(problems.find((problem) => problem.code === 'DUPLICATE_DATASET_KEY')?.message).toContain('datasets/mri__brain_tumor.json');
  });

  it('catches a dataset_key that is not modality/dataset', () => {
    const problems = problemsAfter('datasets/fundus__aptos.json', (dataset) => { dataset.dataset_key = 'fundus/APTOS'; });
    expect(problems).toContainEqual(located('DATASET_KEY_MISMATCH', 'datasets/fundus__aptos.json', '/dataset_key'));
  });

  it('catches a file named after another dataset', () => {
    const copy = specsCopy();
    cpSync(join(copy, 'datasets/ct__kits23.json'), join(copy, 'datasets/ct__kits.json'));
    unlinkSync(join(copy, 'datasets/ct__kits23.json'));
    expect(checkCatalog(copy)).toEqual([located('FILE_NAME_MISMATCH', 'datasets/ct__kits.json', '/dataset_key')]);
  });

  it('catches a label outside the label set', () => {
    expect(problemsAfter('datasets/ecg__ptb-xl.json', (dataset) => { dataset.fallback_answer = 'Unclassified'; }))
      .toEqual([located('LABEL_OUTSIDE_LABEL_SET', 'datasets/ecg__ptb-xl.json', '/fallback_answer')]);
    expect(problemsAfter('datasets/chest_xray__vindr.json', (dataset) => { dataset.localized_labels[3] = 'Heart enlargement'; }))
      .toEqual([located('LABEL_OUTSIDE_LABEL_SET', 'datasets/chest_xray__vindr.json', '/localized_labels/3')]);
  });

  it('catches a dangling mapping target, escaping "/" in the pointer', () => {
    expect(problemsAfter('datasets/ecg__ptb-xl.json', (dataset) => { dataset.code_mappings[1].map.AFIB = 'Atrial Fibrillation'; }))
      .toEqual([located('DANGLING_MAPPING_TARGET', 'datasets/ecg__ptb-xl.json', '/code_mappings/1/map/AFIB')]);
    expect(problemsAfter('datasets/chest_xray__vindr.json', (dataset) => { dataset.code_mappings[1].map['Nodule/Mass'] = 'Nodule'; }))
      .toEqual([located('DANGLING_MAPPING_TARGET', 'datasets/chest_xray__vindr.json', '/code_mappings/1/map/Nodule~1Mass')]);
  });

  it('catches a layout that reads codes of an undefined code system', () => {
    expect(problemsAfter('datasets/pathology__lc25000.json', (dataset) => { dataset.layouts[0].class_code_system = 'folders'; }))
      .toEqual([located('DANGLING_CODE_SYSTEM', 'datasets/pathology__lc25000.json', '/layouts/0/class_code_system')]);
  });

  it.each(REWARD_SEPARATORS.map((separator) => [separator]))('catches an answer string containing the reward separator %j', (separator) => {
    const problems = problemsAfter('datasets/ultrasound__busi.json', (dataset) => {
      dataset.label_set[1] = `Malignant${separator}Invasive`;
      dataset.code_mappings[0].map.malignant = dataset.label_set[1];
    });
    expect(problems).toEqual([located('REWARD_SEPARATOR_IN_ANSWER', 'datasets/ultrasound__busi.json', '/label_set/1')]);
  });

  it('catches a prompt for a dataset that does not exist', () => {
    const copy = specsCopy();
    const prompt = JSON.parse(readFileSync(join(copy, 'prompts/mri__brain_tumor.json'), 'utf8')) as Json;
    writeFileSync(join(copy, 'prompts/mri__brain_tumor_3.json'), JSON.stringify({ ...prompt, dataset_key: 'mri/brain_tumor_3' }));
    expect(checkCatalog(copy)).toEqual([located('PROMPT_FOR_MISSING_DATASET', 'prompts/mri__brain_tumor_3.json', '/dataset_key')]);
  });

  it('catches a dataset without a prompt template', () => {
    const copy = specsCopy();
    unlinkSync(join(copy, 'prompts/ct__kits23.json'));
    expect(checkCatalog(copy)).toEqual([located('MISSING_PROMPT', 'datasets/ct__kits23.json', '/dataset_key')]);
  });

  it('catches an ECG prompt with image placeholders and a multi-label task asked for one answer', () => {
    expect(problemsAfter('prompts/ecg__cpsc.json', (prompt) => { prompt.media_placeholder = '<image>'; }))
      .toEqual([located('PROMPT_PLACEHOLDER_MISMATCH', 'prompts/ecg__cpsc.json', '/media_placeholder')]);
    expect(problemsAfter('prompts/chest_xray__vindr.json', (prompt) => { prompt.answer_instruction = 'Answer with one of the following:'; }))
      .toEqual([located('PROMPT_INSTRUCTION_MISMATCH', 'prompts/chest_xray__vindr.json', '/answer_instruction')]);
  });

  it('reports meta-schema violations with the pointer of the offending value', () => {
    expect(problemsAfter('datasets/ct__rspect.json', (dataset) => { dataset.window.width = -700; }))
      .toContainEqual(located('SPEC_SCHEMA_INVALID', 'datasets/ct__rspect.json', '/window/width'));
    expect(problemsAfter('datasets/fundus__aptos.json', (dataset) => { delete dataset.layouts[0].label_column; }))
      .toContainEqual(located('SPEC_SCHEMA_INVALID', 'datasets/fundus__aptos.json', '/layouts/0/label_column'));
    expect(problemsAfter('datasets/mri__brain_tumor.json', (dataset) => { dataset.layouts = []; }))
      .toContainEqual(located('SPEC_SCHEMA_INVALID', 'datasets/mri__brain_tumor.json', '/layouts'));
    expect(problemsAfter('datasets/ct__lndb.json', (dataset) => { delete dataset.notes; }))
      .toContainEqual(located('SPEC_SCHEMA_INVALID', 'datasets/ct__lndb.json', '/notes'));
    expect(problemsAfter('prompts/derm__ham10000.json', (prompt) => { prompt.wording = 'x'; }))
      .toContainEqual(located('SPEC_SCHEMA_INVALID', 'prompts/derm__ham10000.json', '/wording'));
    expect(problemsAfter('datasets/ecg__cpsc.json', (dataset) => { dataset.label_set.push('Normal'); }))
      .toContainEqual(located('SPEC_SCHEMA_INVALID', 'datasets/ecg__cpsc.json', '/label_set'));
  });

  it('reports a file that is not JSON', () => {
    const copy = specsCopy();
    writeFileSync(join(copy, 'datasets/derm__ham10000.json'), '{ "dataset_key": ');
    expect(checkCatalog(copy)).toContainEqual(located('SPEC_JSON_INVALID', 'datasets/derm__ham10000.json', ''));
  });

  it('makes loadCatalog throw a CatalogError that lists every problem', () => {
    const copy = specsCopy();
    mutate(copy, 'datasets/derm__isic2020.json', (dataset) => { dataset.domain = 'skin'; });
    mutate(copy, 'datasets/ecg__ptb-xl.json', (dataset) => { dataset.code_mappings[0].map.MI = 'Infarction'; });
    let thrown: unknown;
    try {
      loadCatalog(copy);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CatalogError);
    expect((thrown as CatalogError).problems.map((problem) => problem.code).sort()).toEqual(['DANGLING_MAPPING_TARGET', 'UNKNOWN_DOMAIN']);
    expect((thrown as CatalogError).message).toContain('datasets/ecg__ptb-xl.json#/code_mappings/0/map/MI');
  });
});
