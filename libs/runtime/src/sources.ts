// Where a stage's inputs are (../shared/design.md "Finding the data"): --input with --dataset, or
// --sources=FILE for many datasets, or by default the bundled sample's sources.json.
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { UsageError } from './exit-codes';

export interface SourceEntry {
  /** `<modality folder>/<dataset>`, or `local/<folder name>` for an ad-hoc --input. */
  readonly datasetKey: string;
  /** The adapter layout id from the catalog, when known. */
  readonly layout: string | undefined;
  /** Absolute path of the dataset folder (or folder of files). */
  readonly folder: string;
  /**
   * Datasets that share patient identifiers (MIMIC-CXR DICOM and a MIMIC-CXR-JPG copy under another key)
   * name one namespace: their patients then get one key and one split. Default: the dataset key.
   */
  readonly patientNamespace?: string;
}

export interface ResolvedSources {
  readonly entries: readonly SourceEntry[];
  /** True when the inputs are the bundled sample (which may use the public salt). */
  readonly isBundledSample: boolean;
}

export const SAMPLE_ROOT = 'data/sample';
export const SAMPLE_SOURCES = `${SAMPLE_ROOT}/raw/sources.json`;

interface SourcesFileEntry {
  dataset_key?: unknown;
  layout?: unknown;
  folder?: unknown;
  patient_namespace?: unknown;
}

export async function readSourcesFile(file: string): Promise<SourceEntry[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'is not valid JSON';
    throw new UsageError(`sources file ${file} ${reason}`);
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { sources?: unknown }).sources;
  if (!Array.isArray(list)) throw new UsageError(`sources file ${file}: expected a list of {dataset_key, layout, folder}`);
  return list.map((raw: SourcesFileEntry, index) => {
    if (typeof raw.dataset_key !== 'string' || typeof raw.folder !== 'string') {
      throw new UsageError(`sources file ${file}: entry ${index} needs string dataset_key and folder`);
    }
    if (raw.patient_namespace !== undefined && (typeof raw.patient_namespace !== 'string' || raw.patient_namespace === '')) {
      throw new UsageError(`sources file ${file}: entry ${index} has a patient_namespace that is not a non-empty string`);
    }
    return {
      datasetKey: raw.dataset_key,
      layout: typeof raw.layout === 'string' ? raw.layout : undefined,
      folder: resolve(dirname(file), raw.folder),
      ...(raw.patient_namespace === undefined ? {} : { patientNamespace: raw.patient_namespace }),
    };
  });
}

/** Resolves the sources of a run from the common options, relative to `workspaceRoot`. */
export async function resolveSources(
  options: { input: string | undefined; dataset: string | undefined; sources: string | undefined },
  workspaceRoot: string,
): Promise<ResolvedSources> {
  if (options.input !== undefined && options.sources !== undefined) {
    throw new UsageError('give either --input or --sources, not both');
  }
  if (options.input !== undefined) {
    const folder = resolve(options.input);
    return {
      entries: [{ datasetKey: options.dataset ?? `local/${basename(folder)}`, layout: undefined, folder }],
      isBundledSample: false,
    };
  }
  const file = resolve(workspaceRoot, options.sources ?? SAMPLE_SOURCES);
  if (options.sources === undefined) {
    try {
      await readFile(file);
    } catch {
      throw new UsageError(`no inputs given and ${SAMPLE_SOURCES} does not exist: run \`npx nx run sample:generate\` first`);
    }
  }
  const all = await readSourcesFile(file);
  // --dataset with a sources file (or the sample's) selects one of its datasets.
  const entries = options.dataset === undefined ? all : all.filter((entry) => entry.datasetKey === options.dataset);
  if (entries.length === 0) throw new UsageError(`dataset ${options.dataset} is not in ${file}`);
  return { entries, isBundledSample: options.sources === undefined };
}
