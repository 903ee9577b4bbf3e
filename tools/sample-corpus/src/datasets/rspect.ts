// RSNA-STR Pulmonary Embolism CT (RSPECT, datasets.md): train.csv (StudyInstanceUID,
// SeriesInstanceUID, SOPInstanceUID, pe_present_on_image, negative_exam_for_pe, …, chronic_pe,
// acute_and_chronic_pe, …) and train/<Study>/<Series>/<SOP>.dcm. The paper's three classes per slice:
// No PE (pe_present_on_image 0), Chronic PE (1 with chronic_pe 1), Acute PE (1 with chronic_pe 0);
// chronic_pe is a study-level column, so one study's PE slices share a type. A CT pulmonary angiogram
// slice: contrast-filled pulmonary arteries; acute PE is a central filling defect ("polo mint"),
// chronic PE an eccentric wall-adherent defect in a narrowed artery with mosaic lung attenuation.
// Stored as int16 or uint16 with RescaleSlope/Intercept to HU; explicit / implicit VR LE or RLE; every
// 25th slice a 3-frame thin-slab file.
import { csvText, type CsvValue } from '../csv-text';
import { dicomDate, imageAttributes, SOP_CLASS, type StudyIdentity } from '../dicom-attributes';
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodeDicom, TRANSFER_SYNTAX_UID, type TransferSyntax } from '../formats/dicom-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';
import { Raster } from '../raster';

/** How HU are stored: stored = (HU − intercept) / slope, in int16 or uint16. */
interface Storage {
  readonly signed: boolean;
  readonly slope: number;
  readonly intercept: number;
}
const STORAGES: readonly Storage[] = [
  { signed: false, slope: 1, intercept: -1024 },
  { signed: true, slope: 1, intercept: -1024 },
  { signed: true, slope: 1, intercept: 0 },
  { signed: false, slope: 2, intercept: -2048 },
];

interface CtRender {
  readonly label: string;
  readonly path: string;
  readonly signal: number;
  readonly size: number;
  readonly frames: number;
  readonly storage: Storage;
  readonly transferSyntax: TransferSyntax;
  readonly identity: StudyIdentity;
  readonly sliceIndex: number;
  readonly side: number;
}

const PE_TYPES = ['Chronic PE', 'Acute PE'];

function transferSyntaxOf(index: number): TransferSyntax {
  return (['explicit-le', 'explicit-le', 'implicit-le', 'rle', 'explicit-le'] as const)[index % 5];
}

function slice(params: CtRender, prng: Prng, frame: number): Raster {
  const s = params.size;
  const hu = new Raster(s, s, -1000);
  hu.blob({ cx: s / 2, cy: s / 2, rx: s * 0.45, ry: s * 0.34 }, 1040, 2);
  const chronic = params.label === 'Chronic PE';
  hu.blob({ cx: s * 0.3, cy: s * 0.47, rx: s * 0.13, ry: s * 0.22 }, -890, 2);
  hu.blob({ cx: s * 0.7, cy: s * 0.47, rx: s * 0.13, ry: s * 0.22 }, -890, 2);
  if (chronic) {
    // Mosaic attenuation: patchy hypoperfused (darker) lung.
    const mosaic = new Raster(s, s);
    mosaic.smoothNoise(prng, 60 * params.signal, s / 10);
    for (let index = 0; index < hu.pixels.length; index += 1) if (hu.pixels[index] < -600) hu.pixels[index] += mosaic.pixels[index];
  }
  hu.blob({ cx: s / 2, cy: s * 0.78, rx: s * 0.06, ry: s * 0.06 }, 700, 1.5);
  hu.blob({ cx: s * 0.56, cy: s * 0.62, rx: s * 0.05, ry: s * 0.05 }, 300, 1.5);
  // Pulmonary trunk and the artery on the PE side, contrast-filled (~350 HU).
  const vesselRadius = s * (chronic ? 0.07 - 0.015 * params.signal : 0.07);
  hu.blob({ cx: s * 0.5, cy: s * 0.4, rx: s * 0.07, ry: s * 0.06 }, 310, 1.5);
  const artery = { cx: s * (params.side < 0 ? 0.37 : 0.63), cy: s * 0.42 + frame, rx: vesselRadius, ry: vesselRadius * 0.85 };
  hu.blob(artery, 310, 1.5);
  hu.blob({ ...artery, cx: s - artery.cx, rx: s * 0.07, ry: s * 0.06 }, 310, 1.5);
  if (params.label === 'Acute PE') {
    hu.blob({ ...artery, rx: vesselRadius * (0.35 + 0.4 * params.signal), ry: vesselRadius * 0.85 * (0.35 + 0.4 * params.signal) }, -300 * (0.5 + 0.5 * params.signal), 1);
  } else if (chronic) {
    hu.blob({ cx: artery.cx - params.side * vesselRadius * 0.6, cy: artery.cy, rx: vesselRadius * 0.5, ry: vesselRadius * 0.8 }, -300 * (0.5 + 0.5 * params.signal), 1);
  }
  hu.noise(prng, 18);
  return hu;
}

