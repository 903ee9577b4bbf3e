// Which inputs of a dataset folder are ECG records: WFDB headers that are not segments of a
// multi-segment record, and DICOM files (tried as waveforms). Sorted by path, so the order of work
// and of output rows never depends on the file system.
import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { parseWfdbHeader } from './wfdb-header';

export type EcgRecordRef =
  | { readonly kind: 'wfdb'; readonly path: string }
  | { readonly kind: 'dicom-waveform'; readonly path: string };

const DICOM_EXTENSION = /\.(dcm|dicom)$/i;

/**
 * The records among `files` (paths relative to `folder`, sorted). For the PTB-XL layout the 100 Hz
 * copies under records100/ are left out: the 500 Hz originals (filename_hr) are the records.
 */
export async function discoverEcgRecords(folder: string, files: readonly string[], layout: string | undefined): Promise<EcgRecordRef[]> {
  const headers = files.filter((path) => path.endsWith('.hea') && !(layout === 'ptb-xl' && path.startsWith('records100/')));
  const segmentHeaders = new Set<string>();
  for (const path of headers) {
    let header;
    try {
      header = parseWfdbHeader(await readFile(join(folder, path), 'latin1'), path);
    } catch {
      continue; // a broken header is still a record: reading it will reject it with its reason
    }
    if (header.kind !== 'multi-segment') continue;
    const directory = posix.dirname(path);
    for (const segment of header.segments) {
      if (segment.recordName !== '~') segmentHeaders.add(posix.join(directory, `${segment.recordName}.hea`));
    }
  }
  const records: EcgRecordRef[] = [
    ...headers.filter((path) => !segmentHeaders.has(path)).map((path) => ({ kind: 'wfdb' as const, path })),
    ...files.filter((path) => DICOM_EXTENSION.test(path)).map((path) => ({ kind: 'dicom-waveform' as const, path })),
  ];
  return records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
