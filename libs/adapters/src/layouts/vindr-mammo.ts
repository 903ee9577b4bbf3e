// VinDr-Mammo 1.0.0 (datasets.md): images/<study_id>/<image_id>.dicom; breast-level_annotations.csv
// (study_id, series_id, image_id, laterality, view_position, height, width, breast_birads
// "BI-RADS 1"…, breast_density, split training / test); finding_annotations.csv (same keys plus
// finding_categories as a Python list string `['Mass']`, finding_birads, xmin, ymin, xmax, ymax).
// Label: the image's breast_birads (code system breast-birads). Boxes: one per finding row with
// coordinates, labelled with the finding's own BI-RADS (finding_birads through the same mapping, the
// image's label when it is empty) so that box labels are answers; the categories (parsed from the list
// string) go to attributes.finding_categories. Row granularity: one sample per image. Patient key: study_id (one study per woman; no patient id is published).
import type { Split } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { csvRows, firstFile, isCsvRow, isFile, requiredFile, sortedItems } from '../dataset-files';
import { parsePythonStringList } from '../python-literal';
import { rejectItem, sampleItem, type AdapterItem, type SourceBox } from '../source-sample';

const SPLIT_OF: Record<string, Split> = { training: 'train', test: 'test' };

export const readVindrMammo: Adapter = async function* (context) {
  const { root, catalog, dataset } = context;
  const keyed: Array<{ key: string; item: AdapterItem }> = [];
  const breastCsv = await requiredFile(root, ['breast-level_annotations.csv']);
  const findingCsv = await firstFile(root, ['finding_annotations.csv']);
  const boxesOf = new Map<string, Array<SourceBox & { birads: string }>>();
  const categoriesOf = new Map<string, Set<string>>();
  if (findingCsv !== null) {
    for await (const row of csvRows(root, findingCsv, ['image_id', 'finding_categories', 'xmin', 'ymin', 'xmax', 'ymax'])) {
      if (!isCsvRow(row)) {
        keyed.push({ key: findingCsv, item: row });
        continue;
      }
      const values = row.values;
      if (values.xmin.trim() === '') continue; // "No Finding" rows have no box
      let categories: string[];
      try {
        categories = parsePythonStringList(values.finding_categories);
      } catch (error) {
        keyed.push({ key: findingCsv, item: rejectItem('ADAPTER_BAD_VALUE', findingCsv, `line ${row.line}: finding_categories: ${(error as Error).message}`) });
        continue;
      }
      const [x_min, y_min, x_max, y_max] = [values.xmin, values.ymin, values.xmax, values.ymax].map(Number);
      if (![x_min, y_min, x_max, y_max].every(Number.isFinite)) {
        keyed.push({ key: findingCsv, item: rejectItem('ADAPTER_BAD_VALUE', findingCsv, `line ${row.line}: box coordinates are not numbers`) });
        continue;
      }
      const boxes = boxesOf.get(values.image_id) ?? [];
      boxes.push({ x_min, y_min, x_max, y_max, label: '', birads: (values.finding_birads ?? '').trim() });
      boxesOf.set(values.image_id, boxes);
      const seen = categoriesOf.get(values.image_id) ?? new Set<string>();
      for (const category of categories) seen.add(category);
      categoriesOf.set(values.image_id, seen);
    }
  }
  for await (const row of csvRows(root, breastCsv, ['study_id', 'image_id', 'breast_birads', 'split'])) {
    if (!isCsvRow(row)) {
      keyed.push({ key: breastCsv, item: row });
      continue;
    }
    const values = row.values;
    const media = `images/${values.study_id}/${values.image_id}.dicom`;
    const label = catalog.mapRawCode(dataset.dataset_key, 'breast-birads', values.breast_birads);
    if (label === null) {
      keyed.push({ key: media, item: rejectItem('ADAPTER_UNKNOWN_LABEL', breastCsv, `line ${row.line}: breast_birads "${values.breast_birads}"`) });
      continue;
    }
    if (!(await isFile(root, media))) {
      keyed.push({ key: media, item: rejectItem('ADAPTER_MEDIA_MISSING', media, `image ${values.image_id} not found`) });
      continue;
    }
    keyed.push({
      key: media,
      item: sampleItem(newSample(context, {
        media: [media],
        labels: [label],
        rawCodes: [{ codeSystem: 'breast-birads', code: values.breast_birads }],
        boxes: (boxesOf.get(values.image_id) ?? [])
          .map(({ x_min, y_min, x_max, y_max, birads }) => ({ x_min, y_min, x_max, y_max, label: catalog.mapRawCode(dataset.dataset_key, 'breast-birads', birads) ?? label }))
          .sort((a, b) => a.y_min - b.y_min || a.x_min - b.x_min || a.x_max - b.x_max || a.y_max - b.y_max),
        masks: [],
        patientKey: values.study_id,
        officialSplit: SPLIT_OF[values.split] ?? null,
        attributes: {
          laterality: values.laterality ?? null,
          view_position: values.view_position ?? null,
          breast_density: values.breast_density ?? null,
          finding_categories: [...(categoriesOf.get(values.image_id) ?? [])].sort().join('|') || null,
          height: values.height === undefined ? null : Number(values.height),
          width: values.width === undefined ? null : Number(values.width),
        },
      })),
    });
  }
  yield* sortedItems(keyed);
};
