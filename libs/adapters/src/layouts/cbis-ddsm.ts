// CBIS-DDSM (TCIA) (datasets.md): {mass,calc}_case_description_{train,test}_set.csv (patient_id,
// breast density / breast_density, left or right breast, image view, abnormality id, abnormality type,
// …, assessment, pathology, subtlety, image file path, cropped image file path, ROI mask file path);
// DICOMs under CBIS-DDSM/<Mass-Training_P_00001_LEFT_CC>/<study>/<series>/1-1.dcm.
// The CSV paths (…/000000.dcm, sometimes with a trailing newline inside the quotes) do not match the
// downloaded names: only their FIRST folder is used. The full mammogram is the one DICOM under the
// image's folder; the ROI mask and the cropped image share the abnormality's folder (…_CC_1) and are told
// apart by content (options.classifyRoiDicom, default: binary pixels = mask, see roi-mask-classifier.ts).
// Label: assessment (BI-RADS 0–5). Row granularity: one sample per abnormality (CSV row): media = the
// full mammogram, masks = its ROI mask. Patient key: patient_id. Split: the CSV's train / test.
import { join } from 'node:path';
import { listFilesSorted } from '@qoq/runtime';
import type { Split } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { csvRows, firstFile, isCsvRow, isDirectory, sortedItems } from '../dataset-files';
import { classifyRoiDicomByContent } from '../roi-mask-classifier';
import { AdapterError, rejectItem, sampleItem, type AdapterItem } from '../source-sample';

const CSV_FILES: Array<{ name: string; split: Split }> = [
  { name: 'mass_case_description_train_set.csv', split: 'train' },
  { name: 'mass_case_description_test_set.csv', split: 'test' },
  { name: 'calc_case_description_train_set.csv', split: 'train' },
  { name: 'calc_case_description_test_set.csv', split: 'test' },
];

function firstFolder(csvPath: string): string {
  return csvPath.trim().replace(/\\/g, '/').split('/')[0];
}

export const readCbisDdsm: Adapter = async function* (context) {
  const { root, catalog, dataset, options } = context;
  const classify = options.classifyRoiDicom ?? classifyRoiDicomByContent;
  const base = (await isDirectory(root, 'CBIS-DDSM')) ? 'CBIS-DDSM/' : '';
  const keyed: Array<{ key: string; item: AdapterItem }> = [];
  const dicomsUnder = new Map<string, string[]>();
  const dicomsOf = async (folder: string): Promise<string[]> => {
    if (!dicomsUnder.has(folder)) {
      const files = (await isDirectory(root, `${base}${folder}`)) ? await listFilesSorted(join(root, `${base}${folder}`)) : [];
      dicomsUnder.set(folder, files.filter((file) => file.toLowerCase().endsWith('.dcm')).map((file) => `${base}${folder}/${file}`));
    }
    return dicomsUnder.get(folder) as string[];
  };
  const classOf = new Map<string, 'mask' | 'image' | Error>();
  let csvCount = 0;
  for (const { name, split } of CSV_FILES) {
    const csv = await firstFile(root, [name]);
    if (csv === null) continue;
    csvCount++;
    for await (const row of csvRows(root, csv, ['patient_id', 'assessment', 'image file path', 'ROI mask file path'])) {
      if (!isCsvRow(row)) {
        keyed.push({ key: csv, item: row });
        continue;
      }
      const values = row.values;
      const imageFolder = firstFolder(values['image file path']);
      const key = `${imageFolder}/${values['abnormality id'] ?? ''}`;
      const label = catalog.mapRawCode(dataset.dataset_key, 'assessment', values.assessment.trim());
      if (label === null) {
        keyed.push({ key, item: rejectItem('ADAPTER_UNKNOWN_LABEL', csv, `line ${row.line}: assessment "${values.assessment}"`) });
        continue;
      }
      const fullImages = await dicomsOf(imageFolder);
      if (fullImages.length !== 1) {
        const code = fullImages.length === 0 ? 'ADAPTER_MEDIA_MISSING' : 'ADAPTER_AMBIGUOUS_MEDIA';
        keyed.push({ key, item: rejectItem(code, `${base}${imageFolder}`, `line ${row.line} of ${csv}: ${fullImages.length} DICOM files in the image folder (1 expected)`) });
        continue;
      }
      const roiFolders = [...new Set([firstFolder(values['ROI mask file path']), firstFolder(values['cropped image file path'] ?? '')].filter((f) => f !== ''))];
      const candidates = [...new Set((await Promise.all(roiFolders.map(dicomsOf))).flat())].sort();
      const masks: string[] = [];
      const cropped: string[] = [];
      let failure: string | null = null;
      for (const candidate of candidates) {
        if (!classOf.has(candidate)) {
          try {
            classOf.set(candidate, await classify(join(root, candidate)));
          } catch (error) {
            classOf.set(candidate, error instanceof Error ? error : new Error(String(error)));
          }
        }
        const kind = classOf.get(candidate);
        if (kind instanceof Error) failure = `${candidate}: ${kind.message}`;
        else if (kind === 'mask') masks.push(candidate);
        else cropped.push(candidate);
      }
      if (masks.length !== 1) {
        const message = failure ?? `${masks.length} binary DICOMs among ${candidates.length} in ${roiFolders.join(', ') || 'no folder'} (1 ROI mask expected)`;
        keyed.push({ key, item: rejectItem(failure ? 'ADAPTER_MASK_UNREADABLE' : 'ADAPTER_MASK_MISSING', `${base}${roiFolders[0] ?? imageFolder}`, `line ${row.line} of ${csv}: ${message}`) });
        continue;
      }
      keyed.push({
        key,
        item: sampleItem(newSample(context, {
          media: fullImages,
          labels: [label],
          rawCodes: [{ codeSystem: 'assessment', code: values.assessment.trim() }],
          boxes: [],
          masks,
          patientKey: values.patient_id,
          officialSplit: split,
          attributes: {
            abnormality_id: values['abnormality id'] ?? null,
            abnormality_type: values['abnormality type'] ?? null,
            pathology: values.pathology ?? null,
            breast_density: values.breast_density ?? values['breast density'] ?? null,
            laterality: values['left or right breast'] ?? null,
            view: values['image view'] ?? null,
            subtlety: values.subtlety ?? null,
            cropped_image: cropped[0] ?? null,
          },
        })),
      });
    }
  }
  if (csvCount === 0) throw new AdapterError('ADAPTER_CSV_MISSING', `none of ${CSV_FILES.map((c) => c.name).join(', ')} exists`, CSV_FILES[0].name);
  yield* sortedItems(keyed);
};
