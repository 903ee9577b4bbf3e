// A frontal chest radiograph in miniature: body, two lungs, mediastinum and heart, and each finding
// drawn where a radiologist looks for it (cardiomegaly widens the heart, effusion fills a costophrenic
// angle, pneumothorax darkens an apex, devices are bright lines). Findings are keyed by a canonical
// name; each dataset maps its label strings to these keys. Intensities are 0..1 (1 = densest).
import type { Prng } from './prng';
import { Raster } from './raster';
import type { Box } from './truth';

export type ChestFinding =
  | 'atelectasis'
  | 'cardiomegaly'
  | 'consolidation'
  | 'edema'
  | 'mediastinum'
  | 'fracture'
  | 'lesion'
  | 'opacity'
  | 'effusion'
  | 'pneumonia'
  | 'pneumothorax'
  | 'pleural-other'
  | 'devices'
  | 'aortic';

/** The CheXpert / MIMIC-CXR label strings and VinDr-CXR column names, mapped to drawn findings. */
export const CHEST_FINDING_OF_LABEL: Readonly<Record<string, ChestFinding>> = {
  Atelectasis: 'atelectasis',
  Cardiomegaly: 'cardiomegaly',
  Consolidation: 'consolidation',
  Edema: 'edema',
  'Enlarged Cardiomediastinum': 'mediastinum',
  Fracture: 'fracture',
  'Lung Lesion': 'lesion',
  'Lung Opacity': 'opacity',
  'Pleural Effusion': 'effusion',
  Pneumonia: 'pneumonia',
  Pneumothorax: 'pneumothorax',
  'Pleural Other': 'pleural-other',
  'Support Devices': 'devices',
  'Aortic enlargement': 'aortic',
  'Pleural effusion': 'effusion',
  'Nodule/Mass': 'lesion',
};

export interface ChestScene {
  readonly raster: Raster;
  /** One box per drawn finding label, in pixels. */
  readonly boxes: Array<{ label: string; box: Box }>;
}

