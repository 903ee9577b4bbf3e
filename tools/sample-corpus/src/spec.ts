// The spec table (../spec.json) as typed data: which datasets, how many items per split, how hard.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Split = 'train' | 'validation' | 'test';
export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];
export type RarityTier = 'common' | 'medium' | 'rare';
export type DifficultyTier = 'easy' | 'medium' | 'hard';
export type LabelTask = 'single-label' | 'multi-label';

export interface DifficultyKnobs {
  /** Class signal relative to the easy tier (1.0): lesion contrast, morphology amplitude. */
  readonly signal: number;
  /** Fraction of items whose recorded labels differ from the rendered (latent) ones. */
  readonly labelNoise: number;
  /** The learnability promise: reach chance + promisedLift × (1 − chance) on the test split. */
  readonly promisedLift: number;
}

export interface DatasetSpec {
  readonly dataset_key: string;
  /** `ecg`, `chest_xray`, … — the first component of dataset_key. */
  readonly domain: string;
  readonly layout: string;
  readonly folder: string;
  readonly rarity: RarityTier;
  readonly difficulty: DifficultyTier;
  readonly task: LabelTask;
  readonly labels: readonly string[];
  readonly priors: readonly number[];
  readonly media: string;
}

export interface CorpusSpec {
  readonly defaultSeed: number;
  readonly splits: { readonly validation: number; readonly test: number };
  readonly rarityTiers: Record<RarityTier, { readonly train: number }>;
  readonly difficultyTiers: Record<DifficultyTier, DifficultyKnobs>;
  readonly learnability: { readonly shuffledMargin: number };
  readonly datasets: readonly DatasetSpec[];
}

export const SPEC_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'spec.json');

export function loadSpec(path = SPEC_PATH): CorpusSpec {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Omit<CorpusSpec, 'datasets'> & { datasets: Array<Omit<DatasetSpec, 'domain'>> };
  // The domain is the modality folder of the dataset key (design.md "Words").
  const spec: CorpusSpec = { ...raw, datasets: raw.datasets.map((dataset) => ({ ...dataset, domain: dataset.dataset_key.split('/')[0] })) };
  for (const dataset of spec.datasets) {
    if (dataset.labels.length !== dataset.priors.length) {
      throw new Error(`spec.json: ${dataset.dataset_key} has ${dataset.labels.length} labels but ${dataset.priors.length} priors`);
    }
    if (!(dataset.rarity in spec.rarityTiers) || !(dataset.difficulty in spec.difficultyTiers)) {
      throw new Error(`spec.json: ${dataset.dataset_key} names an unknown tier`);
    }
  }
  return spec;
}

/**
 * Items per split: the tier's count times `scale` (tests use a reduced scale), rounded, at least one.
 * At scale 1 this is exactly the spec table.
 */
export function splitCounts(spec: CorpusSpec, dataset: DatasetSpec, scale: number): Record<Split, number> {
  const scaled = (count: number) => Math.max(1, Math.round(count * scale));
  return {
    train: scaled(spec.rarityTiers[dataset.rarity].train),
    validation: scaled(spec.splits.validation),
    test: scaled(spec.splits.test),
  };
}

/** The chance level of the learnability metric (balanced accuracy): 1/K, or 0.5 per label. */
export function chanceLevel(dataset: DatasetSpec): number {
  return dataset.task === 'multi-label' ? 0.5 : 1 / dataset.labels.length;
}

/** The accuracy a dataset's difficulty tier promises for a simple supervised model on its test split. */
export function promisedAccuracy(spec: CorpusSpec, dataset: DatasetSpec): number {
  const chance = chanceLevel(dataset);
  return chance + spec.difficultyTiers[dataset.difficulty].promisedLift * (1 - chance);
}
