// Which items a dataset has: split, patient, latent labels (what the media show) and recorded labels
// (after the difficulty tier's label noise). Plans are small plain objects, cheap to send to workers.
import { Prng } from './prng';
import { SPLITS, splitCounts, type CorpusSpec, type DatasetSpec, type Split } from './spec';
import type { TruthItem } from './truth';

export interface PlannedItem {
  /** Position in the dataset, 0-based, train then validation then test. */
  readonly index: number;
  readonly split: Split;
  /** 0-based patient (or lesion, study owner) number, unique within the dataset. */
  readonly patient: number;
  /** Position of this item among its patient's items. */
  readonly visit: number;
  readonly latent: readonly string[];
  readonly labels: readonly string[];
  readonly labelNoise: boolean;
  /** The tier's signal times a per-item jitter. */
  readonly signal: number;
}

export interface PlanOptions {
  /** Items per patient, drawn uniformly in [min, max]; patients never cross splits. */
  readonly perPatient: readonly [number, number];
}

const NO_FINDING = /^no finding$/i;

/** Largest-remainder quotas so that every split holds the priors' proportions (stratified). */
function quotas(priors: readonly number[], count: number): number[] {
  const total = priors.reduce((sum, prior) => sum + prior, 0);
  const exact = priors.map((prior) => (prior / total) * count);
  const floors = exact.map(Math.floor);
  let left = count - floors.reduce((sum, value) => sum + value, 0);
  const byRemainder = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) }));
  byRemainder.sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    floors[index] += 1;
    left -= 1;
  }
  return floors;
}

/** 1–3 findings weighted by prior, or "No Finding" alone (multi-label chest X-ray). */
function drawFindings(dataset: DatasetSpec, prng: Prng): string[] {
  const noFindingIndex = dataset.labels.findIndex((label) => NO_FINDING.test(label));
  const priors = dataset.priors;
  if (noFindingIndex >= 0 && prng.chance(priors[noFindingIndex])) return [dataset.labels[noFindingIndex]];
  const count = 1 + prng.weighted([0.5, 0.35, 0.15]);
  const weights = priors.map((prior, index) => (index === noFindingIndex ? 0 : prior));
  const chosen = new Set<number>();
  while (chosen.size < count) {
    const index = prng.weighted(weights);
    chosen.add(index);
    weights[index] = 0;
  }
  return [...chosen].sort((a, b) => a - b).map((index) => dataset.labels[index]);
}

export function planItems(spec: CorpusSpec, dataset: DatasetSpec, scale: number, seed: number, options: PlanOptions): PlannedItem[] {
  const counts = splitCounts(spec, dataset, scale);
  const knobs = spec.difficultyTiers[dataset.difficulty];
  const prng = Prng.derive(seed, dataset.dataset_key, 'plan');
  const items: PlannedItem[] = [];
  let patient = 0;
  for (const split of SPLITS) {
    const count = counts[split];
    let latents: string[][];
    if (dataset.task === 'single-label') {
      latents = quotas(dataset.priors, count).flatMap((quota, index) => Array.from({ length: quota }, () => [dataset.labels[index]]));
      prng.shuffle(latents);
    } else {
      latents = Array.from({ length: count }, () => drawFindings(dataset, prng));
    }
    let left = 0;
    let visit = 0;
    for (const latent of latents) {
      if (left === 0) {
        if (items.length > 0) patient += 1;
        left = prng.intBetween(options.perPatient[0], options.perPatient[1]);
        visit = 0;
      }
      let labels: readonly string[] = latent;
      const labelNoise = prng.chance(knobs.labelNoise);
      if (labelNoise) {
        if (dataset.task === 'single-label') {
          const others = dataset.labels.filter((label) => label !== latent[0]);
          labels = [prng.pick(others)];
        } else {
          let redrawn = drawFindings(dataset, prng);
          while (redrawn.join() === latent.join()) redrawn = drawFindings(dataset, prng);
          labels = redrawn;
        }
      }
      items.push({
        index: items.length,
        split,
        patient,
        visit,
        latent,
        labels,
        labelNoise,
        signal: Math.round(knobs.signal * prng.uniform(0.85, 1.15) * 1000) / 1000,
      });
      left -= 1;
      visit += 1;
    }
    // The next split starts with left = 0, hence a new patient: splits are patient-disjoint.
  }
  return items;
}

/** The truth.json entry of a planned item. */
export function truthOf(
  dataset: { readonly dataset_key: string; readonly difficulty: TruthItem['knobs']['difficulty'] },
  item: PlannedItem,
  fields: {
    id: string;
    patientId: string;
    boxes?: TruthItem['boxes'];
    format?: TruthItem['format'];
    report?: TruthItem['report'];
    /** When the labels belong to a group (a lesion, a breast), not to the planned item. */
    labels?: { labels: readonly string[]; latent: readonly string[] };
  },
): TruthItem {
  const labels = fields.labels?.labels ?? item.labels;
  const latent = fields.labels?.latent ?? item.latent;
  return {
    dataset_key: dataset.dataset_key,
    id: fields.id,
    split: item.split,
    patient_id: fields.patientId,
    labels,
    boxes: fields.boxes ?? [],
    knobs: { difficulty: dataset.difficulty, signal: item.signal, label_noise: labels.join() !== latent.join(), latent_labels: latent },
    format: fields.format ?? {},
    ...(fields.report ? { report: fields.report } : {}),
  };
}
