// BUSI (datasets.md): Dataset_BUSI_with_GT/{benign,malignant,normal}/benign (1).png with masks
// benign (1)_mask.png and, for images with several lesions, benign (1)_mask_1.png, _mask_2.png….
// Label: the class folder (code system folder). Masks: every mask of the image (segmentation paths,
// _mask first, then _mask_N by N). Boxes: one per mask file, enclosing its foreground (mask-box.ts);
// an all-black mask (normal images) gives none. Row granularity: one sample per image. Patient key:
// the image path (BUSI publishes no patient id).
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { compareCodeUnits, isDirectory } from '../dataset-files';
import { maskBoundingBox } from '../mask-box';
import { AdapterError, rejectItem, sampleItem, type SourceBox } from '../source-sample';

const MASK_NAME = /^(.*)_mask(?:_(\d+))?\.png$/i;

export const readBusi: Adapter = async function* (context) {
  const { root, catalog, dataset } = context;
  const base = (await isDirectory(root, 'Dataset_BUSI_with_GT')) ? 'Dataset_BUSI_with_GT/' : '';
  const classFolders = (await readdir(join(root, base || '.'), { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort(compareCodeUnits);
  let classes = 0;
  for (const classFolder of classFolders) {
    const label = catalog.mapRawCode(dataset.dataset_key, 'folder', classFolder);
    if (label === null) {
      yield rejectItem('ADAPTER_UNKNOWN_LABEL', `${base}${classFolder}`, `folder "${classFolder}" maps to no answer`);
      continue;
    }
    classes++;
    const folder = `${base}${classFolder}`;
    const names = (await readdir(join(root, folder), { withFileTypes: true })).filter((entry) => entry.isFile() && /\.png$/i.test(entry.name)).map((entry) => entry.name);
    const masksOf = new Map<string, Array<{ name: string; index: number }>>();
    const images: string[] = [];
    for (const name of names) {
      const match = MASK_NAME.exec(name);
      if (match) {
        const list = masksOf.get(match[1]) ?? [];
        list.push({ name, index: match[2] === undefined ? 0 : Number(match[2]) });
        masksOf.set(match[1], list);
      } else images.push(name);
    }
    images.sort(compareCodeUnits);
    for (const image of images) {
      const stem = image.slice(0, image.lastIndexOf('.'));
      const masks = (masksOf.get(stem) ?? []).sort((a, b) => a.index - b.index).map((mask) => `${folder}/${mask.name}`);
      masksOf.delete(stem);
      const boxes: SourceBox[] = [];
      let unreadable: string | null = null;
      for (const mask of masks) {
        try {
          const box = await maskBoundingBox(join(root, mask), label);
          if (box) boxes.push(box);
        } catch (error) {
          unreadable = `${mask}: ${(error as Error).message}`;
          break;
        }
      }
      if (unreadable !== null) {
        yield rejectItem('ADAPTER_MASK_UNREADABLE', `${folder}/${image}`, unreadable);
        continue;
      }
      yield sampleItem(newSample(context, {
        media: [`${folder}/${image}`],
        labels: [label],
        rawCodes: [{ codeSystem: 'folder', code: classFolder }],
        boxes,
        masks,
        patientKey: `${folder}/${image}`,
        officialSplit: null,
        attributes: {},
      }));
    }
    for (const [stem, orphans] of [...masksOf].sort(([a], [b]) => compareCodeUnits(a, b))) {
      yield rejectItem('ADAPTER_MEDIA_MISSING', `${folder}/${stem}.png`, `mask(s) ${orphans.map((o) => o.name).join(', ')} without their image`);
    }
  }
  if (classes === 0) throw new AdapterError('ADAPTER_FOLDER_MISSING', 'no benign / malignant / normal folder found', `${base}benign`);
};
