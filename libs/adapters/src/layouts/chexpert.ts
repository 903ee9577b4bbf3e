// CheXpert v1.0(-small) (datasets.md): train.csv, valid.csv; `Path` such as
// CheXpert-v1.0-small/train/patient00001/study1/view1_frontal.jpg (relative to the folder ABOVE
// CheXpert-v1.0-small), `Sex, Age, Frontal/Lateral, AP/PA`, then the 14 labeler columns.
// Row granularity: one sample per image. Patient key: the `patientNNNNN` folder.
import type { Split } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { chexpertColumns, chexpertLabels } from '../chexpert-labels';
import { csvRows, firstFile, isCsvRow, isFile, sortedItems } from '../dataset-files';
import { AdapterError, rejectItem, sampleItem, type AdapterItem } from '../source-sample';

const RELEASE_FOLDERS = ['CheXpert-v1.0-small', 'CheXpert-v1.0'];

export const readChexpert: Adapter = async function* (context) {
  const { root, options } = context;
  const keyed: Array<{ key: string; item: AdapterItem }> = [];
  const csvs: Array<{ name: string; split: Split; required: boolean }> = [
    { name: 'train.csv', split: 'train', required: true },
    { name: 'valid.csv', split: options.chexpertValidSplit ?? 'test', required: false },
  ];
  for (const csv of csvs) {
    const path = await firstFile(root, [csv.name, ...RELEASE_FOLDERS.map((folder) => `${folder}/${csv.name}`)]);
    if (path === null) {
      if (csv.required) throw new AdapterError('ADAPTER_CSV_MISSING', `CheXpert ${csv.name} is missing`, csv.name);
      continue;
    }
    for await (const row of csvRows(root, path, ['Path', 'Frontal/Lateral', ...chexpertColumns(context)])) {
      if (!isCsvRow(row)) {
        keyed.push({ key: path, item: row });
        continue;
      }
      const values = row.values;
      if ((options.views ?? 'frontal') === 'frontal' && values['Frontal/Lateral'] !== 'Frontal') continue;
      // Path names the release folder first; the dataset folder may be that folder or the one above it.
      const segments = values.Path.split('/');
      const candidates = [values.Path, segments.slice(1).join('/')];
      let media: string | null = null;
      for (const candidate of candidates) if (media === null && (await isFile(root, candidate))) media = candidate;
      if (media === null) {
        keyed.push({ key: values.Path, item: rejectItem('ADAPTER_MEDIA_MISSING', values.Path, `${path} line ${row.line}: image not found`) });
        continue;
      }
      const outcome = chexpertLabels(context, values);
      if (outcome.kind === 'ignored') continue;
      if (outcome.kind !== 'labels') {
        const message = outcome.kind === 'bad-value' ? `column "${outcome.column}" has value "${outcome.value}"` : 'no positive label';
        keyed.push({ key: media, item: rejectItem(outcome.kind === 'bad-value' ? 'ADAPTER_BAD_VALUE' : 'ADAPTER_NO_LABEL', path, `line ${row.line}: ${message}`) });
        continue;
      }
      const patient = segments.find((segment) => /^patient\d+$/.test(segment)) ?? media;
      keyed.push({
        key: media,
        item: sampleItem(newSample(context, {
          media: [media],
          labels: outcome.labels,
          rawCodes: outcome.rawCodes,
          boxes: [],
          masks: [],
          patientKey: patient,
          officialSplit: csv.split,
          attributes: { sex: values.Sex ?? null, age: values.Age ?? null, view: values['Frontal/Lateral'], ap_pa: values['AP/PA'] ?? null },
        })),
      });
    }
  }
  yield* sortedItems(keyed);
};
