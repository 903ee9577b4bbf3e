// PhysioNet/CinC Challenge 2021 (datasets.md): training/<source>/g<N>/<name>.hea + <name>.mat, the
// header ending in comment lines `#Age: 74`, `#Sex: Male`, `#Dx: 426783006,164865005` (SNOMED CT).
// Source folders come from the catalog layout's options.source_folders (chapman_shaoxing, georgia,
// cpsc_2018, …). Labels: #Dx codes through the catalog's snomed-ct mapping (fallback "Other").
// Row granularity: one sample per record (media = record name, no extension). Patient key: the record
// name (the Challenge publishes no patient id). Split: none official (the hidden sets are not released).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { listFilesSorted } from '@qoq/runtime';
import type { RawCode } from '@qoq/catalog';
import type { Adapter } from '../adapter-context';
import { newSample } from '../adapter-context';
import { isDirectory, isFile } from '../dataset-files';
import { AdapterError, rejectItem, sampleItem } from '../source-sample';

/** `#Dx: a,b` style comments of a WFDB header, keys as written ("Dx", "Age", …). */
export function headerComments(headerText: string): Map<string, string> {
  const comments = new Map<string, string>();
  for (const line of headerText.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('#')) continue;
    const body = trimmed.slice(1).trim();
    const colon = body.indexOf(':');
    if (colon > 0) comments.set(body.slice(0, colon).trim(), body.slice(colon + 1).trim());
  }
  return comments;
}

/** Signal file names of the header's signal lines (WFDB header(5): the first field of each). */
function signalFiles(headerText: string): string[] {
  const lines = headerText.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  const signalCount = Number(lines[0]?.split(/\s+/)[1]);
  return [...new Set(lines.slice(1, 1 + (Number.isInteger(signalCount) ? signalCount : 0)).map((line) => line.split(/\s+/)[0]))];
}

export const readPhysionet2021: Adapter = async function* (context) {
  const { root, catalog, dataset, layout } = context;
  const options = 'options' in layout ? (layout.options ?? {}) : {};
  const sourceFolders = Array.isArray(options.source_folders) ? options.source_folders.map(String) : [];
  if (sourceFolders.length === 0) throw new AdapterError('ADAPTER_BAD_OPTION', `${dataset.dataset_key}: layout physionet-2021 needs options.source_folders`, '');
  const folders: string[] = [];
  for (const source of sourceFolders) {
    for (const candidate of [`training/${source}`, source]) {
      if (await isDirectory(root, candidate)) {
        folders.push(candidate);
        break;
      }
    }
  }
  if (folders.length === 0) throw new AdapterError('ADAPTER_FOLDER_MISSING', `none of training/{${sourceFolders.join(',')}} exists`, `training/${sourceFolders[0]}`);
  for (const folder of folders) {
    for (const file of await listFilesSorted(join(root, folder))) {
      if (!file.endsWith('.hea')) continue;
      const headerPath = `${folder}/${file}`;
      const record = headerPath.slice(0, -'.hea'.length);
      const headerText = await readFile(join(root, headerPath), 'utf8');
      const comments = headerComments(headerText);
      const dx = comments.get('Dx');
      if (dx === undefined || dx === '') {
        yield rejectItem('ADAPTER_NO_LABEL', headerPath, 'header has no #Dx comment');
        continue;
      }
      const rawCodes: RawCode[] = dx.split(',').map((code) => code.trim()).filter((code) => code !== '').map((code) => ({ codeSystem: 'snomed-ct', code }));
      const labels = catalog.labelsFromCodes(dataset.dataset_key, rawCodes);
      if (labels === null) {
        yield rejectItem('ADAPTER_UNKNOWN_LABEL', headerPath, `no #Dx code maps to an answer (${dx})`);
        continue;
      }
      const directory = headerPath.slice(0, headerPath.lastIndexOf('/') + 1);
      const files = signalFiles(headerText);
      if (files.length === 0) {
        yield rejectItem('ADAPTER_BAD_HEADER', headerPath, 'no signal line');
        continue;
      }
      const missing: string[] = [];
      for (const signalFile of files) if (!(await isFile(root, `${directory}${signalFile}`))) missing.push(signalFile);
      if (missing.length > 0) {
        yield rejectItem('ADAPTER_MEDIA_MISSING', `${directory}${missing[0]}`, `signal file(s) ${missing.join(', ')} of ${headerPath} not found`);
        continue;
      }
      yield sampleItem(newSample(context, {
        media: [record],
        labels,
        rawCodes,
        boxes: [],
        masks: [],
        patientKey: record.slice(record.lastIndexOf('/') + 1),
        officialSplit: null,
        attributes: { source: folder.slice(folder.lastIndexOf('/') + 1), age: comments.get('Age') ?? null, sex: comments.get('Sex') ?? null },
      }));
    }
  }
};
