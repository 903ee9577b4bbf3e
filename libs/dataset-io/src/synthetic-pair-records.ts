// Realistic stand-ins for instruction-pair rows (design.md "The corpus"), for the benchmarks and
// the round-trip tests: ~700-character prompts with astral characters and U+2028, nullable strings,
// lists that are empty, non-empty or null. Deterministic for a seed, cheap to generate (1 M rows/s+).
import type { ColumnSpec, DatasetRow } from './column-spec';
import { mulberry32 } from '@qoq/runtime';

export const syntheticPairColumns: readonly ColumnSpec[] = [
  { name: 'id', type: 'string', nullable: false },
  { name: 'problem', type: 'string', nullable: false },
  { name: 'answer', type: 'string', nullable: false },
  { name: 'images', type: 'list<string>', nullable: false },
  { name: 'time-series', type: 'list<string>', nullable: true },
  { name: 'dataset', type: 'string', nullable: false },
  { name: 'bbox', type: 'list<double>', nullable: true },
  { name: 'segmentation_path', type: 'string', nullable: true },
  { name: 'dataset_key', type: 'string', nullable: false },
  { name: 'domain', type: 'string', nullable: false },
  { name: 'modality', type: 'string', nullable: false },
  { name: 'split', type: 'string', nullable: false },
  { name: 'patient_key', type: 'string', nullable: true },
  { name: 'labels', type: 'list<string>', nullable: true },
  { name: 'label_set', type: 'list<string>', nullable: false },
  { name: 'frame_indices', type: 'list<int>', nullable: true },
  { name: 'source_sha256', type: 'string', nullable: false },
  { name: 'source_bytes', type: 'int64', nullable: true },
  { name: 'is_3d', type: 'bool', nullable: false },
  { name: 'schema_version', type: 'int32', nullable: false },
];

// Fragments mix ASCII, Latin accents, Greek, CJK, astral (🫀 U+1FAC0, 𝔼 U+1D53C) and the separators
// U+2028/U+2029 that break naive JSON-in-JS and line-oriented tools.
const PROMPT_FRAGMENTS = [
  'Above is a chest X-ray image of a patient. ',
  'What is the diagnosis of the patient? ',
  'Answer with one or multiple phrases from the following:\n',
  'Pleural Effusion\nCardiomegaly\nAtelectasis\n',
  'Enlarged Cardiomediastinum\nLung Opacity\n',
  'Le patient présente une opacité basale droite. ',
  'Épanchement pleural — cœur élargi. ',
  'Δ ST-segment ≥ 0.1 mV in V2–V4; QTc 470 ms. ',
  '心电图显示窦性心律，左心室肥大。',
  'Herz 🫀 und Lunge 🫁 — Befund unauffällig. ',
  'Expected value 𝔼[x] over 𝕏 frames. ',
  'line\u2028separator and paragraph\u2029separator. ',
  'The json should be wrapped in ```json ... ``` tags. ',
  'The final answer MUST BE put in \\boxed{}. ',
  'Tab\tseparated "quoted" \\backslash\\ text. ',
  'BI-RADS 4 — suspicious finding, biopsy advised. ',
];
const DATASETS = [
  { key: 'chest_xray/vindr', domain: 'chest_xray', labels: ['No Finding', 'Cardiomegaly', 'Pleural Effusion', 'Atelectasis'] },
  { key: 'mammo/vindr', domain: 'mammo', labels: ['BI-RADS 1', 'BI-RADS 2', 'BI-RADS 3', 'BI-RADS 4', 'BI-RADS 5'] },
  { key: 'ecg/ptb-xl', domain: 'ecg', labels: ['Normal', 'Hypertrophy', 'Myocardial Infarction', 'ST/T Change'] },
  { key: 'ct/rspect', domain: 'ct', labels: ['No PE', 'Chronic PE', 'Acute PE'] },
  { key: 'derm/ham10000', domain: 'derm', labels: ['Melanoma', 'Nevus', 'Basal Cell Carcinoma', 'AKIEC', 'Other'] },
];
const SPLITS = ['train', 'train', 'train', 'validation', 'test'];


// Four hex digits per table look-up: the generator must stay far faster than the writers it feeds.
const HEX4 = Array.from({ length: 65536 }, (_, value) => value.toString(16).padStart(4, '0'));

function hexString(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) {
    const draw = (random() * 4294967296) >>> 0;
    text += HEX4[draw & 0xffff] + HEX4[draw >>> 16];
  }
  return text.length === length ? text : text.slice(0, length);
}

/** Yields `count` rows of {@link syntheticPairColumns}; the same seed gives the same rows. */
export function* syntheticPairRecords(count: number, seed = 1): Generator<DatasetRow> {
  const random = mulberry32(seed);
  for (let index = 0; index < count; index++) {
    const dataset = DATASETS[(random() * DATASETS.length) | 0];
    const [modality, folder] = dataset.key.split('/');
    const isEcg = dataset.domain === 'ecg';
    let problem = isEcg ? '<ecg>\n' : '<image>\n';
    while (problem.length < 680) problem += PROMPT_FRAGMENTS[(random() * PROMPT_FRAGMENTS.length) | 0];
    problem += ` #${index}`;
    const roll = random();
    const labels: string[] | null =
      roll < 0.05 ? null : roll < 0.15 ? [] : dataset.labels.filter(() => random() < 0.35);
    const name = hexString(random, 24);
    const hasBox = !isEcg && random() < 0.3;
    const is3d = dataset.domain === 'ct';
    yield {
      id: `${hexString(random, 16)}`,
      problem,
      answer: (labels ?? []).join(', '),
      images: isEcg ? [] : [`${modality}/${folder}/${name}.png`],
      'time-series': isEcg ? [`${modality}/${folder}/${name}.npy`] : null,
      dataset: folder,
      bbox: hasBox ? [random() * 512, random() * 512, 512 + random() * 512, 512 + Math.round(random() * 512)] : null,
      segmentation_path: hasBox && random() < 0.5 ? `${modality}/${folder}/${name}_mask.png` : null,
      dataset_key: dataset.key,
      domain: dataset.domain,
      modality,
      split: SPLITS[(random() * SPLITS.length) | 0],
      patient_key: random() < 0.02 ? null : hexString(random, 12),
      labels,
      label_set: dataset.labels,
      frame_indices: is3d ? [0, (random() * 40) | 0, 40 + ((random() * 40) | 0)] : random() < 0.5 ? null : [],
      source_sha256: hexString(random, 64),
      source_bytes: random() < 0.1 ? null : BigInt(Math.floor(random() * 2 ** 40)) * 1024n + 7n,
      is_3d: is3d,
      schema_version: 1,
    };
  }
}
