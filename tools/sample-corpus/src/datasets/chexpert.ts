// CheXpert v1.0-small (datasets.md): train.csv and valid.csv with Path
// (`CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg`), Sex, Age, Frontal/Lateral,
// AP/PA, then the 14 labels as 1.0 / 0.0 / −1.0 (uncertain) / empty (not mentioned). valid.csv (our
// test split) is radiologist-labelled and has no uncertain labels. Uncertain (−1.0) cells are only
// written for findings that are not drawn, so U-zeros and "ignore" both give truth.json's labels.
import { csvText, pandasFloat, type CsvValue } from '../csv-text';
import { drawChestXray } from '../chest-xray-scene';
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodeJpeg } from '../formats/image-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';

export const CHEXPERT_COLUMNS = [
  'No Finding', 'Enlarged Cardiomediastinum', 'Cardiomegaly', 'Lung Opacity', 'Lung Lesion', 'Edema', 'Consolidation',
  'Pneumonia', 'Atelectasis', 'Pneumothorax', 'Pleural Effusion', 'Pleural Other', 'Fracture', 'Support Devices',
] as const;

interface ChexpertRender {
  readonly latent: readonly string[];
  readonly path: string;
  readonly signal: number;
  readonly width: number;
  readonly height: number;
}

export const chexpert: DatasetGenerator = {
  layout: 'chexpert',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 3] });
    const prng = Prng.derive(seed, dataset.dataset_key, 'rows');
    const truth = [];
    const renders: RenderTask[] = [];
    const rows = { train: [] as CsvValue[][], valid: [] as CsvValue[][] };
    const patientFacts = new Map<number, { sex: string; age: number }>();
    for (const item of items) {
      const csv = item.split === 'test' ? 'valid' : 'train';
      let facts = patientFacts.get(item.patient);
      if (!facts) {
        facts = { sex: prng.pick(['Male', 'Female']), age: prng.intBetween(18, 90) };
        patientFacts.set(item.patient, facts);
      }
      const lateral = prng.chance(0.1);
      const path = `${csv}/patient${String(item.patient + 1).padStart(5, '0')}/study${item.visit + 1}/view1_${lateral ? 'lateral' : 'frontal'}.jpg`;
      const width = 256;
      const height = 256 + 8 * prng.int(8);
      const uncertain: string[] = [];
      const cells = CHEXPERT_COLUMNS.map((column) => {
        if (item.labels.includes(column)) return pandasFloat(1);
        if (csv === 'train' && column !== 'No Finding' && prng.chance(0.03)) {
          uncertain.push(column);
          return pandasFloat(-1);
        }
        // Radiologists' reports mention some absent findings (0.0); the rest stay empty.
        return prng.chance(0.3) ? pandasFloat(0) : csv === 'valid' ? pandasFloat(0) : '';
      });
      rows[csv].push([`CheXpert-v1.0-small/${path}`, facts.sex, facts.age, lateral ? 'Lateral' : 'Frontal', lateral ? '' : prng.pick(['AP', 'PA']), ...cells]);
      truth.push(truthOf(dataset, item, { id: path, patientId: `patient${String(item.patient + 1).padStart(5, '0')}`, format: { width, height, uncertain: uncertain.join('|') } }));
      renders.push({ layout: 'chexpert', folder: dataset.folder, seed, index: item.index, params: { latent: item.latent, path, signal: item.signal, width, height } satisfies ChexpertRender });
    }
    const header = ['Path', 'Sex', 'Age', 'Frontal/Lateral', 'AP/PA', ...CHEXPERT_COLUMNS];
    return { truth, renders, indexFiles: [{ path: 'train.csv', content: csvText(header, rows.train) }, { path: 'valid.csv', content: csvText(header, rows.valid) }] };
  },
  async render(task, outputRoot) {
    const params = task.params as ChexpertRender;
    const scene = drawChestXray(params.latent, params.signal, Prng.derive(task.seed, 'chexpert', task.index), params.width, params.height);
    for (let index = 0; index < scene.raster.pixels.length; index += 1) scene.raster.pixels[index] *= 255;
    writeFileMakingFolders(itemPath(outputRoot, task, params.path), await encodeJpeg(scene.raster.toUint8(), params.width, params.height, 1, 85));
    return scene.boxes;
  },
};
