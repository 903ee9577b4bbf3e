// VinDr-CXR 1.0.0 (datasets.md): train/<image_id>.dicom and test/<image_id>.dicom;
// annotations/image_labels_train.csv (image_id, rad_id, then 0/1 per finding and global label), three
// radiologists per training image; annotations/annotations_train.csv (image_id, rad_id, class_name,
// x_min, y_min, x_max, y_max in pixels of the DICOM; empty for "No finding"); the test files are the
// consensus, without rad_id. Readers agree up to one missed finding each, so both the majority vote
// and the union give truth.json's labels. DICOMs: explicit / implicit VR LE and JPEG-LS lossless.
import { csvText, type CsvValue } from '../csv-text';
import { drawChestXray } from '../chest-xray-scene';
import { dicomDate, hexId, imageAttributes, SOP_CLASS, type StudyIdentity } from '../dicom-attributes';
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodeDicom, TRANSFER_SYNTAX_UID, type TransferSyntax } from '../formats/dicom-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';
import type { TruthItem } from '../truth';

const VINDR_COLUMNS = [
  'Aortic enlargement', 'Atelectasis', 'Calcification', 'Cardiomegaly', 'Clavicle fracture', 'Consolidation', 'Edema', 'Emphysema',
  'Enlarged PA', 'ILD', 'Infiltration', 'Lung Opacity', 'Lung cavity', 'Lung cyst', 'Mediastinal shift', 'Nodule/Mass', 'Pleural effusion',
  'Pleural thickening', 'Pneumothorax', 'Pulmonary fibrosis', 'Rib fracture', 'Other lesion', 'COPD', 'Lung tumor', 'Pneumonia',
  'Tuberculosis', 'Other diseases', 'No finding',
] as const;
const NO_FINDING = 'No finding';

interface VindrRender {
  readonly latent: readonly string[];
  readonly path: string;
  readonly signal: number;
  readonly size: number;
  readonly transferSyntax: TransferSyntax;
  readonly identity: StudyIdentity;
}

function transferSyntaxOf(index: number): TransferSyntax {
  return (['explicit-le', 'implicit-le', 'jpeg-ls'] as const)[index % 3];
}

function labelRow(labels: readonly string[]): number[] {
  const positives = labels.length === 0 ? [NO_FINDING] : labels;
  return VINDR_COLUMNS.map((column) => (positives.includes(column) ? 1 : 0));
}

