import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCatalog, loadCatalog } from './catalog';
import { formatCatalogProblem } from './catalog-problem';
import { defaultDataSpecsDirectory } from './data-specs-directory';
import { REWARD_SEPARATORS } from './reward-separators';

// The folder keys of qoq-med.md §1, written out: the catalog must hold every one of them.
const PAPER_FOLDER_KEYS = [
  'chest_xray/mimic-cxr', 'chest_xray/chexpert_full', 'chest_xray/vindr', 'chest_xray/covid19', 'chest_xray/coronahack',
  'mammo/vindr', 'mammo/cbis', 'mammo/cmmd', 'derm/isic2020', 'derm/ham10000', 'derm/pad_ufes_20',
  'fundus/Messidor-2', 'fundus/aptos', 'fundus/jinchi', 'pathology/lc25000', 'pathology/bcss',
  'ct/lndb', 'ct/inspect', 'ct/kits23', 'ct/hemorrhage', 'ct/rspect', 'ultrasound/busi', 'ultrasound/COVID-BLUES',
  'ultrasound/covid_us', 'mri/brain_tumor', 'mri/brain_tumor_2', 'ecg/ptb-xl', 'ecg/chapman', 'ecg/georgia', 'ecg/cpsc',
];
const ECG7 = ['Normal', 'Conduction Disturbance', 'Hypertrophy', 'Myocardial Infarction', 'ST/T Change', 'Atrial Fibrillation/Flutter', 'Other'];

const catalog = loadCatalog();

describe('the repository data-specs', () => {
  it('validate against their meta-schemas and pass every cross-check', () => {
    expect(checkCatalog().map(formatCatalogProblem)).toEqual([]);
  });

  it('hold exactly the ~30 folder keys of qoq-med.md §1, one file each', () => {
    expect(catalog.datasets().map((dataset) => dataset.dataset_key).sort()).toEqual([...PAPER_FOLDER_KEYS].sort());
    expect(readdirSync(`${defaultDataSpecsDirectory()}/datasets`)).toHaveLength(PAPER_FOLDER_KEYS.length);
  });

  it('hold the nine domains with the paper\'s dimensionality', () => {
    const domains = Object.fromEntries(catalog.domains().map((domain) => [domain.domain, domain.dimensionality]));
    expect(domains).toEqual({ ecg: '1D', chest_xray: '2D', mammo: '2D', derm: '2D', fundus: '2D', pathology: '2D', ultrasound: '3D', mri: '3D', ct: '3D' });
  });

  it('contain no answer string with a reward separator', () => {
    for (const dataset of catalog.datasets()) {
      for (const answer of dataset.label_set) {
        for (const separator of REWARD_SEPARATORS) expect(answer.includes(separator), `${dataset.dataset_key}: ${answer}`).toBe(false);
      }
    }
  });

  it('use the agreed answer strings', () => {
    for (const key of ['ecg/ptb-xl', 'ecg/chapman', 'ecg/georgia', 'ecg/cpsc']) expect(catalog.dataset(key).label_set).toEqual(ECG7);
    expect(catalog.dataset('mammo/vindr').label_set).toEqual(['BI-RADS 1', 'BI-RADS 2', 'BI-RADS 3', 'BI-RADS 4', 'BI-RADS 5']);
    expect(catalog.dataset('mammo/cbis').label_set).toEqual(['BI-RADS 0', 'BI-RADS 1', 'BI-RADS 2', 'BI-RADS 3', 'BI-RADS 4', 'BI-RADS 5']);
    expect(catalog.dataset('derm/ham10000').label_set).toEqual(['Melanoma', 'Nevus', 'Basal Cell Carcinoma', 'AKIEC', 'Other']);
    expect(catalog.dataset('fundus/aptos').label_set).toEqual(['No DR', 'Mild DR', 'Moderate DR', 'Severe DR', 'Proliferative DR']);
    expect(catalog.dataset('fundus/Messidor-2').label_set).toEqual(catalog.dataset('fundus/aptos').label_set);
    expect(catalog.dataset('ultrasound/busi').label_set).toEqual(['Benign', 'Malignant', 'Normal']);
    expect(catalog.dataset('mri/brain_tumor').label_set).toEqual(['Glioma', 'Meningioma', 'Pituitary Tumor', 'No Tumor']);
    expect(catalog.dataset('ct/rspect').label_set).toEqual(['No PE', 'Chronic PE', 'Acute PE']);
    expect(catalog.dataset('pathology/lc25000').label_set).toEqual(['Lung Adenocarcinoma', 'Benign Lung Tissue', 'Lung Squamous Cell Carcinoma', 'Colon Adenocarcinoma', 'Benign Colon Tissue']);
    const vindr = catalog.dataset('chest_xray/vindr');
    expect(vindr.label_set).toHaveLength(28);
    expect(vindr.label_set.slice(-6)).toEqual(['COPD', 'Lung tumor', 'Pneumonia', 'Tuberculosis', 'Other diseases', 'No finding']);
    expect(vindr.localized_labels).toEqual(vindr.label_set.slice(0, 22));
  });

  it('mark an entry verified only with a layout and a label set, and explain every unverified one', () => {
    for (const dataset of catalog.datasets()) {
      if (dataset.status === 'verified') {
        expect(dataset.layouts.length, dataset.dataset_key).toBeGreaterThan(0);
        expect(dataset.label_set.length, dataset.dataset_key).toBeGreaterThan(0);
      } else {
        expect(dataset.notes?.length ?? 0, dataset.dataset_key).toBeGreaterThan(0);
      }
    }
    expect(catalog.datasets({ status: 'unverified' }).map((dataset) => dataset.dataset_key)).toContain('ct/kits23');
  });
});