export const rspect: DatasetGenerator = {
  layout: 'rspect',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [3, 6] });
    const prng = Prng.derive(seed, dataset.dataset_key, 'ids');
    const truth = [];
    const renders: RenderTask[] = [];
    const rows: CsvValue[][] = [];
    const rowPatients: number[] = [];
    const studies = new Map<number, { study: string; series: string; peType: { latent: string; recorded: string }; identity: Omit<StudyIdentity, 'sopInstanceUid'>; side: number }>();
    const slicesOfStudy = new Map<number, string[]>();
    const toStudyType = (label: string, type: string) => (label === 'No PE' ? label : type);
    for (const item of items) {
      if (!studies.has(item.patient)) {
        const study = prng.uid();
        const series = prng.uid();
        const firstLatentPe = prng.pick(PE_TYPES);
        studies.set(item.patient, {
          study,
          series,
          peType: { latent: firstLatentPe, recorded: firstLatentPe },
          identity: { patientId: '', patientName: '', patientSex: prng.pick(['M', 'F'] as const), patientAge: prng.intBetween(30, 85), studyInstanceUid: study, seriesInstanceUid: series, studyDate: dicomDate(prng.int(1500)), accessionNumber: '' },
          side: prng.chance(0.5) ? -1 : 1,
        });
      }
    }
    for (const item of items) {
      const studyFacts = studies.get(item.patient);
      if (!studyFacts) throw new Error('every patient has a study');
      const latent = toStudyType(item.latent[0], studyFacts.peType.latent);
      const recorded = item.labelNoise ? toStudyType(item.labels[0], studyFacts.peType.recorded) : latent;
      const list = slicesOfStudy.get(item.patient) ?? [];
      list.push(recorded);
      slicesOfStudy.set(item.patient, list);
      const sop = prng.uid();
      const path = `train/${studyFacts.study}/${studyFacts.series}/${sop}.dcm`;
      const frames = item.index % 25 === 4 ? 3 : 1;
      const storage = STORAGES[item.index % STORAGES.length];
      const transferSyntax = transferSyntaxOf(item.index);
      const size = 128;
      truth.push(
        truthOf(dataset, item, {
          id: path,
          patientId: studyFacts.study,
          labels: { labels: [recorded], latent: [latent] },
          format: { width: size, height: size, transfer_syntax: TRANSFER_SYNTAX_UID[transferSyntax], photometric: 'MONOCHROME2', frames, pixel_representation: storage.signed ? 1 : 0, rescale_slope: storage.slope, rescale_intercept: storage.intercept },
        }),
      );
      renders.push({
        layout: 'rspect',
        folder: dataset.folder,
        seed,
        index: item.index,
        params: { label: latent, path, signal: item.signal, size, frames, storage, transferSyntax, identity: { ...studyFacts.identity, sopInstanceUid: sop }, sliceIndex: item.visit, side: studyFacts.side } satisfies CtRender,
      });
      rowPatients.push(item.patient);
      rows.push([studyFacts.study, studyFacts.series, sop, recorded === 'No PE' ? 0 : 1, 0, 0, 0, 0, 0, 0, 0, recorded === 'Chronic PE' ? 1 : 0, 0, 0, 0, 0, 0]);
    }
    // Study-level columns: negative_exam_for_pe when no slice shows PE; chronic_pe when the study's PE is chronic.
    for (const [index, row] of rows.entries()) {
      const slices = slicesOfStudy.get(rowPatients[index]) ?? [];
      row[4] = slices.every((label) => label === 'No PE') ? 1 : 0;
      row[11] = slices.includes('Chronic PE') ? 1 : 0;
      row[9] = row[4] === 1 ? 0 : 1;
    }
    const header = ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'pe_present_on_image', 'negative_exam_for_pe', 'qa_motion', 'qa_contrast', 'flow_artifact', 'rv_lv_ratio_gte_1', 'rv_lv_ratio_lt_1', 'leftsided_pe', 'chronic_pe', 'true_filling_defect_not_pe', 'rightsided_pe', 'acute_and_chronic_pe', 'central_pe', 'indeterminate'];
    return { truth, renders, indexFiles: [{ path: 'train.csv', content: csvText(header, rows) }] };
  },
  async render(task, outputRoot) {
    const params = task.params as CtRender;
    const prng = Prng.derive(task.seed, 'rspect', task.index);
    const { storage } = params;
    const frames = [];
    for (let frame = 0; frame < params.frames; frame += 1) {
      const hu = slice(params, prng, frame);
      for (let index = 0; index < hu.pixels.length; index += 1) hu.pixels[index] = (hu.pixels[index] - storage.intercept) / storage.slope;
      frames.push(storage.signed ? hu.toInt16(-32768, 32767) : hu.toUint16(65535));
    }
    const bytes = await encodeDicom({
      attributes: imageAttributes(params.identity, SOP_CLASS.ct, 'CT', {
        ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
        BodyPartExamined: 'CHEST',
        SliceThickness: '1.25',
        KVP: '120',
        InstanceNumber: String(params.sliceIndex + 1),
        ImagePositionPatient: [-200, -200, -params.sliceIndex * 1.25],
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        PixelSpacing: [0.78125, 0.78125],
        RescaleIntercept: String(storage.intercept),
        RescaleSlope: String(storage.slope),
        RescaleType: 'HU',
        WindowCenter: '80',
        WindowWidth: '700',
      }),
      rows: params.size,
      columns: params.size,
      bitsStored: 16,
      photometricInterpretation: 'MONOCHROME2',
      frames,
      transferSyntax: params.transferSyntax,
    });
    writeFileMakingFolders(itemPath(outputRoot, task, params.path), bytes);
  },
};
