// HAM10000 (datasets.md), two layouts of the same images.
// 'ham10000': HAM10000_metadata.csv (lesion_id, image_id, dx, dx_type, age, sex, localization), images
//   HAM10000_images_part_{1,2}/<image_id>.jpg; label dx via the catalog's ham10000-dx mapping.
// 'isic2018-task3' (what the paper's source, CLIMB, reads): ISIC2018_Task3_Training_GroundTruth.csv
//   (image, MEL, NV, BCC, AKIEC, BKL, DF, VASC one-hot 0.0/1.0) with ISIC2018_Task3_Training_Input/<image>.jpg;
//   the Validation/Test ground truths, when downloaded, make the official split; with the Training part
//   alone (CLIMB's download) there is none (officialSplit null: a split is derived later, by lesion).
// Several images show one lesion and no patient id is published: the patient key is the lesion_id
// (from the metadata, or ISIC2018_Task3_Training_LesionGroupings.csv, or HAM10000_metadata.csv when
// present beside the ISIC files), so splits group a lesion's images; without any grouping, the image.
// Row granularity: one sample per image.
import type { Split } from '@qoq/catalog';
import type { Adapter, AdapterContext } from '../adapter-context';
import { newSample } from '../adapter-context';
import { csvRows, firstFile, isCsvRow, isFile, requiredFile, sortedItems } from '../dataset-files';
import { rejectItem, sampleItem, type AdapterItem } from '../source-sample';

async function lesionOfImage(context: AdapterContext, keyed: Array<{ key: string; item: AdapterItem }>): Promise<Map<string, string>> {
  const lesions = new Map<string, string>();
  const groupings = await firstFile(context.root, ['ISIC2018_Task3_Training_LesionGroupings.csv', 'HAM10000_metadata.csv']);
  if (groupings === null) return lesions;
  const imageColumn = groupings.startsWith('HAM10000') ? 'image_id' : 'image';
  for await (const row of csvRows(context.root, groupings, [imageColumn, 'lesion_id'])) {
    if (isCsvRow(row)) lesions.set(row.values[imageColumn], row.values.lesion_id);
    else keyed.push({ key: groupings, item: row });
  }
  return lesions;
}

export const readHam10000: Adapter = async function* (context) {
  const { root, catalog, dataset } = context;
  const keyed: Array<{ key: string; item: AdapterItem }> = [];
  const csv = await requiredFile(root, ['HAM10000_metadata.csv']);
  for await (const row of csvRows(root, csv, ['lesion_id', 'image_id', 'dx'])) {
    if (!isCsvRow(row)) {
      keyed.push({ key: csv, item: row });
      continue;
    }
    const values = row.values;
    const label = catalog.mapRawCode(dataset.dataset_key, 'ham10000-dx', values.dx);
    const media = await firstFile(root, [`HAM10000_images_part_1/${values.image_id}.jpg`, `HAM10000_images_part_2/${values.image_id}.jpg`, `HAM10000_images/${values.image_id}.jpg`]);
    if (label === null) keyed.push({ key: values.image_id, item: rejectItem('ADAPTER_UNKNOWN_LABEL', csv, `line ${row.line}: dx "${values.dx}"`) });
    else if (media === null) keyed.push({ key: values.image_id, item: rejectItem('ADAPTER_MEDIA_MISSING', `HAM10000_images_part_1/${values.image_id}.jpg`, 'image not found in HAM10000_images_part_{1,2}') });
    else {
      keyed.push({
        key: media,
        item: sampleItem(newSample(context, {
          media: [media],
          labels: [label],
          rawCodes: [{ codeSystem: 'ham10000-dx', code: values.dx }],
          boxes: [],
          masks: [],
          patientKey: values.lesion_id || values.image_id,
          officialSplit: null,
          attributes: { lesion_id: values.lesion_id, dx_type: values.dx_type ?? null, age: values.age ?? null, sex: values.sex ?? null, localization: values.localization ?? null },
        })),
      });
    }
  }
  yield* sortedItems(keyed);
};

const ISIC_2018_PARTS: Array<{ part: string; split: Split; required: boolean }> = [
  { part: 'Training', split: 'train', required: true },
  { part: 'Validation', split: 'validation', required: false },
  { part: 'Test', split: 'test', required: false },
];

export const readIsic2018Task3: Adapter = async function* (context) {
  const { root, catalog, dataset } = context;
  const keyed: Array<{ key: string; item: AdapterItem }> = [];
  const lesions = await lesionOfImage(context, keyed);
  const mapping = dataset.code_mappings.find((candidate) => candidate.code_system === 'isic2018-task3-column');
  const columns = Object.keys(mapping?.map ?? {});
  const officialParts = (await firstFile(root, ['ISIC2018_Task3_Validation_GroundTruth.csv', 'ISIC2018_Task3_Test_GroundTruth.csv'])) !== null;
  for (const { part, split, required } of ISIC_2018_PARTS) {
    const name = `ISIC2018_Task3_${part}_GroundTruth.csv`;
    const csv = required ? await requiredFile(root, [name, `ISIC2018_Task3_${part}_GroundTruth/${name}`]) : await firstFile(root, [name, `ISIC2018_Task3_${part}_GroundTruth/${name}`]);
    if (csv === null) continue;
    for await (const row of csvRows(root, csv, ['image', ...columns])) {
      if (!isCsvRow(row)) {
        keyed.push({ key: csv, item: row });
        continue;
      }
      const values = row.values;
      const hot = columns.filter((column) => Number(values[column]) === 1);
      const media = `ISIC2018_Task3_${part}_Input/${values.image}.jpg`;
      if (hot.length !== 1) {
        keyed.push({ key: media, item: rejectItem(hot.length === 0 ? 'ADAPTER_NO_LABEL' : 'ADAPTER_BAD_VALUE', csv, `line ${row.line}: ${hot.length} diagnosis columns are 1.0 (one expected)`) });
        continue;
      }
      if (!(await isFile(root, media))) {
        keyed.push({ key: media, item: rejectItem('ADAPTER_MEDIA_MISSING', media, 'image not found') });
        continue;
      }
      const rawCodes = [{ codeSystem: 'isic2018-task3-column', code: hot[0] }];
      const labels = catalog.labelsFromCodes(dataset.dataset_key, rawCodes) ?? [];
      const lesion = lesions.get(values.image) ?? null;
      keyed.push({
        key: media,
        item: sampleItem(newSample(context, {
          media: [media],
          labels,
          rawCodes,
          boxes: [],
          masks: [],
          patientKey: lesion ?? values.image,
          officialSplit: officialParts ? split : null,
          attributes: { lesion_id: lesion },
        })),
      });
    }
  }
  yield* sortedItems(keyed);
};
