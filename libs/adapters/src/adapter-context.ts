// What every adapter receives: the catalog (the only source of label knowledge), the dataset's entry,
// the layout read, the dataset folder and the label policies.
import type { Catalog, DatasetSpec, LayoutSpec } from '@qoq/catalog';
import type { AdapterOptions } from './adapter-options';
import type { AdapterItem, SourceSample } from './source-sample';

export interface AdapterContext {
  catalog: Catalog;
  dataset: DatasetSpec;
  layout: LayoutSpec;
  /** Absolute path of the dataset folder; every path in a sample is relative to it. */
  root: string;
  options: AdapterOptions;
}

export type Adapter = (context: AdapterContext) => AsyncIterable<AdapterItem>;

/** A sample of this dataset with the fields every adapter fills the same way. */
export function newSample(context: AdapterContext, fields: Omit<SourceSample, 'datasetKey' | 'mediaKind'>): SourceSample {
  return { datasetKey: context.dataset.dataset_key, mediaKind: context.dataset.media_kind, ...fields };
}
