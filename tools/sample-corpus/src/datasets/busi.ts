// BUSI (datasets.md): Dataset_BUSI_with_GT/{benign, malignant, normal}/"benign (1).png" with masks
// "benign (1)_mask.png" and, for a second lesion, "benign (1)_mask_1.png". Breast ultrasound: speckle,
// layered tissue; benign = oval, circumscribed, hypoechoic, wider than tall; malignant = irregular,
// spiculated, taller than wide, with posterior acoustic shadowing. Normal images have an empty mask.
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodePng } from '../formats/image-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';
import { Raster, blobMask, type BlobShape } from '../raster';

interface BusiRender {
  readonly label: string;
  readonly stem: string;
  readonly signal: number;
  readonly width: number;
  readonly height: number;
  readonly lesions: BlobShape[];
}

function lesionShapes(label: string, width: number, height: number, prng: Prng): BlobShape[] {
  const base = { cx: width * prng.uniform(0.35, 0.65), cy: height * prng.uniform(0.4, 0.55) };
  if (label === 'Benign') {
    const lesions: BlobShape[] = [{ ...base, rx: width * prng.uniform(0.1, 0.14), ry: height * prng.uniform(0.07, 0.09), angle: prng.uniform(-0.2, 0.2) }];
    // Some benign images show a second lesion: the `_mask_1.png` case.
    if (prng.chance(0.15)) lesions.push({ cx: base.cx > width / 2 ? width * 0.2 : width * 0.8, cy: height * 0.35, rx: width * 0.06, ry: height * 0.045 });
    return lesions;
  }
  if (label === 'Malignant') return [{ ...base, rx: width * 0.09, ry: height * 0.13, irregularity: 0.22, spikes: 7, spikeLength: 0.35, phase: prng.uniform(0, 6) }];
  return [];
}

export const busi: DatasetGenerator = {
  layout: 'busi',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 1] });
    const counters = new Map<string, number>();
    const truth = [];
    const renders: RenderTask[] = [];
    const prng = Prng.derive(seed, dataset.dataset_key, 'geometry');
    for (const item of items) {
      const classFolder = item.labels[0].toLowerCase();
      const number = (counters.get(classFolder) ?? 0) + 1;
      counters.set(classFolder, number);
      const stem = `Dataset_BUSI_with_GT/${classFolder}/${classFolder} (${number})`;
      const width = 240 + 8 * prng.int(10);
      const height = 180 + 8 * prng.int(8);
      const lesions = lesionShapes(item.latent[0], width, height, prng);
      const boxes = lesions.map((shape) => ({ label: item.latent[0], box: blobMask(width, height, shape).box }));
      truth.push(
        truthOf(dataset, item, {
          id: `${stem}.png`,
          patientId: `busi${item.patient}`,
          boxes,
          format: { width, height, masks: Math.max(1, lesions.length) },
        }),
      );
      renders.push({ layout: 'busi', folder: dataset.folder, seed, index: item.index, params: { label: item.latent[0], stem, signal: item.signal, width, height, lesions } satisfies BusiRender });
    }
    return { truth, renders, indexFiles: [] };
  },
  async render(task, outputRoot) {
    const params = task.params as BusiRender;
    const prng = Prng.derive(task.seed, 'busi', task.index);
    const { width, height } = params;
    const raster = new Raster(width, height, 70);
    // Skin and subcutaneous fat bands, brighter glandular tissue, darker chest wall at depth.
    raster.blob({ cx: width / 2, cy: height * 0.05, rx: width, ry: height * 0.06 }, 60, 3);
    raster.blob({ cx: width / 2, cy: height * 0.3, rx: width, ry: height * 0.12 }, 30, 12);
    raster.blob({ cx: width / 2, cy: height * 0.95, rx: width, ry: height * 0.12 }, -30, 10);
    raster.smoothNoise(prng, 12, 20);
    const contrast = 25 + 45 * params.signal;
    for (const lesion of params.lesions) {
      raster.blob(lesion, -contrast, params.label === 'Malignant' ? 1 : 2.5);
      if (params.label === 'Malignant') {
        // Posterior acoustic shadowing below the lesion.
        raster.blob({ cx: lesion.cx, cy: lesion.cy + lesion.ry * 2.2, rx: lesion.rx * 0.9, ry: lesion.ry * 1.3 }, -contrast * 0.5, 6);
      } else {
        // Posterior acoustic enhancement behind a benign (often cystic) lesion.
        raster.blob({ cx: lesion.cx, cy: lesion.cy + lesion.ry * 2.0, rx: lesion.rx * 0.8, ry: lesion.ry }, contrast * 0.3, 6);
      }
    }
    // Multiplicative speckle.
    for (let index = 0; index < raster.pixels.length; index += 1) raster.pixels[index] *= 1 + 0.15 * prng.tableNormal();
    writeFileMakingFolders(itemPath(outputRoot, task, `${params.stem}.png`), await encodePng(raster.toUint8(), width, height, 1));
    const masks = params.lesions.length === 0 ? [null] : params.lesions;
    for (const [index, lesion] of masks.entries()) {
      const mask = lesion ? blobMask(width, height, lesion).mask : new Uint8Array(width * height);
      const suffix = index === 0 ? '_mask' : `_mask_${index}`;
      writeFileMakingFolders(itemPath(outputRoot, task, `${params.stem}${suffix}.png`), await encodePng(mask, width, height, 1));
    }
  },
};
