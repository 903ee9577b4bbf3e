import { describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog';
import { chestXrayExampleFromPaper, formatSuffixFromPaper, listAfter } from './qoq-med-text.spec-helper';

const catalog = loadCatalog();

describe('format suffix', () => {
  it('is byte-exact as qoq-med.md §1 quotes it, typo "list od bounding box" included', () => {
    const paper = formatSuffixFromPaper();
    expect(paper).toContain('with list od bounding box in a key called "bbox_2d"');
    expect(paper).toContain('final answer.\nBefore analyzing');
    expect(Buffer.from(catalog.formatSuffix(), 'utf8').equals(Buffer.from(paper, 'utf8'))).toBe(true);
  });

  it('is appended after the question with exactly one space', () => {
    const problem = catalog.renderPrompt('derm/ham10000', { imageCount: 1 });
    expect(problem.endsWith(`\nOther ${formatSuffixFromPaper()}`)).toBe(true);
  });
});

describe('chest X-ray prompt', () => {
  const chexpertLabels = listAfter('CheXpert/MIMIC-CXR 14');

  it('lists the 14 CheXpert labels in the order of qoq-med.md §1', () => {
    expect(chexpertLabels).toHaveLength(14);
    expect(catalog.dataset('chest_xray/mimic-cxr').label_set).toEqual(chexpertLabels);
    expect(catalog.dataset('chest_xray/chexpert_full').label_set).toEqual(chexpertLabels);
  });

  it('renders exactly as the qoq-med.md §1 example, then the labels, then the suffix', () => {
    const example = chestXrayExampleFromPaper();
    const question = example.slice(0, example.indexOf('following:') + 'following:'.length);
    const expected = `${question}\n${chexpertLabels.join('\n')} ${formatSuffixFromPaper()}`;
    const rendered = catalog.renderPrompt('chest_xray/mimic-cxr', { imageCount: 1 });
    expect(rendered.startsWith(example)).toBe(true);
    expect(rendered).toBe(expected);
  });
});

describe('renderPrompt', () => {
  it('writes one <image> placeholder per image (sampled frames of a volume)', () => {
    const problem = catalog.renderPrompt('ct/rspect', { imageCount: 3 });
    expect(problem.startsWith('<image>\n<image>\n<image>\nAbove is a chest CT scan slice')).toBe(true);
    expect(problem.split('<image>')).toHaveLength(4);
  });

  it('uses the per-dataset wording: HAM10000 asks for one word', () => {
    expect(catalog.renderPrompt('derm/ham10000', { imageCount: 1 })).toContain(
      'What is the diagnosis of the patient in the dermoscopy image? Answer with one word from the following:\nMelanoma\nNevus\nBasal Cell Carcinoma\nAKIEC\nOther ',
    );
    expect(catalog.renderPrompt('ct/rspect', { imageCount: 1 })).toContain('Answer with one of the following:\nNo PE\nChronic PE\nAcute PE ');
  });

  it('gives ECG rows a <time_series> placeholder per signal and no <image>', () => {
    const problem = catalog.renderPrompt('ecg/ptb-xl');
    expect(problem.startsWith('<time_series>\nAbove is an 8-lead ECG')).toBe(true);
    expect(problem).not.toContain('<image>');
    expect(problem).toContain('\nAtrial Fibrillation/Flutter\nOther ');
  });

  it('refuses an image prompt without a positive image count', () => {
    expect(() => catalog.renderPrompt('chest_xray/vindr', {})).toThrow(/imageCount/);
    expect(() => catalog.renderPrompt('chest_xray/vindr', { imageCount: 0 })).toThrow(/imageCount/);
    expect(() => catalog.renderPrompt('chest_xray/nope', { imageCount: 1 })).toThrow(/no dataset "chest_xray\/nope"/);
  });
});
