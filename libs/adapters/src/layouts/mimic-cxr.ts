// MIMIC-CXR (DICOM, v2.0.0) and MIMIC-CXR-JPG (v2.x) (datasets.md): images
// files/p10/p10000032/s50414267/<dicom_id>.dcm (or .jpg), reports files/p10/p10000032/s50414267.txt;
// mimic-cxr-2.0.0-{chexpert,metadata,split}.csv, plain or gzipped (.csv.gz, as MIMIC-CXR-JPG ships them).
// Labels are per study (the CheXpert labeler ran on the report); ViewPosition is per image.
// Row granularity: one sample per image (default) or per study (option mimicGranularity).
// Patient key: subject_id. Split: split.csv (train / validate / test) per dicom_id.
import type { Split } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { chexpertColumns, chexpertLabels, type ChexpertOutcome } from '../chexpert-labels';
import { compareCodeUnits, csvRows, firstFile, isCsvRow, isFile, requiredFile, sortedItems } from '../dataset-files';
import { rejectItem, sampleItem, type AdapterItem } from '../source-sample';

const FRONTAL_VIEWS = new Set(['PA', 'AP']);
const SPLIT_OF: Record<string, Split> = { train: 'train', validate: 'validation', test: 'test' };

function csvCandidates(name: string): string[] {
  return [`${name}.csv.gz`, `${name}.csv`];
}

interface MimicImage {
  dicomId: string;
  subjectId: string;
  studyId: string;
  viewPosition: string;
  rows: string;
  columns: string;
}

export const readMimicCxr: Adapter = async function* (context) {
  const { root, options } = context;
  const keyed: Array<{ key: string; item: AdapterItem }> = [];
  const labelsPath = await requiredFile(root, csvCandidates('mimic-cxr-2.0.0-chexpert'));
  const metadataPath = await requiredFile(root, csvCandidates('mimic-cxr-2.0.0-metadata'));
  const splitPath = await firstFile(root, csvCandidates('mimic-cxr-2.0.0-split'));

  const studyLabels = new Map<string, ChexpertOutcome & { line: number }>();
  for await (const row of csvRows(root, labelsPath, ['subject_id', 'study_id', ...chexpertColumns(context)])) {
    if (!isCsvRow(row)) keyed.push({ key: labelsPath, item: row });
    else studyLabels.set(row.values.study_id, { ...chexpertLabels(context, row.values), line: row.line });
  }
  const splitOfImage = new Map<string, Split>();
  if (splitPath !== null) {
    for await (const row of csvRows(root, splitPath, ['dicom_id', 'split'])) {
      if (!isCsvRow(row)) keyed.push({ key: splitPath, item: row });
      else if (SPLIT_OF[row.values.split]) splitOfImage.set(row.values.dicom_id, SPLIT_OF[row.values.split]);
      else keyed.push({ key: splitPath, item: rejectItem('ADAPTER_BAD_VALUE', splitPath, `line ${row.line}: split "${row.values.split}"`) });
    }
  }
  const imagesOfStudy = new Map<string, MimicImage[]>();
  for await (const row of csvRows(root, metadataPath, ['dicom_id', 'subject_id', 'study_id', 'ViewPosition'])) {
    if (!isCsvRow(row)) {
      keyed.push({ key: metadataPath, item: row });
      continue;
    }
    const values = row.values;
    if ((options.views ?? 'frontal') === 'frontal' && !FRONTAL_VIEWS.has(values.ViewPosition)) continue;
    const image = { dicomId: values.dicom_id, subjectId: values.subject_id, studyId: values.study_id, viewPosition: values.ViewPosition, rows: values.Rows ?? '', columns: values.Columns ?? '' };
    const list = imagesOfStudy.get(image.studyId) ?? [];
    list.push(image);
    imagesOfStudy.set(image.studyId, list);
  }

  for (const [studyId, images] of imagesOfStudy) {
    images.sort((a, b) => compareCodeUnits(a.dicomId, b.dicomId));
    const subjectId = images[0].subjectId;
    const studyFolder = `files/p${subjectId.slice(0, 2)}/p${subjectId}/s${studyId}`;
    const outcome = studyLabels.get(studyId);
    if (outcome === undefined) {
      keyed.push({ key: studyFolder, item: rejectItem('ADAPTER_NO_LABEL', labelsPath, `study ${studyId} has no row`) });
      continue;
    }
    if (outcome.kind === 'ignored') continue;
    if (outcome.kind !== 'labels') {
      const message = outcome.kind === 'bad-value' ? `column "${outcome.column}" has value "${outcome.value}"` : 'no positive label';
      keyed.push({ key: studyFolder, item: rejectItem(outcome.kind === 'bad-value' ? 'ADAPTER_BAD_VALUE' : 'ADAPTER_NO_LABEL', labelsPath, `line ${outcome.line}: ${message}`) });
      continue;
    }
    const found: Array<{ image: MimicImage; path: string }> = [];
    for (const image of images) {
      // MIMIC-CXR holds .dcm, MIMIC-CXR-JPG .jpg, under the same tree.
      const path = await firstFile(root, [`${studyFolder}/${image.dicomId}.dcm`, `${studyFolder}/${image.dicomId}.jpg`]);
      if (path === null) keyed.push({ key: `${studyFolder}/${image.dicomId}`, item: rejectItem('ADAPTER_MEDIA_MISSING', `${studyFolder}/${image.dicomId}.dcm`, 'neither .dcm nor .jpg exists') });
      else found.push({ image, path });
    }
    const reportPath = `${studyFolder}.txt`;
    const report = (await isFile(root, reportPath)) ? reportPath : null;
    const groups = (options.mimicGranularity ?? 'image') === 'study' ? (found.length > 0 ? [found] : []) : found.map((entry) => [entry]);
    for (const group of groups) {
      const splits = new Set(group.map((entry) => splitOfImage.get(entry.image.dicomId) ?? null));
      keyed.push({
        key: group[0].path,
        item: sampleItem(newSample(context, {
          media: group.map((entry) => entry.path),
          labels: outcome.labels,
          rawCodes: outcome.rawCodes,
          boxes: [],
          masks: [],
          patientKey: subjectId,
          // The official split is per subject, so all images of a study share it.
          officialSplit: splits.size === 1 ? [...splits][0] : null,
          attributes: {
            study_id: studyId,
            view_position: group.map((entry) => entry.image.viewPosition).join('|'),
            rows: group.map((entry) => entry.image.rows).join('|'),
            columns: group.map((entry) => entry.image.columns).join('|'),
            report_path: report,
          },
        })),
      });
    }
  }
  yield* sortedItems(keyed);
};
