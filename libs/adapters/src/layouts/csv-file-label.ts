// Generic "CSV of file and label" (data-specs/README.md "Layouts"), configured entirely by the catalog
// entry: csv_files, file_column + file_template ({value}), append_extensions tried in turn, label_column
// mapped through label_code_system, patient_column, split per file or split_column/split_values,
// row_filter. Row granularity: one sample per CSV row (one image). Patient key: patient_column, else
// the file value (each image its own patient: the source publishes no grouping).
import type { CsvFileLabelLayout, Split } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { csvRows, firstFile, isCsvRow, requiredFile, sortedItems } from '../dataset-files';
import { rejectItem, sampleItem, type AdapterItem } from '../source-sample';

export const readCsvFileLabel: Adapter = async function* (context) {
  const { root, catalog, dataset } = context;
  const layout = context.layout as CsvFileLabelLayout;
  const keyed: Array<{ key: string; item: AdapterItem }> = [];
  const required = [layout.file_column, layout.label_column];
  if (layout.patient_column) required.push(layout.patient_column);
  if (layout.split_column) required.push(layout.split_column);
  if (layout.row_filter) required.push(layout.row_filter.column);
  for (const csvFile of layout.csv_files) {
    const csv = await requiredFile(root, [csvFile.path]);
    for await (const row of csvRows(root, csv, required)) {
      if (!isCsvRow(row)) {
        keyed.push({ key: csv, item: row });
        continue;
      }
      const values = row.values;
      if (layout.row_filter && !layout.row_filter.values.includes(values[layout.row_filter.column])) continue;
      const fileValue = values[layout.file_column];
      const templated = layout.file_template.split('{value}').join(fileValue);
      const candidates = [templated, ...(layout.append_extensions ?? []).map((extension) => `${templated}${extension}`)];
      const rawValue = values[layout.label_column];
      const label = catalog.mapRawCode(dataset.dataset_key, layout.label_code_system, rawValue);
      if (label === null) {
        keyed.push({ key: templated, item: rejectItem('ADAPTER_UNKNOWN_LABEL', csv, `line ${row.line}: ${layout.label_column} "${rawValue}" maps to no answer`) });
        continue;
      }
      const media = await firstFile(root, candidates);
      if (media === null) {
        keyed.push({ key: templated, item: rejectItem('ADAPTER_MEDIA_MISSING', templated, `line ${row.line} of ${csv}: none of ${candidates.join(', ')} exists`) });
        continue;
      }
      let split: Split | null = csvFile.split ?? null;
      if (split === null && layout.split_column) {
        const splitValue = values[layout.split_column];
        split = layout.split_values?.[splitValue] ?? null;
        if (split === null) {
          keyed.push({ key: media, item: rejectItem('ADAPTER_BAD_VALUE', csv, `line ${row.line}: ${layout.split_column} "${splitValue}" is not in split_values`) });
          continue;
        }
      }
      const patient = layout.patient_column ? values[layout.patient_column] : '';
      keyed.push({
        key: media,
        item: sampleItem(newSample(context, {
          media: [media],
          labels: [label],
          rawCodes: [{ codeSystem: layout.label_code_system, code: rawValue }],
          boxes: [],
          masks: [],
          patientKey: patient !== '' ? patient : fileValue,
          officialSplit: split,
          attributes: {},
        })),
      });
    }
  }
  yield* sortedItems(keyed);
};
