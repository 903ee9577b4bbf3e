// Every layout the sample corpus writes, by layout id (spec.json's `layout`).
import type { DatasetGenerator } from './dataset-generator';
import { aptos } from './datasets/aptos';
import { brainTumorMri } from './datasets/brain-tumor-mri';
import { busi } from './datasets/busi';
import { chapman } from './datasets/chapman';
import { chexpert } from './datasets/chexpert';
import { ham10000 } from './datasets/ham10000';
import { lc25000 } from './datasets/lc25000';
import { mimicCxr } from './datasets/mimic-cxr';
import { ptbxl } from './datasets/ptb-xl';
import { rspect } from './datasets/rspect';
import { vindrCxr } from './datasets/vindr-cxr';
import { vindrMammo } from './datasets/vindr-mammo';

const ALL: readonly DatasetGenerator[] = [ptbxl, chapman, mimicCxr, chexpert, vindrCxr, vindrMammo, ham10000, aptos, lc25000, busi, brainTumorMri, rspect];

export const GENERATORS: ReadonlyMap<string, DatasetGenerator> = new Map(ALL.map((generator) => [generator.layout, generator]));

export function generatorFor(layout: string): DatasetGenerator {
  const generator = GENERATORS.get(layout);
  if (!generator) throw new Error(`no generator for layout ${layout}`);
  return generator;
}
