// APTOS 2019 (datasets.md): train.csv (id_code, diagnosis 0–4) and train_images/<id_code>.png. A
// fundus photograph: circular field of view, optic disc, vessels; the DR grade is the lesion load —
// microaneurysms (mild), plus hard exudates (moderate), plus blot hemorrhages (severe), plus
// neovascularization at the disc (proliferative).
import { csvText } from '../csv-text';
import { itemPath, writeFileMakingFolders, type DatasetGenerator, type PlanContext, type RenderTask } from '../dataset-generator';
import { encodePng } from '../formats/image-file';
import { planItems, truthOf } from '../item-plan';
import { Prng } from '../prng';
import { Raster, interleaveRgb } from '../raster';

interface AptosRender {
  readonly grade: number;
  readonly path: string;
  readonly signal: number;
  readonly size: number;
}

export const aptos: DatasetGenerator = {
  layout: 'aptos',
  plan({ spec, dataset, seed, scale }: PlanContext) {
    const items = planItems(spec, dataset, scale, seed, { perPatient: [1, 1] });
    const prng = Prng.derive(seed, dataset.dataset_key, 'ids');
    const truth = [];
    const renders: RenderTask[] = [];
    const rows: Array<[string, number]> = [];
    for (const item of items) {
      const idCode = Array.from({ length: 12 }, () => '0123456789abcdef'[prng.int(16)]).join('');
      const path = `train_images/${idCode}.png`;
      const size = item.index === 7 ? 1200 : 192;
      rows.push([idCode, dataset.labels.indexOf(item.labels[0])]);
      truth.push(truthOf(dataset, item, { id: path, patientId: `eye${item.patient}`, format: { width: size, height: size } }));
      renders.push({ layout: 'aptos', folder: dataset.folder, seed, index: item.index, params: { grade: dataset.labels.indexOf(item.latent[0]), path, signal: item.signal, size } satisfies AptosRender });
    }
    // The Kaggle CSV is in no particular order; ours is sorted by id_code for determinism.
    rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
    return { truth, renders, indexFiles: [{ path: 'train.csv', content: csvText(['id_code', 'diagnosis'], rows) }] };
  },
  async render(task, outputRoot) {
    const params = task.params as AptosRender;
    const prng = Prng.derive(task.seed, 'aptos', task.index);
    const s = params.size;
    const u = s / 192;
    const red = new Raster(s, s);
    const green = new Raster(s, s);
    const blue = new Raster(s, s);
    const fov = { cx: s / 2, cy: s / 2, rx: s * 0.46, ry: s * 0.46 };
    red.blob(fov, 190, 2);
    green.blob(fov, 85, 2);
    blue.blob(fov, 35, 2);
    const discX = s * (prng.chance(0.5) ? 0.3 : 0.7);
    const disc = { cx: discX, cy: s / 2, rx: 13 * u, ry: 14 * u };
    red.blob(disc, 50, 3);
    green.blob(disc, 100, 3);
    blue.blob(disc, 60, 3);
    for (let vessel = 0; vessel < 6; vessel += 1) {
      const angle = (vessel / 6) * 2 * Math.PI + prng.uniform(-0.3, 0.3);
      const length = s * prng.uniform(0.25, 0.38);
      green.line(discX, s / 2, discX + Math.cos(angle) * length, s / 2 + Math.sin(angle) * length, 2.5 * u, 20);
    }
    const load = params.grade * params.signal;
    const inField = () => {
      const angle = prng.uniform(0, 2 * Math.PI);
      const radius = s * 0.4 * Math.sqrt(prng.next());
      return { cx: s / 2 + Math.cos(angle) * radius, cy: s / 2 + Math.sin(angle) * radius };
    };
    for (let index = 0; index < Math.round(16 * load); index += 1) {
      const at = inField();
      const r = 1.8 * u;
      green.blob({ ...at, rx: r, ry: r }, -60, 0.8);
      blue.blob({ ...at, rx: r, ry: r }, -25, 0.8);
    }
    if (params.grade >= 2) {
      for (let index = 0; index < Math.round(8 * load); index += 1) {
        const at = inField();
        const r = prng.uniform(2, 4) * u;
        red.blob({ ...at, rx: r, ry: r * 0.8 }, 50, 1);
        green.blob({ ...at, rx: r, ry: r * 0.8 }, 120, 1);
      }
    }
    if (params.grade >= 3) {
      for (let index = 0; index < Math.round(5 * load); index += 1) {
        const at = inField();
        const r = prng.uniform(5, 8) * u;
        red.blob({ ...at, rx: r, ry: r, irregularity: 0.2, phase: prng.uniform(0, 6) }, -70, 1.5);
        green.blob({ ...at, rx: r, ry: r, irregularity: 0.2, phase: prng.uniform(0, 6) }, -60, 1.5);
      }
    }
    if (params.grade === 4) {
      for (let loop = 0; loop < Math.round(10 * params.signal); loop += 1) {
        const angle = prng.uniform(0, 2 * Math.PI);
        red.line(discX, s / 2, discX + Math.cos(angle) * 30 * u, s / 2 + Math.sin(angle) * 30 * u, 1.6 * u, 255);
      }
    }
    for (const channel of [red, green, blue]) {
      channel.smoothNoise(prng, 6, 24 * u);
      channel.noise(prng, 0.8);
      // Outside the field of view the camera sees black.
      channel.multiply((x, y) => (Math.hypot(x + 0.5 - s / 2, y + 0.5 - s / 2) <= s * 0.46 ? 1 : 0));
    }
    writeFileMakingFolders(itemPath(outputRoot, task, params.path), await encodePng(interleaveRgb(red, green, blue), s, s, 3));
  },
};
