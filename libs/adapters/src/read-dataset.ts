// The entry point: a dataset folder + its catalog entry → source samples and rejects, in a fixed order.
import type { Catalog, LayoutId, LayoutSpec } from '@qoq/catalog';
import { resolve } from 'node:path';
import type { AdapterOptions } from './adapter-options';
import type { Adapter } from './adapter-context';
import { readBusi } from './layouts/busi';
import { readCbisDdsm } from './layouts/cbis-ddsm';
import { readChexpert } from './layouts/chexpert';
import { readCoronahack } from './layouts/coronahack';
import { readCsvFileLabel } from './layouts/csv-file-label';
import { readFolderPerClass } from './layouts/folder-per-class';
import { readHam10000, readIsic2018Task3 } from './layouts/ham10000';
import { readMimicCxr } from './layouts/mimic-cxr';
import { readPhysionet2021 } from './layouts/physionet-2021';
import { readPtbXl } from './layouts/ptb-xl';
import { readRspect } from './layouts/rspect';
import { readVindrCxr } from './layouts/vindr-cxr';
import { readVindrMammo } from './layouts/vindr-mammo';
import { AdapterError, type AdapterItem } from './source-sample';

// ISIC 2020, PAD-UFES-20, APTOS, Messidor-2 and COVID-19 Radiography have dedicated ids in the
// catalog's schema but their entries use the generic layouts, which read them completely.
const ADAPTERS: Partial<Record<LayoutId, Adapter>> = {
  'ptb-xl': readPtbXl,
  'physionet-2021': readPhysionet2021,
  'mimic-cxr': readMimicCxr,
  chexpert: readChexpert,
  'vindr-cxr': readVindrCxr,
  'vindr-mammo': readVindrMammo,
  'cbis-ddsm': readCbisDdsm,
  ham10000: readHam10000,
  'isic2018-task3': readIsic2018Task3,
  busi: readBusi,
  coronahack: readCoronahack,
  rspect: readRspect,
  'csv-file-label': readCsvFileLabel,
  'folder-per-class': readFolderPerClass,
};

/** Layout ids this library reads. */
export const SUPPORTED_LAYOUTS: readonly LayoutId[] = Object.keys(ADAPTERS) as LayoutId[];

export interface ReadDatasetRequest {
  catalog: Catalog;
  datasetKey: string;
  /** The downloaded dataset folder. */
  root: string;
  /** A layout id of the dataset's catalog entry; default: its first (data-specs/README.md). */
  layout?: LayoutId;
  options?: AdapterOptions;
}

/**
 * Source samples and per-sample rejects of one dataset, sorted by media path (RSPECT: train.csv order).
 * Throws AdapterError when the dataset as a whole cannot be read (missing CSV, column, folder, layout).
 */
export async function* readDataset(request: ReadDatasetRequest): AsyncGenerator<AdapterItem> {
  const dataset = request.catalog.dataset(request.datasetKey);
  const layout: LayoutSpec | undefined = request.layout === undefined ? dataset.layouts[0] : dataset.layouts.find((candidate) => candidate.id === request.layout);
  if (layout === undefined) {
    const known = dataset.layouts.map((candidate) => candidate.id).join(', ') || 'none';
    throw new AdapterError('ADAPTER_LAYOUT_UNSUPPORTED', `${dataset.dataset_key} has no layout ${request.layout ?? ''} (catalog layouts: ${known})`, '');
  }
  const adapter = ADAPTERS[layout.id];
  if (adapter === undefined) throw new AdapterError('ADAPTER_LAYOUT_UNSUPPORTED', `layout "${layout.id}" of ${dataset.dataset_key} has no adapter`, '');
  yield* adapter({ catalog: request.catalog, dataset, layout, root: resolve(request.root), options: request.options ?? {} });
}
