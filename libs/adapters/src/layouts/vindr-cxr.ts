// VinDr-CXR 1.0.0 (datasets.md): train/<image_id>.dicom, test/<image_id>.dicom;
// annotations/image_labels_{train,test}.csv (image_id, rad_id, then 0/1 per local finding and global
// label; three radiologists per training image; the test file is the consensus without rad_id) and
// annotations/annotations_{train,test}.csv (image_id, rad_id, class_name, x_min, y_min, x_max, y_max in
// DICOM pixels, empty for "No finding").
// Labels (training): 'majority' (default) keeps a label marked by more than half of the image's readers,
// 'union' by any. "No finding" only when no other label is kept; nothing kept → "No finding".
// Boxes: for each kept localized label, every reader's boxes of it fused by box-fusion.ts (mean of boxes
// overlapping with IoU ≥ 0.5). Row granularity: one sample per image. Patient key: image_id (VinDr-CXR
// publishes no patient id). Split: train / test folders.
import type { RawCode, Split } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { fuseBoxes, type ReaderBox } from '../box-fusion';
import { csvRows, firstFile, isCsvRow, isFile, requiredFile } from '../dataset-files';
import { rejectItem, sampleItem, type AdapterItem, type SourceBox } from '../source-sample';

const NO_FINDING = 'No finding';

interface ImageVotes {
  readers: Set<string>;
  votes: Map<string, Set<string>>; // answer → readers who marked it
  rawCodes: RawCode[];
  boxes: ReaderBox[];
}

export const readVindrCxr: Adapter = async function* (context) {
  const { root, catalog, dataset, options } = context;
  const key = dataset.dataset_key;
  const fusion = options.readerFusion ?? 'majority';
  const iou = options.boxFusionIou ?? 0.5;
  const items: Array<{ key: string; item: AdapterItem }> = [];
  const localized = new Set(dataset.localized_labels ?? []);

  for (const split of ['train', 'test'] as Split[]) {
    const labelsCsv = split === 'train' ? await requiredFile(root, ['annotations/image_labels_train.csv']) : await firstFile(root, ['annotations/image_labels_test.csv']);
    if (labelsCsv === null) continue;
    const images = new Map<string, ImageVotes>();
    const imageOf = (imageId: string): ImageVotes => {
      let image = images.get(imageId);
      if (!image) images.set(imageId, (image = { readers: new Set(), votes: new Map(), rawCodes: [], boxes: [] }));
      return image;
    };
    for await (const row of csvRows(root, labelsCsv, ['image_id'])) {
      if (!isCsvRow(row)) {
        items.push({ key: labelsCsv, item: row });
        continue;
      }
      const reader = row.values.rad_id ?? 'consensus';
      const image = imageOf(row.values.image_id);
      image.readers.add(reader);
      for (const [column, value] of Object.entries(row.values)) {
        if (column === 'image_id' || column === 'rad_id') continue;
        const answer = catalog.mapRawCode(key, 'vindr-cxr-column', column);
        if (answer === null) continue;
        if (value.trim() !== '0' && value.trim() !== '1' && Number(value) !== 0 && Number(value) !== 1) {
          items.push({ key: labelsCsv, item: rejectItem('ADAPTER_BAD_VALUE', labelsCsv, `line ${row.line}: column "${column}" has value "${value}"`) });
          continue;
        }
        if (Number(value) !== 1) continue;
        image.rawCodes.push({ codeSystem: 'vindr-cxr-column', code: `${reader}:${column}` });
        const voters = image.votes.get(answer) ?? new Set<string>();
        voters.add(reader);
        image.votes.set(answer, voters);
      }
    }
    const boxesCsv = await firstFile(root, [`annotations/annotations_${split}.csv`]);
    if (boxesCsv !== null) {
      for await (const row of csvRows(root, boxesCsv, ['image_id', 'class_name', 'x_min', 'y_min', 'x_max', 'y_max'])) {
        if (!isCsvRow(row)) {
          items.push({ key: boxesCsv, item: row });
          continue;
        }
        const values = row.values;
        if (values.x_min.trim() === '') continue; // "No finding" rows carry no box
        const label = catalog.mapRawCode(key, 'vindr-cxr-class-name', values.class_name);
        const coordinates = [values.x_min, values.y_min, values.x_max, values.y_max].map(Number);
        if (label === null || coordinates.some((c) => !Number.isFinite(c)) || coordinates[2] < coordinates[0] || coordinates[3] < coordinates[1]) {
          items.push({ key: boxesCsv, item: rejectItem(label === null ? 'ADAPTER_UNKNOWN_LABEL' : 'ADAPTER_BAD_VALUE', boxesCsv, `line ${row.line}: box "${values.class_name}" ${coordinates.join(',')}`) });
          continue;
        }
        const [x_min, y_min, x_max, y_max] = coordinates;
        imageOf(values.image_id).boxes.push({ x_min, y_min, x_max, y_max, label, reader: values.rad_id ?? 'consensus' });
      }
    }
    for (const [imageId, image] of images) {
      const media = `${split}/${imageId}.dicom`;
      if (!(await isFile(root, media))) {
        items.push({ key: media, item: rejectItem('ADAPTER_MEDIA_MISSING', media, `image ${imageId} of ${labelsCsv} not found`) });
        continue;
      }
      const needed = fusion === 'union' ? 1 : Math.floor(image.readers.size / 2) + 1;
      let kept = [...image.votes].filter(([, voters]) => voters.size >= needed).map(([answer]) => answer);
      if ((options.noFinding ?? 'consistent') === 'consistent') {
        if (kept.some((label) => label !== NO_FINDING)) kept = kept.filter((label) => label !== NO_FINDING);
        else kept = [NO_FINDING];
      }
      if (kept.length === 0) {
        items.push({ key: media, item: rejectItem('ADAPTER_NO_LABEL', labelsCsv, `image ${imageId}: no label kept by ${fusion} fusion`) });
        continue;
      }
      const boxes: SourceBox[] = [];
      for (const label of catalog.inCatalogOrder(key, kept)) {
        if (!localized.has(label)) continue;
        for (const fused of fuseBoxes(image.boxes.filter((box) => box.label === label), iou)) {
          boxes.push({ x_min: fused.x_min, y_min: fused.y_min, x_max: fused.x_max, y_max: fused.y_max, label });
        }
      }
      items.push({
        key: media,
        item: sampleItem(newSample(context, {
          media: [media],
          labels: catalog.inCatalogOrder(key, kept),
          rawCodes: image.rawCodes,
          boxes,
          masks: [],
          patientKey: imageId,
          officialSplit: split,
          attributes: { readers: image.readers.size, reader_fusion: fusion },
        })),
      });
    }
  }
  items.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  yield* items.map((entry) => entry.item);
};