describe('raw codes', () => {
  it('map PTB-XL diagnostic classes and the AFIB/AFLT rhythm statements to the ECG classes', () => {
    expect(catalog.mapRawCode('ecg/ptb-xl', 'ptb-xl-diagnostic-class', 'STTC')).toBe('ST/T Change');
    expect(catalog.mapRawCode('ecg/ptb-xl', 'scp-code', 'AFLT')).toBe('Atrial Fibrillation/Flutter');
    expect(catalog.mapRawCode('ecg/ptb-xl', 'scp-code', 'SR')).toBeNull();
  });

  it('map the PhysioNet 2021 SNOMED CT codes of datasets.md', () => {
    expect(catalog.mapRawCode('ecg/georgia', 'snomed-ct', '164889003')).toBe('Atrial Fibrillation/Flutter');
    expect(catalog.mapRawCode('ecg/cpsc', 'snomed-ct', '59118001')).toBe('Conduction Disturbance');
    expect(catalog.mapRawCode('ecg/chapman', 'snomed-ct', '164873001')).toBe('Hypertrophy');
  });

  it('drop sinus-rhythm "Normal" beside an abnormality and fall back to "Other" when nothing maps', () => {
    const snomed = (...codes: string[]) => codes.map((code) => ({ codeSystem: 'snomed-ct', code }));
    expect(catalog.labelsFromCodes('ecg/chapman', snomed('426783006', '164909002'))).toEqual(['Conduction Disturbance']);
    expect(catalog.labelsFromCodes('ecg/chapman', snomed('426783006'))).toEqual(['Normal']);
    expect(catalog.labelsFromCodes('ecg/chapman', snomed('164865005', '164889003', '270492004'))).toEqual(['Conduction Disturbance', 'Myocardial Infarction', 'Atrial Fibrillation/Flutter']);
    expect(catalog.labelsFromCodes('ecg/chapman', snomed('284470004'))).toEqual(['Other']);
  });

  it('merge HAM10000 dx codes and ISIC 2018 one-hot columns into the 5 CLIMB classes alike', () => {
    const pairs = [['mel', 'MEL'], ['nv', 'NV'], ['bcc', 'BCC'], ['akiec', 'AKIEC'], ['bkl', 'BKL'], ['df', 'DF'], ['vasc', 'VASC']];
    for (const [dx, column] of pairs) {
      expect(catalog.mapRawCode('derm/ham10000', 'ham10000-dx', dx)).toBe(catalog.mapRawCode('derm/ham10000', 'isic2018-task3-column', column));
    }
    expect(catalog.mapRawCode('derm/ham10000', 'ham10000-dx', 'vasc')).toBe('Other');
  });

  it('give RSPECT slices their class from pe_present_on_image and chronic_pe; a dataset without codes yields null', () => {
    expect(catalog.labelsFromCodes('ct/rspect', [{ codeSystem: 'rspect-slice', code: '1:1' }])).toEqual(['Chronic PE']);
    expect(catalog.labelsFromCodes('ct/rspect', [{ codeSystem: 'rspect-slice', code: '1:0' }])).toEqual(['Acute PE']);
    expect(catalog.labelsFromCodes('ct/rspect', [{ codeSystem: 'rspect-slice', code: '0:1' }])).toEqual(['No PE']);
    expect(catalog.labelsFromCodes('ct/rspect', [{ codeSystem: 'rspect-slice', code: '2:0' }])).toBeNull();
  });

  it('refuses a code system the dataset does not define', () => {
    expect(() => catalog.mapRawCode('ecg/ptb-xl', 'snomed-ct', '426783006')).toThrow(/no code system "snomed-ct"/);
  });
});

describe('answers, windows, layouts', () => {
  it('orders labels as the catalog does and joins them with ", "', () => {
    expect(catalog.answerFor('chest_xray/mimic-cxr', ['Pleural Effusion', 'Cardiomegaly'])).toBe('Cardiomegaly, Pleural Effusion');
    expect(() => catalog.answerFor('chest_xray/mimic-cxr', ['Pleural effusion'])).toThrow(/not a label/);
  });

  it('window RSPECT at W700/L80 and chest X-rays by their header', () => {
    expect(catalog.windowPreset('ct/rspect')).toMatchObject({ kind: 'fixed', center: 80, width: 700 });
    expect(catalog.windowPreset('chest_xray/mimic-cxr')).toEqual({ kind: 'header' });
    expect(catalog.dataset('ct/rspect').frames).toEqual({ kind: 'per-slice' });
  });

  it('describe generic layouts completely enough for a JSON-only dataset', () => {
    const [layout] = catalog.dataset('pathology/lc25000').layouts;
    expect(layout.id).toBe('folder-per-class');
    if (layout.id !== 'folder-per-class') return;
    expect(layout.roots.map((root) => root.path)).toEqual(['lung_image_sets', 'colon_image_sets']);
    expect(catalog.mapRawCode('pathology/lc25000', layout.class_code_system, 'lung_scc')).toBe('Lung Squamous Cell Carcinoma');
    const [aptos] = catalog.dataset('fundus/aptos').layouts;
    expect(aptos).toMatchObject({ id: 'csv-file-label', file_column: 'id_code', file_template: 'train_images/{value}.png', label_column: 'diagnosis' });
  });
});
