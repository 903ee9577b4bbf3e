// Generic "folder per class" (data-specs/README.md "Layouts"): <root>/<class folder>/[<media_subfolder>/]<file>,
// class folders mapped through class_code_system, split per root. A class folder that maps to no
// answer is one ADAPTER_UNKNOWN_LABEL reject (not one per file). COVID-19 Radiography reads
// <class>/images/ only, so its masks/ (lung outlines, not lesions) are never used as ground truth.
// Row granularity: one sample per file. Patient key: the file's path (no patient id is published).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { FolderPerClassLayout } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { compareCodeUnits, isDirectory } from '../dataset-files';
import { AdapterError, rejectItem, sampleItem } from '../source-sample';

export const readFolderPerClass: Adapter = async function* (context) {
  const { root, catalog, dataset } = context;
  const layout = context.layout as FolderPerClassLayout;
  const extensions = new Set(layout.extensions.map((extension) => extension.toLowerCase()));
  const exclude = layout.exclude_name_pattern ? new RegExp(layout.exclude_name_pattern) : null;
  const roots = [...layout.roots].sort((a, b) => compareCodeUnits(a.path, b.path));
  let found = 0;
  for (const layoutRoot of roots) {
    const base = layoutRoot.path === '.' ? '' : `${layoutRoot.path.replace(/\/+$/, '')}/`;
    if (!(await isDirectory(root, base || '.'))) continue;
    found++;
    const entries = await readdir(join(root, base), { withFileTypes: true });
    const classFolders = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort(compareCodeUnits);
    for (const classFolder of classFolders) {
      const label = catalog.mapRawCode(dataset.dataset_key, layout.class_code_system, classFolder);
      if (label === null) {
        yield rejectItem('ADAPTER_UNKNOWN_LABEL', `${base}${classFolder}`, `folder "${classFolder}" maps to no answer of ${dataset.dataset_key}`);
        continue;
      }
      const mediaFolder = `${base}${classFolder}${layout.media_subfolder ? `/${layout.media_subfolder}` : ''}`;
      if (!(await isDirectory(root, mediaFolder))) {
        yield rejectItem('ADAPTER_MEDIA_MISSING', mediaFolder, 'class folder has no media folder');
        continue;
      }
      const files = (await readdir(join(root, mediaFolder), { withFileTypes: true }))
        .filter((entry) => entry.isFile())
        .map((entry) => entry.name)
        .filter((name) => extensions.has(name.slice(name.lastIndexOf('.')).toLowerCase()) && !(exclude?.test(name) ?? false))
        .sort(compareCodeUnits);
      for (const name of files) {
        const media = `${mediaFolder}/${name}`;
        yield sampleItem(newSample(context, {
          media: [media],
          labels: [label],
          rawCodes: [{ codeSystem: layout.class_code_system, code: classFolder }],
          boxes: [],
          masks: [],
          patientKey: media,
          officialSplit: layoutRoot.split ?? null,
          attributes: {},
        }));
      }
    }
  }
  if (found === 0) throw new AdapterError('ADAPTER_FOLDER_MISSING', `none of the roots ${roots.map((r) => r.path).join(', ')} exists`, roots[0]?.path ?? '.');
};
