import { afterEach, describe, expect, it } from 'vitest';
import { catalog, cleanTrees, readAll, writeTree } from './test-tree.spec-helper';
import { SUPPORTED_LAYOUTS } from './read-dataset';

afterEach(cleanTrees);

describe('readDataset', () => {
  it('has an adapter for the default layout of every verified catalog dataset', () => {
    const unsupported = catalog
      .datasets({ status: 'verified' })
      .filter((dataset) => !SUPPORTED_LAYOUTS.includes(dataset.layouts[0]?.id))
      .map((dataset) => `${dataset.dataset_key}: ${dataset.layouts[0]?.id ?? 'no layout'}`);
    expect(unsupported).toEqual([]);
  });

  it('refuses a layout the dataset does not list, and a dataset without a layout', async () => {
    await expect(readAll('derm/ham10000', writeTree({}), {}, 'busi')).rejects.toMatchObject({ code: 'ADAPTER_LAYOUT_UNSUPPORTED' });
    await expect(readAll('ct/kits23', writeTree({}))).rejects.toMatchObject({ code: 'ADAPTER_LAYOUT_UNSUPPORTED' });
  });

  it('fails a folder-per-class dataset whose roots are all missing', async () => {
    await expect(readAll('mri/brain_tumor', writeTree({ 'other/x.jpg': 'x' }))).rejects.toMatchObject({ code: 'ADAPTER_FOLDER_MISSING' });
  });
});
