// ISIC 2018 Task 3 / HAM10000 (datasets.md), both layouts in one folder over the same images:
// ISIC2018_Task3_Training_GroundTruth.csv (image, MEL, NV, BCC, AKIEC, BKL, DF, VASC one-hot) with
// ISIC2018_Task3_Training_Input/<image>.jpg and ISIC2018_Task3_Training_LesionGroupings.csv, and
// HAM10000_metadata.csv (lesion_id, image_id, dx, dx_type, age, sex, localization). Several images
// share a lesion. Dermoscopy: skin background and a pigmented lesion whose colour, size, border and
// structures follow the diagnosis. "Other" merges BKL, DF and VASC (CLIMB's five answers).
import { csvText, pandasFloat } from '../csv-text';
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodeJpeg } from '../formats/image-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';
import { Raster, interleaveRgb, type BlobShape } from '../raster';

const DX_COLUMNS = ['MEL', 'NV', 'BCC', 'AKIEC', 'BKL', 'DF', 'VASC'] as const;
type Dx = 'mel' | 'nv' | 'bcc' | 'akiec' | 'bkl' | 'df' | 'vasc';

// Lesion colour (RGB), radius fraction, border irregularity per diagnosis.
const LOOK: Record<Dx, { color: [number, number, number]; radius: number; irregularity: number }> = {
  mel: { color: [70, 40, 45], radius: 0.3, irregularity: 0.3 },
  nv: { color: [140, 90, 60], radius: 0.2, irregularity: 0.03 },
  bcc: { color: [210, 150, 160], radius: 0.22, irregularity: 0.12 },
  akiec: { color: [200, 100, 90], radius: 0.25, irregularity: 0.18 },
  bkl: { color: [170, 130, 90], radius: 0.26, irregularity: 0.1 },
  df: { color: [150, 105, 85], radius: 0.15, irregularity: 0.05 },
  vasc: { color: [150, 40, 80], radius: 0.16, irregularity: 0.05 },
};

const LABEL_OF_DX: Record<Dx, string> = { mel: 'Melanoma', nv: 'Nevus', bcc: 'Basal Cell Carcinoma', akiec: 'AKIEC', bkl: 'Other', df: 'Other', vasc: 'Other' };

function dxOf(label: string, prng: Prng): Dx {
  switch (label) {
    case 'Melanoma':
      return 'mel';
    case 'Nevus':
      return 'nv';
    case 'Basal Cell Carcinoma':
      return 'bcc';
    case 'AKIEC':
      return 'akiec';
    default:
      return (['bkl', 'df', 'vasc'] as const)[prng.weighted([0.7, 0.12, 0.18])];
  }
}

interface DermRender {
  readonly dx: Dx;
  readonly path: string;
  readonly signal: number;
  readonly width: number;
  readonly height: number;
  readonly lesion: BlobShape;
}

