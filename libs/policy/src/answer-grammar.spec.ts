import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { advanceAnswer, allowedTokens, AnswerGrammarError, AnswerPhase, AnswerState, checkAnswerTokens, maxAnswerLength, type AnswerConstraint } from './answer-grammar';
import { decodeAnswerTokens, encodeGoldAnswer } from './answer-rendering';
import { AnswerVocabulary } from './answer-vocabulary';
import { catalog, vocabulary } from './test-questions';

function constraintOf(labelSet: readonly string[], boxTask: boolean, maxLabels: number, maxBoxes = 1): AnswerConstraint {
  return { labelTokens: Int32Array.from(labelSet, (label) => vocabulary.labelToken(label)), boxTask, maxLabels, maxBoxes };
}

const datasets = catalog.datasets();

describe('the decoding restriction', () => {
  it('starts with a label of the set, then allows later labels, EOS and (box tasks) one box', () => {
    const labelSet = catalog.dataset('chest_xray/vindr').label_set;
    const constraint = constraintOf(labelSet, true, 4);
    const state = new AnswerState();
    expect(allowedTokens(vocabulary, constraint, state)).toEqual([...constraint.labelTokens].sort((a, b) => a - b));
    advanceAnswer(vocabulary, constraint, state, vocabulary.labelToken('Cardiomegaly'));
    const allowed = allowedTokens(vocabulary, constraint, state);
    expect(allowed).toContain(AnswerVocabulary.EOS);
    expect(allowed).toContain(AnswerVocabulary.BOX_START);
    expect(allowed).not.toContain(vocabulary.labelToken('Cardiomegaly'));
    expect(allowed).not.toContain(vocabulary.labelToken('Atelectasis')); // earlier in the catalog order
    expect(allowed).toContain(vocabulary.labelToken('Edema'));
    advanceAnswer(vocabulary, constraint, state, AnswerVocabulary.BOX_START);
    expect(allowedTokens(vocabulary, constraint, state)).toHaveLength(32);
    advanceAnswer(vocabulary, constraint, state, vocabulary.binToken(10));
    advanceAnswer(vocabulary, constraint, state, vocabulary.binToken(5));
    // x2 may not precede x1, y2 not y1.
    expect(allowedTokens(vocabulary, constraint, state)).toEqual(Array.from({ length: 22 }, (_, i) => vocabulary.binToken(10 + i)));
    advanceAnswer(vocabulary, constraint, state, vocabulary.binToken(12));
    expect(allowedTokens(vocabulary, constraint, state)[0]).toBe(vocabulary.binToken(5));
    advanceAnswer(vocabulary, constraint, state, vocabulary.binToken(9));
    const afterBox = allowedTokens(vocabulary, constraint, state);
    expect(afterBox).not.toContain(AnswerVocabulary.BOX_START);
    expect(afterBox).toContain(AnswerVocabulary.EOS);
    advanceAnswer(vocabulary, constraint, state, AnswerVocabulary.EOS);
    expect(state.phase).toBe(AnswerPhase.Done);
    expect(allowedTokens(vocabulary, constraint, state)).toEqual([]);
  });

  it('refuses what it does not allow', () => {
    const constraint = constraintOf(['No DR', 'Mild DR', 'Moderate DR', 'Severe DR', 'Proliferative DR'], false, 1);
    expect(() => checkAnswerTokens(vocabulary, constraint, [AnswerVocabulary.EOS])).toThrow(AnswerGrammarError);
    expect(() => checkAnswerTokens(vocabulary, constraint, [vocabulary.labelToken('Cardiomegaly'), AnswerVocabulary.EOS])).toThrow(/not allowed/);
    expect(() => checkAnswerTokens(vocabulary, constraint, [vocabulary.labelToken('No DR'), vocabulary.labelToken('Mild DR'), AnswerVocabulary.EOS])).toThrow(/not allowed/);
    expect(() => checkAnswerTokens(vocabulary, constraint, [vocabulary.labelToken('No DR'), AnswerVocabulary.BOX_START])).toThrow(/not allowed/);
    expect(() => checkAnswerTokens(vocabulary, constraint, [vocabulary.labelToken('No DR')])).toThrow(/EOS/);
    checkAnswerTokens(vocabulary, constraint, [vocabulary.labelToken('Severe DR'), AnswerVocabulary.EOS]);
  });

  it('every walk through the allowed tokens is a valid answer: labels of the set, canonical order, no repeats', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...datasets),
        fc.boolean(),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 2 }),
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 200, maxLength: 200 }),
        (dataset, boxTask, maxLabels, maxBoxes, choices) => {
          const constraint = constraintOf(dataset.label_set, boxTask, maxLabels, maxBoxes);
          const state = new AnswerState();
          const tokens: number[] = [];
          for (let k = 0; state.phase !== AnswerPhase.Done; k++) {
            const allowed = allowedTokens(vocabulary, constraint, state);
            expect(allowed.length).toBeGreaterThan(0);
            const token = allowed[Math.floor(choices[k % choices.length] * allowed.length)];
            advanceAnswer(vocabulary, constraint, state, token);
            tokens.push(token);
          }
          expect(tokens.length).toBeLessThanOrEqual(maxAnswerLength(constraint));
          const answer = decodeAnswerTokens(vocabulary, tokens);
          const positions = answer.labels.map((label) => dataset.label_set.indexOf(label));
          expect(positions.every((p) => p >= 0)).toBe(true);
          expect(positions).toEqual([...positions].sort((a, b) => a - b));
          expect(new Set(positions).size).toBe(positions.length);
          expect(answer.labels.length).toBeGreaterThanOrEqual(1);
          expect(answer.labels.length).toBeLessThanOrEqual(maxLabels);
          expect(answer.boxes.length).toBeLessThanOrEqual(boxTask ? maxBoxes : 0);
          for (const box of answer.boxes) {
            expect(box.bins[2]).toBeGreaterThanOrEqual(box.bins[0]);
            expect(box.bins[3]).toBeGreaterThanOrEqual(box.bins[1]);
          }
        },
      ),
      { numRuns: 300, seed: 10 },
    );
  });

  it('reaches the gold answer of every label of every catalog dataset, and multi-label golds', () => {
    for (const dataset of datasets) {
      const boxTask = dataset.localization !== 'none';
      const maxLabels = dataset.task_type === 'multi-label' ? 4 : 1;
      const constraint = constraintOf(dataset.label_set, boxTask, maxLabels);
      const target = { imageWidth: 640, imageHeight: 480 };
      for (const label of dataset.label_set) {
        const tokens = encodeGoldAnswer(vocabulary, constraint, dataset.label_set, [label], boxTask ? [100, 50, 300, 200] : null, target);
        checkAnswerTokens(vocabulary, constraint, tokens);
        expect(decodeAnswerTokens(vocabulary, tokens).labels).toEqual([label]);
        expect(decodeAnswerTokens(vocabulary, tokens).boxes).toHaveLength(boxTask ? 1 : 0);
      }
      if (dataset.task_type === 'multi-label') {
        // Given out of order: encoded in catalog order.
        const gold = [dataset.label_set[5], dataset.label_set[0], dataset.label_set[2]];
        const tokens = encodeGoldAnswer(vocabulary, constraint, dataset.label_set, gold, null, target);
        expect(decodeAnswerTokens(vocabulary, tokens).labels).toEqual([dataset.label_set[0], dataset.label_set[2], dataset.label_set[5]]);
      }
    }
  });

  it('refuses a gold label outside the set', () => {
    const labelSet = catalog.dataset('fundus/aptos').label_set;
    expect(() => encodeGoldAnswer(vocabulary, constraintOf(labelSet, false, 1), labelSet, ['Cardiomegaly'], null, { imageWidth: 1, imageHeight: 1 })).toThrow(/not in the question's label set/);
  });
});
