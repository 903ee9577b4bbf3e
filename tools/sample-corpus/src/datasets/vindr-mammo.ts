// VinDr-Mammo 1.0.0 (datasets.md): images/<study_id>/<image_id>.dicom, many MONOCHROME1;
// breast-level_annotations.csv (study_id, series_id, image_id, laterality, view_position, height, width,
// breast_birads "BI-RADS n", breast_density, split training / test) and finding_annotations.csv (the
// same keys plus finding_categories as a list string, finding_birads, xmin, ymin, xmax, ymax). Each
// breast has a CC and an MLO view with the same BI-RADS. The mass grows more irregular and spiculated
// with the category: BI-RADS 2 small and circumscribed, 3 oval, 4 irregular, 5 spiculated.
import { csvText, type CsvValue } from '../csv-text';
import { dicomDate, hexId, imageAttributes, SOP_CLASS, type StudyIdentity } from '../dicom-attributes';
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodeDicom, TRANSFER_SYNTAX_UID, type TransferSyntax } from '../formats/dicom-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';
import { Raster, type BlobShape } from '../raster';
import type { TruthItem } from '../truth';

interface MammoRender {
  readonly birads: number;
  readonly path: string;
  readonly signal: number;
  readonly width: number;
  readonly height: number;
  readonly laterality: 'L' | 'R';
  readonly view: 'CC' | 'MLO';
  readonly monochrome1: boolean;
  readonly transferSyntax: TransferSyntax;
  readonly identity: StudyIdentity;
  readonly density: number;
}

function transferSyntaxOf(index: number): TransferSyntax {
  return (['jpeg2000', 'jpeg2000', 'rle', 'rle', 'explicit-be', 'explicit-le', 'explicit-le', 'explicit-le'] as const)[index % 8];
}

function massShape(birads: number, width: number, height: number, chestWallLeft: boolean, prng: Prng): BlobShape | null {
  if (birads <= 1) return null;
  // Masses sit in a band of the breast (most lesions lie in the upper outer quadrant); the category
  // shows in size, margin and density, which survive downsampling.
  const cx = width * (chestWallLeft ? prng.uniform(0.25, 0.4) : prng.uniform(0.6, 0.75));
  const cy = height * prng.uniform(0.38, 0.55);
  const base = height * [0, 0, 0.035, 0.06, 0.085, 0.11][birads];
  switch (birads) {
    case 2:
      return { cx, cy, rx: base, ry: base };
    case 3:
      return { cx, cy, rx: base * 1.3, ry: base * 0.9, angle: prng.uniform(0, 3) };
    case 4:
      return { cx, cy, rx: base, ry: base, irregularity: 0.3, phase: prng.uniform(0, 6) };
    default:
      return { cx, cy, rx: base, ry: base, irregularity: 0.15, spikes: 9, spikeLength: 0.8, phase: prng.uniform(0, 6) };
  }
}

