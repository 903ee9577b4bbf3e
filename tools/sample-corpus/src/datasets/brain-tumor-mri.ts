// Brain Tumor MRI (datasets.md): Training/{glioma, meningioma, notumor, pituitary}/*.jpg and Testing/….
// An axial T1 post-contrast slice: skull ring, brain, ventricles. The class is where and what the mass
// is: glioma an irregular ring-enhancing mass inside a hemisphere, meningioma a bright homogeneous
// extra-axial mass against the skull, pituitary a small bright mass at the sella (midline, low).
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodeJpeg } from '../formats/image-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';
import { Raster, type BlobShape } from '../raster';
import type { Box } from '../truth';

const CLASS_FOLDER: Record<string, string> = { Glioma: 'glioma', Meningioma: 'meningioma', 'Pituitary Tumor': 'pituitary', 'No Tumor': 'notumor' };
const FILE_PREFIX: Record<string, string> = { glioma: 'gl', meningioma: 'me', pituitary: 'pi', notumor: 'no' };

interface BrainRender {
  readonly label: string;
  readonly path: string;
  readonly signal: number;
  readonly size: number;
  readonly tumor: BlobShape | null;
}

function tumorShape(label: string, size: number, prng: Prng): BlobShape | null {
  const s = size;
  switch (label) {
    case 'Glioma':
      return { cx: s * (prng.chance(0.5) ? 0.36 : 0.64) + prng.uniform(-0.04, 0.04) * s, cy: s * prng.uniform(0.4, 0.55), rx: s * 0.1, ry: s * 0.085, irregularity: 0.25, phase: prng.uniform(0, 6) };
    case 'Meningioma':
      return { cx: s * prng.uniform(0.4, 0.6), cy: s * 0.2, rx: s * 0.08, ry: s * 0.065 };
    case 'Pituitary Tumor':
      return { cx: s * 0.5 + prng.uniform(-0.015, 0.015) * s, cy: s * 0.66, rx: s * 0.045, ry: s * 0.04 };
    default:
      return null;
  }
}

export const brainTumorMri: DatasetGenerator = {
  layout: 'brain-tumor-mri',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 1] });
    const counters = new Map<string, number>();
    const truth = [];
    const renders: RenderTask[] = [];
    const prng = Prng.derive(seed, dataset.dataset_key, 'geometry');
    for (const item of items) {
      const root = item.split === 'test' ? 'Testing' : 'Training';
      const classFolder = CLASS_FOLDER[item.labels[0]];
      const key = `${root}/${classFolder}`;
      const number = counters.get(key) ?? 0;
      counters.set(key, number + 1);
      const path = `${key}/${root === 'Testing' ? 'Te' : 'Tr'}-${FILE_PREFIX[classFolder]}_${String(number).padStart(4, '0')}.jpg`;
      const size = item.index % 16 === 0 ? 512 : 256;
      const tumor = tumorShape(item.latent[0], size, prng);
      const boxes: Array<{ label: string; box: Box }> = [];
      if (tumor) {
        const reach = (tumor.irregularity ?? 0) + 1;
        boxes.push({ label: item.latent[0], box: [Math.floor(tumor.cx - tumor.rx * reach), Math.floor(tumor.cy - tumor.ry * reach), Math.ceil(tumor.cx + tumor.rx * reach), Math.ceil(tumor.cy + tumor.ry * reach)] });
      }
      truth.push(truthOf(dataset, item, { id: path, patientId: `mri${item.patient}`, boxes, format: { width: size, height: size } }));
      renders.push({ layout: 'brain-tumor-mri', folder: dataset.folder, seed, index: item.index, params: { label: item.latent[0], path, signal: item.signal, size, tumor } satisfies BrainRender });
    }
    return { truth, renders, indexFiles: [] };
  },
  async render(task, outputRoot) {
    const params = task.params as BrainRender;
    const prng = Prng.derive(task.seed, 'brain-tumor-mri', task.index);
    const s = params.size;
    const raster = new Raster(s, s, 4);
    raster.blob({ cx: s / 2, cy: s / 2, rx: s * 0.4, ry: s * 0.46 }, 150, 2);
    raster.blob({ cx: s / 2, cy: s / 2, rx: s * 0.37, ry: s * 0.43 }, -60, 2);
    raster.blob({ cx: s / 2, cy: s / 2, rx: s * 0.35, ry: s * 0.41 }, 15, 3);
    raster.blob({ cx: s * 0.46, cy: s * 0.47, rx: s * 0.025, ry: s * 0.09, angle: 0.15 }, -60, 2);
    raster.blob({ cx: s * 0.54, cy: s * 0.47, rx: s * 0.025, ry: s * 0.09, angle: -0.15 }, -60, 2);
    raster.smoothNoise(prng, 10, s / 12);
    const contrast = 40 + 110 * params.signal;
    if (params.tumor) {
      if (params.label === 'Glioma') {
        raster.blob(params.tumor, contrast, 2);
        raster.blob({ ...params.tumor, rx: params.tumor.rx * 0.6, ry: params.tumor.ry * 0.6 }, -contrast * 0.9, 2);
      } else {
        raster.blob(params.tumor, contrast, 1.5);
      }
    }
    raster.noise(prng, 9);
    const bytes = await encodeJpeg(raster.toUint8(), s, s, 1, 90);
    writeFileMakingFolders(itemPath(outputRoot, task, params.path), bytes);
  },
};
