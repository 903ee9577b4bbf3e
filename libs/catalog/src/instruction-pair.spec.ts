import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog';
import { defaultDataSpecsDirectory } from './data-specs-directory';
import {
  INSTRUCTION_PAIR_COLUMNS,
  INSTRUCTION_PAIR_COLUMN_NAMES,
  validateInstructionPair,
  type InstructionPair,
} from './instruction-pair';

const catalog = loadCatalog();
const schema = JSON.parse(readFileSync(join(defaultDataSpecsDirectory(), 'instruction-pair.schema.json'), 'utf8')) as {
  properties: Record<string, { type: string | string[]; items?: { type: string }; description: string }>;
  required: string[];
};
const SHA = 'a3f1'.repeat(16);

function chestXrayRow(): InstructionPair {
  return {
    problem: catalog.renderPrompt('chest_xray/vindr', { imageCount: 1 }),
    answer: 'Cardiomegaly, Pleural effusion',
    images: ['chest_xray/vindr/4f2c9a.png'],
    'time-series': null,
    dataset: 'vindr',
    bbox: [120.5, 88, 410, 377.25],
    segmentation_path: null,
    id: 'p-4f2c9a',
    dataset_key: 'chest_xray/vindr',
    domain: 'chest_xray',
    modality: 'chest_xray',
    split: 'train',
    patient_key: 'k-91ab',
    labels: ['Cardiomegaly', 'Pleural effusion'],
    label_set: [...catalog.dataset('chest_xray/vindr').label_set],
    source_sha256: SHA,
    schema_version: 1,
  };
}

function ecgRow(): InstructionPair {
  return {
    problem: catalog.renderPrompt('ecg/ptb-xl'),
    answer: 'Myocardial Infarction, Atrial Fibrillation/Flutter',
    images: [],
    'time-series': ['ecg/ptb-xl/77d0e1.npy'],
    dataset: 'ptb-xl',
    bbox: null,
    segmentation_path: null,
    id: 'p-77d0e1',
    dataset_key: 'ecg/ptb-xl',
    domain: 'ecg',
    modality: 'ecg',
    split: 'test',
    patient_key: 'k-19',
    labels: ['Myocardial Infarction', 'Atrial Fibrillation/Flutter'],
    label_set: [...catalog.dataset('ecg/ptb-xl').label_set],
    source_sha256: SHA,
    schema_version: 1,
  };
}

describe('InstructionPair and its schema', () => {
  it('lists the columns in schema order: official fields, then ours', () => {
    expect(INSTRUCTION_PAIR_COLUMN_NAMES).toEqual(Object.keys(schema.properties));
    expect([...INSTRUCTION_PAIR_COLUMN_NAMES].sort()).toEqual([...schema.required].sort());
    expect(INSTRUCTION_PAIR_COLUMNS.filter((column) => column.official).map((column) => column.name))
      .toEqual(['problem', 'answer', 'images', 'time-series', 'dataset', 'bbox', 'segmentation_path']);
  });

  it('gives each column the type and nullability the schema states', () => {
    for (const column of INSTRUCTION_PAIR_COLUMNS) {
      const property = schema.properties[column.name];
      const types = Array.isArray(property.type) ? property.type : [property.type];
      expect(types.includes('null'), column.name).toBe(column.nullable);
      const base = types.find((type) => type !== 'null');
      const type = base === 'array' ? `list<${property.items?.type === 'number' ? 'double' : 'string'}>` : base === 'integer' ? 'int32' : 'string';
      expect(column.type, column.name).toBe(type);
      expect(property.description.length, column.name).toBeGreaterThan(20);
    }
  });

  it('accepts typed sample rows of an image dataset and an ECG dataset', () => {
    expect(validateInstructionPair(chestXrayRow())).toEqual([]);
    expect(validateInstructionPair(ecgRow())).toEqual([]);
    expect(catalog.validateInstructionPair(chestXrayRow())).toEqual([]);
    expect(catalog.validateInstructionPair(ecgRow())).toEqual([]);
    expect(validateInstructionPair({ ...ecgRow(), 'time-series': ['ecg/ptb-xl/77d0e1.npy'], images: [] })).toEqual([]);
    expect(validateInstructionPair({ ...chestXrayRow(), 'time-series': [] })).toEqual([]);
  });

  it('accepts null exactly in the nullable columns', () => {
    for (const column of INSTRUCTION_PAIR_COLUMNS) {
      const problems = validateInstructionPair({ ...chestXrayRow(), [column.name]: null });
      if (column.nullable) expect(problems, column.name).toEqual([]);
      else expect(problems, column.name).toContainEqual(expect.objectContaining({ code: 'ROW_SCHEMA_INVALID', pointer: `/${column.name}` }));
    }
  });

  it('requires every column and no other', () => {
    const { segmentation_path: _dropped, ...withoutMask } = chestXrayRow();
    expect(validateInstructionPair(withoutMask)).toContainEqual(expect.objectContaining({ pointer: '/segmentation_path' }));
    expect(validateInstructionPair({ ...chestXrayRow(), explanation: '' })).toContainEqual(expect.objectContaining({ pointer: '/explanation' }));
  });

  it('rejects a bbox that is not 4 numbers and an unknown split', () => {
    expect(validateInstructionPair({ ...chestXrayRow(), bbox: [1, 2, 3] })).toContainEqual(expect.objectContaining({ pointer: '/bbox' }));
    expect(validateInstructionPair({ ...chestXrayRow(), split: 'val' })).toContainEqual(expect.objectContaining({ pointer: '/split' }));
    expect(validateInstructionPair({ ...chestXrayRow(), source_sha256: 'ABC' })).toContainEqual(expect.objectContaining({ pointer: '/source_sha256' }));
  });
});

