// CoronaHack Chest X-Ray (datasets.md): Chest_xray_Corona_Metadata.csv (X_ray_image_name, Label,
// Dataset_type TRAIN / TEST, Label_2_Virus_category, Label_1_Virus_category); images in
// Coronahack-Chest-XRay-Dataset/Coronahack-Chest-XRay-Dataset/{train,test}/ (Kaggle's doubled folder;
// a single or no wrapper folder is accepted too).
// Label: Label "Normal" → Normal (code system coronahack-label); otherwise Label_1_Virus_category
// (bacteria / Virus; "Stress-Smoking" maps to no answer → ADAPTER_UNKNOWN_LABEL).
// Row granularity: one sample per image. Patient key: the image name (no patient id is published).
import type { RawCode, Split } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { csvRows, firstFile, isCsvRow, requiredFile, sortedItems } from '../dataset-files';
import { rejectItem, sampleItem, type AdapterItem } from '../source-sample';

const SPLIT_OF: Record<string, Split> = { TRAIN: 'train', TEST: 'test' };
const WRAPPERS = ['Coronahack-Chest-XRay-Dataset/Coronahack-Chest-XRay-Dataset/', 'Coronahack-Chest-XRay-Dataset/', ''];

export const readCoronahack: Adapter = async function* (context) {
  const { root, catalog, dataset } = context;
  const keyed: Array<{ key: string; item: AdapterItem }> = [];
  const csv = await requiredFile(root, ['Chest_xray_Corona_Metadata.csv']);
  for await (const row of csvRows(root, csv, ['X_ray_image_name', 'Label', 'Dataset_type', 'Label_1_Virus_category'])) {
    if (!isCsvRow(row)) {
      keyed.push({ key: csv, item: row });
      continue;
    }
    const values = row.values;
    const split = SPLIT_OF[values.Dataset_type.trim().toUpperCase()] ?? null;
    const rawCodes: RawCode[] = [{ codeSystem: 'coronahack-label', code: values.Label }];
    if (values.Label_1_Virus_category !== '') rawCodes.push({ codeSystem: 'coronahack-label-1-virus-category', code: values.Label_1_Virus_category });
    const label =
      catalog.mapRawCode(dataset.dataset_key, 'coronahack-label', values.Label) ??
      catalog.mapRawCode(dataset.dataset_key, 'coronahack-label-1-virus-category', values.Label_1_Virus_category);
    const folder = (values.Dataset_type || '').toLowerCase();
    const candidates = WRAPPERS.map((wrapper) => `${wrapper}${folder}/${values.X_ray_image_name}`);
    if (label === null) {
      keyed.push({ key: candidates[0], item: rejectItem('ADAPTER_UNKNOWN_LABEL', csv, `line ${row.line}: Label "${values.Label}", Label_1_Virus_category "${values.Label_1_Virus_category}"`) });
      continue;
    }
    const media = await firstFile(root, candidates);
    if (media === null) {
      keyed.push({ key: candidates[0], item: rejectItem('ADAPTER_MEDIA_MISSING', candidates[0], `${values.X_ray_image_name} not found`) });
      continue;
    }
    keyed.push({
      key: media,
      item: sampleItem(newSample(context, {
        media: [media],
        labels: [label],
        rawCodes,
        boxes: [],
        masks: [],
        patientKey: values.X_ray_image_name,
        officialSplit: split,
        attributes: { label_2_virus_category: values.Label_2_Virus_category ?? null },
      })),
    });
  }
  yield* sortedItems(keyed);
};
