// The 14 CheXpert labeler columns (CheXpert train.csv / valid.csv and MIMIC-CXR's
// mimic-cxr-2.0.0-chexpert.csv): 1.0 positive, 0.0 negative, −1.0 uncertain, empty = not mentioned.
import type { RawCode } from '@qoq/catalog';
import { uncertaintyPolicyFor } from './adapter-options';
import type { AdapterContext } from './adapter-context';

const CODE_SYSTEM = 'chexpert-column';
const NO_FINDING = 'No Finding';

export type ChexpertOutcome =
  | { kind: 'labels'; labels: string[]; rawCodes: RawCode[] }
  | { kind: 'ignored'; label: string }
  | { kind: 'bad-value'; column: string; value: string }
  | { kind: 'no-label' };

/** The label columns of this dataset: the keys of its `chexpert-column` code mapping (from the catalog). */
export function chexpertColumns(context: AdapterContext): string[] {
  const mapping = context.dataset.code_mappings.find((candidate) => candidate.code_system === CODE_SYSTEM);
  return mapping ? Object.keys(mapping.map) : [];
}

function cellState(value: string): 'positive' | 'negative' | 'uncertain' | 'absent' | null {
  const trimmed = value.trim();
  if (trimmed === '') return 'absent';
  const number = Number(trimmed);
  if (number === 1) return 'positive';
  if (number === 0) return 'negative';
  if (number === -1) return 'uncertain';
  return null;
}

/** Applies the uncertainty and No Finding policies to one row of labeler columns. */
export function chexpertLabels(context: AdapterContext, values: Record<string, string>): ChexpertOutcome {
  const { catalog, dataset, options } = context;
  const positives: string[] = [];
  const rawCodes: RawCode[] = [];
  for (const column of chexpertColumns(context)) {
    const value = values[column] ?? '';
    const state = cellState(value);
    if (state === null) return { kind: 'bad-value', column, value };
    if (state === 'absent') continue;
    rawCodes.push({ codeSystem: CODE_SYSTEM, code: `${column}=${value.trim()}` });
    const answer = catalog.mapRawCode(dataset.dataset_key, CODE_SYSTEM, column);
    if (answer === null) continue;
    if (state === 'positive') positives.push(answer);
    if (state === 'uncertain') {
      const policy = uncertaintyPolicyFor(options, answer);
      if (policy === 'ignore') return { kind: 'ignored', label: answer };
      if (policy === 'ones') positives.push(answer);
    }
  }
  let labels = positives;
  if ((options.noFinding ?? 'consistent') === 'consistent') {
    // "No Finding" only when nothing else is positive, Support Devices included (a text answer
    // "Support Devices, No Finding" reads as a contradiction), and a record with nothing positive is "No Finding".
    if (labels.some((label) => label !== NO_FINDING)) labels = labels.filter((label) => label !== NO_FINDING);
    else labels = [NO_FINDING];
  }
  if (labels.length === 0) return { kind: 'no-label' };
  return { kind: 'labels', labels: catalog.inCatalogOrder(dataset.dataset_key, labels), rawCodes };
}
