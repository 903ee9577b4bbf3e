// RSNA-STR Pulmonary Embolism (RSPECT) (datasets.md): train.csv (StudyInstanceUID,
// SeriesInstanceUID, SOPInstanceUID, pe_present_on_image, negative_exam_for_pe, …, chronic_pe, …) and
// slices train/<StudyInstanceUID>/<SeriesInstanceUID>/<SOPInstanceUID>.dcm.
// Label per slice: the catalog's rspect-slice code "<pe_present_on_image>:<chronic_pe>" (1:0 Acute PE,
// 1:1 Chronic PE, 0:x No PE). Row granularity: one sample per slice (as the paper). Patient key:
// StudyInstanceUID (no patient id is published). Split: none official (the test labels are hidden).
// Order: train.csv's own order, streamed: 1.79 M slices are not held in memory to be sorted.
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { csvRows, isCsvRow, isFile, requiredFile } from '../dataset-files';
import { rejectItem, sampleItem } from '../source-sample';

const EXAM_COLUMNS = ['negative_exam_for_pe', 'qa_motion', 'qa_contrast', 'flow_artifact', 'acute_and_chronic_pe', 'rightsided_pe', 'leftsided_pe', 'central_pe', 'indeterminate'];

function flag(value: string): string | null {
  const number = Number(value);
  return value.trim() !== '' && (number === 0 || number === 1) ? String(number) : null;
}

export const readRspect: Adapter = async function* (context) {
  const { root, catalog, dataset } = context;
  const csv = await requiredFile(root, ['train.csv']);
  for await (const row of csvRows(root, csv, ['StudyInstanceUID', 'SeriesInstanceUID', 'SOPInstanceUID', 'pe_present_on_image', 'chronic_pe'])) {
    if (!isCsvRow(row)) {
      yield row;
      continue;
    }
    const values = row.values;
    const media = `train/${values.StudyInstanceUID}/${values.SeriesInstanceUID}/${values.SOPInstanceUID}.dcm`;
    const pe = flag(values.pe_present_on_image);
    const chronic = flag(values.chronic_pe);
    const code = `${pe}:${chronic}`;
    const label = pe === null || chronic === null ? null : catalog.mapRawCode(dataset.dataset_key, 'rspect-slice', code);
    if (label === null) {
      yield rejectItem('ADAPTER_UNKNOWN_LABEL', csv, `line ${row.line}: pe_present_on_image "${values.pe_present_on_image}", chronic_pe "${values.chronic_pe}"`);
      continue;
    }
    if (!(await isFile(root, media))) {
      yield rejectItem('ADAPTER_MEDIA_MISSING', media, `slice of line ${row.line} not found`);
      continue;
    }
    const attributes: Record<string, string | null> = { series_instance_uid: values.SeriesInstanceUID };
    for (const column of EXAM_COLUMNS) if (column in values) attributes[column] = flag(values[column]);
    yield sampleItem(newSample(context, {
      media: [media],
      labels: [label],
      rawCodes: [{ codeSystem: 'rspect-slice', code }],
      boxes: [],
      masks: [],
      patientKey: values.StudyInstanceUID,
      officialSplit: null,
      attributes,
    }));
  }
};
