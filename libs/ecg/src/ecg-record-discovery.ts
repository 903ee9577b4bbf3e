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
 * The WFDB headers among `files` that may be records. For the PTB-XL layout the 100 Hz copies under
 * records100/ are left out: the 500 Hz originals (filename_hr) are the records.
 */
export function candidateHeaders(files: readonly string[], layout: string | undefined): string[] {
  return files.filter((path) => path.endsWith('.hea') && !(layout === 'ptb-xl' && path.startsWith('records100/')));
}

/**
 * The segment headers a header at `path` names when it is a multi-segment record (paths relative to
 * the dataset folder); none for a single-segment or broken header (a broken header is still a record:
 * reading it will reject it with its reason).
 */
export function segmentHeadersOf(path: string, text: string): string[] {
  let header;
  try {
    header = parseWfdbHeader(text, path);
  } catch {
    return [];
  }
  if (header.kind !== 'multi-segment') return [];
  const directory = posix.dirname(path);
  return header.segments.filter((segment) => segment.recordName !== '~').map((segment) => posix.join(directory, `${segment.recordName}.hea`));
}

/** The records among `files` (sorted), given the segment headers that are not records of their own. */
export function ecgRecordsAmong(files: readonly string[], layout: string | undefined, segmentHeaders: ReadonlySet<string>): EcgRecordRef[] {
  const records: EcgRecordRef[] = [
    ...candidateHeaders(files, layout).filter((path) => !segmentHeaders.has(path)).map((path) => ({ kind: 'wfdb' as const, path })),
    ...files.filter((path) => DICOM_EXTENSION.test(path)).map((path) => ({ kind: 'dicom-waveform' as const, path })),
  ];
  return records.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The records among `files` (paths relative to `folder`, sorted), reading each candidate header. */
export async function discoverEcgRecords(folder: string, files: readonly string[], layout: string | undefined): Promise<EcgRecordRef[]> {
  const segmentHeaders = new Set<string>();
  for (const path of candidateHeaders(files, layout)) {
    let text: string;
    try {
      text = await readFile(join(folder, path), 'latin1');
    } catch {
      continue;
    }
    for (const segment of segmentHeadersOf(path, text)) segmentHeaders.add(segment);
  }
  return ecgRecordsAmong(files, layout, segmentHeaders);
}