export const vindrMammo: DatasetGenerator = {
  layout: 'vindr-mammo',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [2, 2] });
    const prng = Prng.derive(seed, dataset.dataset_key, 'ids');
    const truth = [];
    const renders: RenderTask[] = [];
    const breasts = new Map<number, { studyId: string; seriesId: string; laterality: 'L' | 'R'; labels: readonly string[]; latent: readonly string[]; density: number; identity: Omit<StudyIdentity, 'sopInstanceUid'> }>();
    for (const item of items) {
      let breast = breasts.get(item.patient);
      if (!breast) {
        breast = {
          studyId: hexId(prng, 32),
          seriesId: hexId(prng, 32),
          laterality: prng.pick(['L', 'R'] as const),
          labels: item.labels,
          latent: item.latent,
          density: prng.int(4),
          identity: { patientId: '', patientName: '', patientSex: 'F', patientAge: prng.intBetween(35, 80), studyInstanceUid: prng.uid(), seriesInstanceUid: prng.uid(), studyDate: dicomDate(prng.int(1500)), accessionNumber: '' },
        };
        breasts.set(item.patient, breast);
      }
      const view = item.visit % 2 === 0 ? 'CC' : 'MLO';
      const imageId = hexId(prng, 32);
      const path = `images/${breast.studyId}/${imageId}.dicom`;
      const multiMegapixel = item.index % 120 === 3;
      const transferSyntax = multiMegapixel ? 'jpeg-ls' : transferSyntaxOf(item.index);
      const width = multiMegapixel ? 1200 : 160;
      const height = multiMegapixel ? 1600 : 200;
      const monochrome1 = item.index % 10 < 7;
      truth.push(
        truthOf(dataset, item, {
          id: path,
          patientId: breast.studyId,
          labels: { labels: breast.labels, latent: breast.latent },
          format: { width, height, transfer_syntax: TRANSFER_SYNTAX_UID[transferSyntax], photometric: monochrome1 ? 'MONOCHROME1' : 'MONOCHROME2', frames: 1, laterality: breast.laterality, view_position: view, series_id: breast.seriesId, study_id: breast.studyId, density: 'ABCD'[breast.density] },
        }),
      );
      renders.push({
        layout: 'vindr-mammo',
        folder: dataset.folder,
        seed,
        index: item.index,
        params: { birads: Number(breast.latent[0].slice(-1)), path, signal: item.signal, width, height, laterality: breast.laterality, view, monochrome1, transferSyntax, identity: { ...breast.identity, sopInstanceUid: prng.uid() }, density: breast.density } satisfies MammoRender,
      });
    }
    return { truth, renders, indexFiles: [] };
  },
  async render(task, outputRoot) {
    const params = task.params as MammoRender;
    const prng = Prng.derive(task.seed, 'vindr-mammo', task.index);
    const { width, height } = params;
    const chestWallLeft = params.laterality === 'R';
    const raster = new Raster(width, height, 0.03);
    // The breast: a half ellipse against the chest wall, with fibroglandular texture by density.
    raster.blob({ cx: chestWallLeft ? 0 : width, cy: height / 2, rx: width * 0.85, ry: height * 0.46 }, 0.3, 4);
    const fibroglandular = new Raster(width, height);
    fibroglandular.smoothNoise(prng, 0.05 + 0.03 * params.density, Math.max(6, width / 16));
    for (let index = 0; index < raster.pixels.length; index += 1) if (raster.pixels[index] > 0.1) raster.pixels[index] += fibroglandular.pixels[index];
    const shape = massShape(params.birads, width, height, chestWallLeft, prng);
    let boxes: Array<{ label: string; box: readonly [number, number, number, number] }> = [];
    if (shape) {
      const box = raster.blob(shape, (0.25 + 0.6 * params.signal) * (0.5 + 0.15 * params.birads), 1.5);
      boxes = [{ label: `BI-RADS ${params.birads}`, box }];
    }
    raster.noise(prng, width > 1000 ? 0.004 : 0.03);
    for (let index = 0; index < raster.pixels.length; index += 1) raster.pixels[index] = Math.min(1, Math.max(0, raster.pixels[index])) * 4095;
    const stored = raster.toUint16(4095);
    // MONOCHROME1: the minimum stored value is displayed white (PS3.3 C.7.6.3.1.2), so invert.
    if (params.monochrome1) for (let index = 0; index < stored.length; index += 1) stored[index] = 4095 - stored[index];
    const bytes = await encodeDicom({
      attributes: imageAttributes(params.identity, SOP_CLASS.digitalMammographyPresentation, 'MG', {
        ImageLaterality: params.laterality,
        ViewPosition: params.view,
        BodyPartExamined: 'BREAST',
        PresentationIntentType: 'FOR PRESENTATION',
        WindowCenter: '2048',
        WindowWidth: '4096',
      }),
      rows: height,
      columns: width,
      bitsStored: 12,
      photometricInterpretation: params.monochrome1 ? 'MONOCHROME1' : 'MONOCHROME2',
      frames: [stored],
      transferSyntax: params.transferSyntax,
    });
    writeFileMakingFolders(itemPath(outputRoot, task, params.path), bytes);
    return boxes;
  },
  finish({ seed, dataset }: PlanContext, truth: readonly TruthItem[]) {
    const prng = Prng.derive(seed, dataset.dataset_key, 'findings');
    const breastRows: CsvValue[][] = [];
    const findingRows: CsvValue[][] = [];
    for (const item of truth) {
      const imageId = item.id.slice(item.id.lastIndexOf('/') + 1, -'.dicom'.length);
      const f = item.format as Readonly<Record<string, string | number>>;
      const split = item.split === 'test' ? 'test' : 'training';
      const keys = [f['study_id'], f['series_id'], imageId, f['laterality'], f['view_position'], f['height'], f['width'], item.labels[0], `DENSITY ${f['density']}`];
      breastRows.push([...keys, split]);
      if (item.labels[0] === 'BI-RADS 1') {
        findingRows.push([...keys, "['No Finding']", '', '', '', '', '', split]);
        continue;
      }
      // A mass drawn for the latent category; with label noise the recorded finding may have none.
      const box = item.boxes[0]?.box ?? [Math.round(Number(f['width']) * prng.uniform(0.3, 0.5)), Math.round(Number(f['height']) * 0.4), Math.round(Number(f['width']) * 0.6), Math.round(Number(f['height']) * 0.5)];
      findingRows.push([...keys, "['Mass']", item.labels[0], ...box.map((value) => value.toFixed(2)), split]);
    }
    const keysHeader = ['study_id', 'series_id', 'image_id', 'laterality', 'view_position', 'height', 'width', 'breast_birads', 'breast_density'];
    return [
      { path: 'breast-level_annotations.csv', content: csvText([...keysHeader, 'split'], breastRows) },
      { path: 'finding_annotations.csv', content: csvText([...keysHeader, 'finding_categories', 'finding_birads', 'xmin', 'ymin', 'xmax', 'ymax', 'split'], findingRows) },
    ];
  },
};
