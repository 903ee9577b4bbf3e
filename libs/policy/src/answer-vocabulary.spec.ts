import { describe, expect, it } from 'vitest';
import { AnswerVocabulary, VocabularyError } from './answer-vocabulary';
import { catalog, vocabulary } from './test-questions';

describe('AnswerVocabulary', () => {
  it('holds every answer string of the catalog once, structure tokens first and 32 bins last', () => {
    const all = new Set(catalog.datasets().flatMap((dataset) => dataset.label_set));
    expect(new Set(vocabulary.labels)).toEqual(all);
    expect(vocabulary.labels.length).toBe(all.size);
    // "Normal" is an answer of ECG and of CoronaHack: one token serves both.
    expect(vocabulary.labels.filter((label) => label === 'Normal')).toHaveLength(1);
    expect(vocabulary.boxBins).toBe(32);
    expect(vocabulary.size).toBe(3 + all.size + 32);
    expect(vocabulary.tokenName(AnswerVocabulary.BOS)).toBe('<bos>');
    expect(vocabulary.tokenName(AnswerVocabulary.EOS)).toBe('<eos>');
    expect(vocabulary.tokenName(AnswerVocabulary.BOX_START)).toBe('<box>');
    expect(vocabulary.binOf(vocabulary.binToken(31))).toBe(31);
    expect(vocabulary.binToken(0)).toBe(3 + all.size);
    expect(vocabulary.labelOf(vocabulary.labelToken('Cardiomegaly'))).toBe('Cardiomegaly');
    expect(vocabulary.datasetKeys).toEqual(catalog.datasets().map((d) => d.dataset_key).sort());
  });

  it('does not depend on the order the datasets come in', () => {
    const entries = catalog.datasets().map((d) => ({ datasetKey: d.dataset_key, labelSet: d.label_set }));
    const reversed = AnswerVocabulary.fromLabelSets([...entries].reverse());
    expect(reversed.toJSON()).toEqual(vocabulary.toJSON());
  });

  it('round-trips through JSON and rejects what it cannot encode', () => {
    expect(AnswerVocabulary.fromJSON(JSON.parse(JSON.stringify(vocabulary.toJSON()))).toJSON()).toEqual(vocabulary.toJSON());
    expect(() => vocabulary.labelToken('Not a label')).toThrow(VocabularyError);
    expect(() => vocabulary.binToken(32)).toThrow(VocabularyError);
    expect(() => vocabulary.datasetIndex('ct/nowhere')).toThrow(/not in the policy's vocabulary/);
    expect(() => AnswerVocabulary.fromLabelSets([{ datasetKey: 'a/b', labelSet: ['X'] }], { boxBins: 33 })).toThrow(/1\.\.32/);
    expect(() => AnswerVocabulary.fromCatalog(catalog, { datasetKeys: ['mammo/vindr', 'x/y'] })).toThrow(/x\/y/);
  });

  it('can cover only the datasets of a corpus', () => {
    const small = AnswerVocabulary.fromCatalog(catalog, { datasetKeys: ['mammo/vindr', 'fundus/aptos'], boxBins: 16 });
    expect(small.datasetKeys).toEqual(['fundus/aptos', 'mammo/vindr']);
    expect(small.labels).toEqual(['No DR', 'Mild DR', 'Moderate DR', 'Severe DR', 'Proliferative DR', 'BI-RADS 1', 'BI-RADS 2', 'BI-RADS 3', 'BI-RADS 4', 'BI-RADS 5']);
    expect(small.size).toBe(3 + 10 + 16);
  });
});