export const vindrCxr: DatasetGenerator = {
  layout: 'vindr-cxr',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 1] });
    const prng = Prng.derive(seed, dataset.dataset_key, 'ids');
    const truth = [];
    const renders: RenderTask[] = [];
    for (const item of items) {
      const imageId = hexId(prng, 32);
      const path = `${item.split === 'test' ? 'test' : 'train'}/${imageId}.dicom`;
      const multiMegapixel = item.index === 17;
      const transferSyntax = multiMegapixel ? 'jpeg-ls' : transferSyntaxOf(item.index);
      const size = multiMegapixel ? 1536 : transferSyntax === 'jpeg-ls' ? 224 : 160;
      // VinDr-CXR's DICOMs carry no patient identity (de-identified by the publisher).
      const identity: StudyIdentity = {
        patientId: '',
        patientName: '',
        patientSex: prng.pick(['M', 'F'] as const),
        patientAge: prng.intBetween(20, 85),
        studyInstanceUid: prng.uid(),
        seriesInstanceUid: prng.uid(),
        sopInstanceUid: prng.uid(),
        studyDate: dicomDate(prng.int(1500)),
        accessionNumber: '',
      };
      truth.push(truthOf(dataset, item, { id: path, patientId: imageId, format: { width: size, height: size, transfer_syntax: TRANSFER_SYNTAX_UID[transferSyntax], photometric: 'MONOCHROME2', frames: 1 } }));
      renders.push({ layout: 'vindr-cxr', folder: dataset.folder, seed, index: item.index, params: { latent: item.latent, path, signal: item.signal, size, transferSyntax, identity } satisfies VindrRender });
    }
    return { truth, renders, indexFiles: [] };
  },
  async render(task, outputRoot) {
    const params = task.params as VindrRender;
    const scene = drawChestXray(params.latent, params.signal, Prng.derive(task.seed, 'vindr-cxr', task.index), params.size, params.size);
    for (let index = 0; index < scene.raster.pixels.length; index += 1) scene.raster.pixels[index] *= 4095;
    const bytes = await encodeDicom({
      attributes: imageAttributes(params.identity, SOP_CLASS.digitalXRayPresentation, 'DX', { BodyPartExamined: 'CHEST', PresentationIntentType: 'FOR PRESENTATION' }),
      rows: params.size,
      columns: params.size,
      bitsStored: 12,
      photometricInterpretation: 'MONOCHROME2',
      frames: [scene.raster.toUint16(4095)],
      transferSyntax: params.transferSyntax,
    });
    writeFileMakingFolders(itemPath(outputRoot, task, params.path), bytes);
    return scene.boxes;
  },
  finish({ seed, dataset }: PlanContext, truth: readonly TruthItem[]) {
    const prng = Prng.derive(seed, dataset.dataset_key, 'readers');
    const trainLabels: CsvValue[][] = [];
    const trainBoxes: CsvValue[][] = [];
    const testLabels: CsvValue[][] = [];
    const testBoxes: CsvValue[][] = [];
    // A noisy label (label noise tier) has no drawn finding: its readers boxed somewhere plausible.
    const byBox = (item: TruthItem, label: string) => {
      const drawn = item.boxes.find((box) => box.label === label)?.box;
      if (drawn) return drawn;
      const size = Number(item.format['width']);
      const x = Math.round(size * prng.uniform(0.2, 0.6));
      const y = Math.round(size * prng.uniform(0.2, 0.6));
      return [x, y, x + Math.round(size * 0.15), y + Math.round(size * 0.15)] as const;
    };
    for (const item of truth) {
      const imageId = item.id.slice(item.id.indexOf('/') + 1, -'.dicom'.length);
      const findings = item.labels.filter((label) => label !== NO_FINDING);
      if (item.split === 'test') {
        testLabels.push([imageId, ...labelRow(findings)]);
        if (findings.length === 0) testBoxes.push([imageId, NO_FINDING, '', '', '', '']);
        for (const label of findings) {
          const box = byBox(item, label);
          testBoxes.push([imageId, label, ...box.map((value) => value.toFixed(1))]);
        }
        continue;
      }
      const readers = prng.shuffle(Array.from({ length: 17 }, (_, index) => `R${index + 1}`)).slice(0, 3).sort();
      const missedBy = new Map(findings.map((label) => [label, prng.chance(0.2) ? prng.int(3) : -1]));
      readers.forEach((reader, readerIndex) => {
        const seen = findings.filter((label) => missedBy.get(label) !== readerIndex);
        trainLabels.push([imageId, reader, ...labelRow(seen)]);
        if (seen.length === 0) trainBoxes.push([imageId, reader, NO_FINDING, '', '', '', '']);
        for (const label of seen) {
          const box = byBox(item, label);
          // Each reader draws the box a little differently.
          const jittered = box.map((value) => Math.max(0, value + prng.uniform(-3, 3)).toFixed(2));
          trainBoxes.push([imageId, reader, label, ...jittered]);
        }
      });
    }
    return [
      { path: 'annotations/image_labels_train.csv', content: csvText(['image_id', 'rad_id', ...VINDR_COLUMNS], trainLabels) },
      { path: 'annotations/annotations_train.csv', content: csvText(['image_id', 'rad_id', 'class_name', 'x_min', 'y_min', 'x_max', 'y_max'], trainBoxes) },
      { path: 'annotations/image_labels_test.csv', content: csvText(['image_id', ...VINDR_COLUMNS], testLabels) },
      { path: 'annotations/annotations_test.csv', content: csvText(['image_id', 'class_name', 'x_min', 'y_min', 'x_max', 'y_max'], testBoxes) },
    ];
  },
};
