// LC25000 (datasets.md): lung_image_sets/{lung_aca, lung_n, lung_scc}/*.jpeg and
// colon_image_sets/{colon_aca, colon_n}/*.jpeg, the folder being the class. Histology is drawn as
// eosin-pink stroma with hematoxylin-purple nuclei; each class has its own architecture (alveoli,
// glands, keratin pearls, crypts) and nuclear density, size and stain intensity.
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodeJpeg } from '../formats/image-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';
import { Raster, interleaveRgb } from '../raster';

const CLASS_FOLDER: Record<string, string> = {
  'Lung Adenocarcinoma': 'lung_image_sets/lung_aca',
  'Benign Lung Tissue': 'lung_image_sets/lung_n',
  'Lung Squamous Cell Carcinoma': 'lung_image_sets/lung_scc',
  'Colon Adenocarcinoma': 'colon_image_sets/colon_aca',
  'Benign Colon Tissue': 'colon_image_sets/colon_n',
};

// Per class: nuclei count per 10k px, nucleus radius, purple stain, lumen (white spaces) count and size.
const HISTOLOGY: Record<string, { nuclei: number; radius: number; stain: number; lumens: number; lumenRadius: number; pearls: number }> = {
  'Lung Adenocarcinoma': { nuclei: 60, radius: 3.2, stain: 0.9, lumens: 5, lumenRadius: 9, pearls: 0 },
  'Benign Lung Tissue': { nuclei: 12, radius: 2.2, stain: 0.5, lumens: 9, lumenRadius: 14, pearls: 0 },
  'Lung Squamous Cell Carcinoma': { nuclei: 45, radius: 3.8, stain: 0.8, lumens: 0, lumenRadius: 0, pearls: 4 },
  'Colon Adenocarcinoma': { nuclei: 80, radius: 3.0, stain: 1.0, lumens: 3, lumenRadius: 7, pearls: 0 },
  'Benign Colon Tissue': { nuclei: 30, radius: 2.4, stain: 0.6, lumens: 8, lumenRadius: 8, pearls: 0 },
};

interface Lc25000Render {
  readonly label: string;
  readonly path: string;
  readonly signal: number;
  readonly size: number;
}

export const lc25000: DatasetGenerator = {
  layout: 'lc25000',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 1] });
    const counters = new Map<string, number>();
    const truth = [];
    const renders: RenderTask[] = [];
    for (const item of items) {
      const folder = CLASS_FOLDER[item.labels[0]];
      const number = (counters.get(folder) ?? 0) + 1;
      counters.set(folder, number);
      const prefix = folder.split('/')[1].replace('_', '');
      const path = `${folder}/${prefix}${number}.jpeg`;
      const size = item.index % 500 === 13 ? 1200 : 128;
      truth.push(truthOf(dataset, item, { id: path, patientId: `slide${item.patient}`, format: { width: size, height: size } }));
      renders.push({ layout: 'lc25000', folder: dataset.folder, seed, index: item.index, params: { label: item.latent[0], path, signal: item.signal, size } satisfies Lc25000Render });
    }
    return { truth, renders, indexFiles: [] };
  },
  async render(task, outputRoot) {
    const params = task.params as Lc25000Render;
    const prng = Prng.derive(task.seed, 'lc25000', task.index);
    const histology = HISTOLOGY[params.label];
    const size = params.size;
    const scale = size / 128;
    // Hematoxylin (purple) and eosin (pink) stain densities, then mapped to RGB by Beer-Lambert-like mixing.
    const eosin = new Raster(size, size, 0.55);
    const hematoxylin = new Raster(size, size, 0.05);
    eosin.smoothNoise(prng, 0.08, 16 * scale);
    const mix = params.signal;
    for (let lumen = 0; lumen < histology.lumens; lumen += 1) {
      const shape = { cx: prng.uniform(0, size), cy: prng.uniform(0, size), rx: histology.lumenRadius * scale * prng.uniform(0.7, 1.3), ry: histology.lumenRadius * scale * prng.uniform(0.6, 1.1), angle: prng.uniform(0, 3) };
      eosin.blob(shape, -0.5 * mix, 1.5);
    }
    for (let pearl = 0; pearl < histology.pearls; pearl += 1) {
      eosin.blob({ cx: prng.uniform(0, size), cy: prng.uniform(0, size), rx: 12 * scale, ry: 12 * scale }, 0.35 * mix, 3);
    }
    const nuclei = Math.round(((histology.nuclei * mix + 35 * (1 - mix)) * size * size) / 10000);
    const radius = (histology.radius * mix + 3 * (1 - mix)) * scale;
    for (let nucleus = 0; nucleus < nuclei; nucleus += 1) {
      hematoxylin.blob({ cx: prng.uniform(0, size), cy: prng.uniform(0, size), rx: radius * prng.uniform(0.8, 1.2), ry: radius * prng.uniform(0.6, 1.0), angle: prng.uniform(0, 3) }, histology.stain * mix + 0.75 * (1 - mix), 1);
    }
    hematoxylin.noise(prng, 0.03);
    eosin.noise(prng, 0.03);
    const red = new Raster(size, size);
    const green = new Raster(size, size);
    const blue = new Raster(size, size);
    for (let index = 0; index < size * size; index += 1) {
      const e = Math.max(0, eosin.pixels[index]);
      const h = Math.max(0, hematoxylin.pixels[index]);
      red.pixels[index] = 255 * Math.exp(-(0.1 * e + 0.9 * h));
      green.pixels[index] = 255 * Math.exp(-(0.9 * e + 1.2 * h));
      blue.pixels[index] = 255 * Math.exp(-(0.3 * e + 0.4 * h));
    }
    const bytes = await encodeJpeg(interleaveRgb(red, green, blue), size, size, 3, 85);
    writeFileMakingFolders(itemPath(outputRoot, task, params.path), bytes);
  },
};