describe('validateInstructionPair beyond the schema', () => {
  const codesAt = (row: unknown) => validateInstructionPair(row).map((problem) => `${problem.code} ${problem.pointer}`);

  it('requires answer = labels joined by ", " and labels from label_set in its order', () => {
    expect(codesAt({ ...chestXrayRow(), answer: 'Cardiomegaly,Pleural effusion' })).toEqual(['ANSWER_NOT_LABELS /answer']);
    expect(codesAt({ ...chestXrayRow(), labels: ['Pleural effusion', 'Cardiomegaly'], answer: 'Pleural effusion, Cardiomegaly' }))
      .toEqual(['LABELS_OUT_OF_ORDER /labels/1']);
    expect(codesAt({ ...chestXrayRow(), labels: ['Cardiomegaly', 'Effusion'], answer: 'Cardiomegaly, Effusion' }))
      .toEqual(['LABEL_OUTSIDE_LABEL_SET /labels/1']);
  });

  it('requires media under <modality>/<dataset>/ and one placeholder per media item', () => {
    expect(codesAt({ ...chestXrayRow(), images: ['mammo/vindr/4f2c9a.png'] })).toEqual(['MEDIA_PATH_OUTSIDE_DATASET /images/0']);
    expect(codesAt({ ...chestXrayRow(), images: ['chest_xray/vindr/a.png', 'chest_xray/vindr/b.png'] })).toEqual(['PLACEHOLDER_COUNT_MISMATCH /problem']);
    expect(codesAt({ ...ecgRow(), 'time-series': [] })).toEqual(['NO_MEDIA /images', 'PLACEHOLDER_COUNT_MISMATCH /problem']);
    expect(codesAt({ ...chestXrayRow(), dataset: 'vindr-cxr' })).toContain('DATASET_KEY_MISMATCH /dataset_key');
  });

  it('rejects a reversed box', () => {
    expect(codesAt({ ...chestXrayRow(), bbox: [410, 88, 120.5, 377.25] })).toEqual(['BBOX_REVERSED /bbox/0']);
  });

  it('checks a row against the catalog: dataset, domain, label set and the rendered problem', () => {
    const problems = (row: unknown) => catalog.validateInstructionPair(row).map((problem) => `${problem.code} ${problem.pointer}`);
    expect(problems({ ...chestXrayRow(), domain: 'mammo' })).toEqual(['DOMAIN_MISMATCH /domain']);
    expect(problems({ ...chestXrayRow(), label_set: ['Cardiomegaly', 'Pleural effusion'] })).toEqual(['LABEL_SET_MISMATCH /label_set']);
    expect(problems({ ...chestXrayRow(), problem: chestXrayRow().problem.replace('list od', 'list of') })).toEqual(['PROBLEM_NOT_FROM_TEMPLATE /problem']);
    const local = { ...chestXrayRow(), dataset_key: 'local/vindr', modality: 'local', images: ['local/vindr/4f2c9a.png'] };
    expect(problems(local)).toEqual(['UNKNOWN_DATASET /dataset_key']);
  });
});