export function drawChestXray(labels: readonly string[], signal: number, prng: Prng, width: number, height: number): ChestScene {
  const raster = new Raster(width, height, 0.12);
  const jitter = () => prng.uniform(-0.025, 0.025);
  const px = (fraction: number) => fraction * width;
  const py = (fraction: number) => fraction * height;
  raster.blob({ cx: px(0.5), cy: py(0.55), rx: px(0.44), ry: py(0.52) }, 0.38, 4);
  raster.blob({ cx: px(0.31 + jitter()), cy: py(0.46), rx: px(0.15), ry: py(0.29) }, -0.26, 3);
  raster.blob({ cx: px(0.69 + jitter()), cy: py(0.46), rx: px(0.15), ry: py(0.29) }, -0.26, 3);
  const findings = new Set(labels.map((label) => CHEST_FINDING_OF_LABEL[label]).filter((finding) => finding !== undefined));
  const boxes: Array<{ label: string; box: Box }> = [];
  const strength = 0.1 + 0.3 * signal;
  const boxOf = (finding: ChestFinding, box: Box) => {
    for (const label of labels) if (CHEST_FINDING_OF_LABEL[label] === finding) boxes.push({ label, box });
  };

  const mediastinumWidth = findings.has('mediastinum') ? 0.06 * (1 + 1.2 * signal) : 0.06;
  const mediastinum = raster.blob({ cx: px(0.5), cy: py(0.36), rx: px(mediastinumWidth), ry: py(0.2) }, 0.3, 2);
  if (findings.has('mediastinum')) boxOf('mediastinum', mediastinum);
  const heartWidth = findings.has('cardiomegaly') ? 0.12 * (1 + 0.7 * signal) : 0.12;
  const heart = raster.blob({ cx: px(0.54 + jitter() / 2), cy: py(0.64), rx: px(heartWidth), ry: py(0.12) }, 0.32, 2);
  if (findings.has('cardiomegaly')) boxOf('cardiomegaly', heart);
  raster.blob({ cx: px(0.5), cy: py(0.98), rx: px(0.45), ry: py(0.14) }, 0.3, 4);

  if (findings.has('aortic')) {
    boxOf('aortic', raster.blob({ cx: px(0.585 + jitter() / 2), cy: py(0.27), rx: px(0.045 * (1 + signal)), ry: py(0.045 * (1 + signal)) }, strength + 0.1, 1.5));
  }
  if (findings.has('effusion')) {
    const side = prng.chance(0.5) ? 0.3 : 0.7;
    boxOf('effusion', raster.blob({ cx: px(side), cy: py(0.72 + jitter()), rx: px(0.14), ry: py(0.1) }, strength + 0.08, 3));
  }
  if (findings.has('pneumothorax')) {
    const side = prng.chance(0.5) ? 0.22 : 0.78;
    boxOf('pneumothorax', raster.blob({ cx: px(side), cy: py(0.26 + jitter()), rx: px(0.07), ry: py(0.13) }, -(strength + 0.05), 2));
  }
  if (findings.has('atelectasis')) {
    boxOf('atelectasis', raster.blob({ cx: px(0.66 + jitter()), cy: py(0.6 + jitter()), rx: px(0.11), ry: py(0.035), angle: 0.35 }, strength, 1.5));
  }
  if (findings.has('consolidation')) {
    boxOf('consolidation', raster.blob({ cx: px(0.3 + jitter()), cy: py(0.56 + jitter()), rx: px(0.08), ry: py(0.07), irregularity: 0.2, phase: prng.uniform(0, 6) }, strength, 2));
  }
  if (findings.has('pneumonia')) {
    const cx = px(0.7 + jitter());
    const cy = py(0.52 + jitter());
    boxOf('pneumonia', raster.blob({ cx, cy, rx: px(0.08), ry: py(0.09), irregularity: 0.3, phase: prng.uniform(0, 6) }, strength, 3, (x, y) => 0.6 + 0.4 * Math.sin(x * 0.9 + y * 0.7)));
  }
  if (findings.has('edema')) {
    const left = raster.blob({ cx: px(0.4), cy: py(0.45), rx: px(0.1), ry: py(0.13) }, strength * 0.8, 6);
    const right = raster.blob({ cx: px(0.6), cy: py(0.45), rx: px(0.1), ry: py(0.13) }, strength * 0.8, 6);
    boxOf('edema', [Math.min(left[0], right[0]), Math.min(left[1], right[1]), Math.max(left[2], right[2]), Math.max(left[3], right[3])]);
  }
  if (findings.has('opacity')) {
    boxOf('opacity', raster.blob({ cx: px(0.3 + jitter()), cy: py(0.3 + jitter()), rx: px(0.09), ry: py(0.08), irregularity: 0.15 }, strength, 3));
  }
  if (findings.has('lesion')) {
    const radius = 0.035 * (1 + 0.5 * signal);
    boxOf('lesion', raster.blob({ cx: px(0.36 + 2 * jitter()), cy: py(0.38 + 2 * jitter()), rx: px(radius), ry: px(radius), irregularity: 0.1 }, strength + 0.1, 1.5));
  }
  if (findings.has('fracture')) {
    const y = py(0.4 + jitter());
    raster.line(px(0.8), y, px(0.86), y + py(0.02), Math.max(2, width / 90), 0.35 + strength);
    raster.line(px(0.875), y + py(0.025), px(0.93), y + py(0.05), Math.max(2, width / 90), 0.35 + strength);
    boxOf('fracture', [Math.floor(px(0.79)), Math.floor(y - 2), Math.ceil(px(0.94)), Math.ceil(y + py(0.05) + 2)]);
  }
  if (findings.has('pleural-other')) {
    boxOf('pleural-other', raster.blob({ cx: px(0.17), cy: py(0.45 + jitter()), rx: px(0.022), ry: py(0.18) }, strength, 1.5));
  }
  if (findings.has('devices')) {
    const tubeWidth = Math.max(2, width / 100);
    raster.line(px(0.5), 0, px(0.5), py(0.38), tubeWidth, 0.95);
    const generator = raster.blob({ cx: px(0.76), cy: py(0.17), rx: px(0.05), ry: py(0.035) }, 0.7, 1);
    raster.line(px(0.76), py(0.17), px(0.56), py(0.6), tubeWidth, 0.9);
    boxOf('devices', [Math.min(generator[0], Math.floor(px(0.5) - tubeWidth)), 0, generator[2], Math.ceil(py(0.6) + tubeWidth)]);
  }
  raster.smoothNoise(prng, 0.03, Math.max(8, width / 10));
  raster.noise(prng, 0.018);
  return { raster, boxes };
}