export const ham10000: DatasetGenerator = {
  layout: 'isic2018-task3',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 3] });
    const prng = Prng.derive(seed, dataset.dataset_key, 'geometry');
    const truth = [];
    const renders: RenderTask[] = [];
    const groundTruth: Array<Array<string | number>> = [];
    const groupings: string[][] = [];
    const metadata: Array<Array<string | number>> = [];
    const lesionOf = new Map<number, { dx: Dx; latentDx: Dx; shape: Omit<BlobShape, 'cx' | 'cy'>; age: number; sex: string; site: string }>();
    for (const item of items) {
      let lesion = lesionOf.get(item.patient);
      if (!lesion) {
        const latentDx = dxOf(item.latent[0], prng);
        const dx = item.labelNoise ? dxOf(item.labels[0], prng) : latentDx;
        const look = LOOK[latentDx];
        lesion = {
          dx,
          latentDx,
          shape: { rx: look.radius * 450, ry: look.radius * 450 * prng.uniform(0.75, 1), irregularity: look.irregularity, phase: prng.uniform(0, 6), angle: prng.uniform(0, 3) },
          age: 5 * prng.intBetween(4, 17),
          sex: prng.pick(['male', 'female']),
          site: prng.pick(['back', 'lower extremity', 'trunk', 'upper extremity', 'abdomen', 'face']),
        };
        lesionOf.set(item.patient, lesion);
      }
      const image = `ISIC_${String(24306 + item.index).padStart(7, '0')}`;
      const lesionId = `HAM_${String(item.patient).padStart(7, '0')}`;
      const path = `ISIC2018_Task3_Training_Input/${image}.jpg`;
      // The released images are 600 × 450; most of ours are a quarter of that, a few full size.
      const full = item.index % 60 === 11;
      const width = full ? 600 : 240;
      const height = full ? 450 : 180;
      const factor = width / 600;
      const shape: BlobShape = { ...lesion.shape, rx: lesion.shape.rx * factor * 0.75, ry: lesion.shape.ry * factor * 0.75, cx: width * prng.uniform(0.45, 0.55), cy: height * prng.uniform(0.45, 0.55) };
      groundTruth.push([image, ...DX_COLUMNS.map((column) => pandasFloat(column.toLowerCase() === lesion.dx ? 1 : 0))]);
      groupings.push([image, lesionId, lesion.dx === 'nv' ? 'serial imaging showing no change' : 'histopathology']);
      metadata.push([lesionId, image, lesion.dx, lesion.dx === 'nv' ? 'follow_up' : 'histo', pandasFloat(lesion.age), lesion.sex, lesion.site]);
      truth.push(truthOf(dataset, item, { id: path, patientId: lesionId, format: { width, height, dx: lesion.dx }, labels: { labels: [LABEL_OF_DX[lesion.dx]], latent: [LABEL_OF_DX[lesion.latentDx]] } }));
      renders.push({ layout: 'isic2018-task3', folder: dataset.folder, seed, index: item.index, params: { dx: lesion.latentDx, path, signal: item.signal, width, height, lesion: shape } satisfies DermRender });
    }
    return {
      truth,
      renders,
      indexFiles: [
        { path: 'ISIC2018_Task3_Training_GroundTruth.csv', content: csvText(['image', ...DX_COLUMNS], groundTruth) },
        { path: 'ISIC2018_Task3_Training_LesionGroupings.csv', content: csvText(['image', 'lesion_id', 'diagnosis_confirm_type'], groupings) },
        { path: 'HAM10000_metadata.csv', content: csvText(['lesion_id', 'image_id', 'dx', 'dx_type', 'age', 'sex', 'localization'], metadata) },
      ],
    };
  },
  async render(task, outputRoot) {
    const params = task.params as DermRender;
    const prng = Prng.derive(task.seed, 'ham10000', task.index);
    const { width, height } = params;
    const skin: [number, number, number] = [225 + prng.uniform(-15, 10), 175 + prng.uniform(-15, 10), 150 + prng.uniform(-15, 10)];
    const look = LOOK[params.dx];
    const channels = skin.map((value) => new Raster(width, height, value));
    // The lesion's contrast against skin scales with the tier's signal; its border and structures do not.
    const nevusColor = LOOK.nv.color;
    for (let channel = 0; channel < 3; channel += 1) {
      const target = look.color[channel] * params.signal + nevusColor[channel] * (1 - params.signal);
      channels[channel].blob(params.lesion, target - skin[channel], 3);
    }
    if (params.dx === 'mel') {
      // Blue-white veil and asymmetric dark blotch.
      const veil = { cx: params.lesion.cx + params.lesion.rx * 0.3, cy: params.lesion.cy, rx: params.lesion.rx * 0.4, ry: params.lesion.ry * 0.4 };
      channels[2].blob(veil, 60 * params.signal, 3);
      channels[0].blob(veil, -20 * params.signal, 3);
    }
    if (params.dx === 'bcc') {
      for (let vessel = 0; vessel < 5; vessel += 1) {
        const angle = prng.uniform(0, 6.3);
        channels[0].line(params.lesion.cx, params.lesion.cy, params.lesion.cx + Math.cos(angle) * params.lesion.rx * 0.8, params.lesion.cy + Math.sin(angle) * params.lesion.ry * 0.8, Math.max(1.5, width / 160), 230);
      }
    }
    for (const channel of channels) {
      channel.smoothNoise(prng, 6, width / 12);
      channel.noise(prng, 3);
    }
    // Dermoscope vignette: dark corners.
    for (const channel of channels) channel.multiply((x, y) => Math.min(1, 1.45 - Math.hypot((x - width / 2) / width, (y - height / 2) / height) * 1.6));
    writeFileMakingFolders(itemPath(outputRoot, task, params.path), await encodeJpeg(interleaveRgb(channels[0], channels[1], channels[2]), width, height, 3, 88));
  },
};
