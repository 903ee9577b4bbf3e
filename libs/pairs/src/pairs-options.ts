// The options of `ingest:pairs`, as text on the command line and as typed values for the stage.
import type { AdapterOptions, UncertaintyPolicy } from '@qoq/adapters';
import { parseChoice, parseFiniteNumber, parseNonNegativeInteger, parsePositiveInteger, UsageError, type OptionSpecs, type ParsedOptions } from '@qoq/runtime';
import { DEFAULT_SPLIT_RATIOS, type SplitMethod, type SplitRatios } from './split-assignment';

export const PAIRS_STAGE_OPTIONS = {
  'media-from': { type: 'string' },
  'validation-ratio': { type: 'string' },
  'test-ratio': { type: 'string' },
  'split-method': { type: 'string' },
  shard: { type: 'string' },
  format: { type: 'string' },
  'rows-per-shard': { type: 'string' },
  'near-duplicate-distance': { type: 'string' },
  uncertainty: { type: 'string' },
  views: { type: 'string' },
  'reader-fusion': { type: 'string' },
  'ptbxl-likelihood': { type: 'string' },
  'mimic-granularity': { type: 'string' },
} as const satisfies OptionSpecs;

export const PAIRS_STAGE_USAGE = `usage: nx run ingest:pairs [options]
  --input=DIR --dataset=KEY | --sources=FILE   downloaded datasets (default: the sample's sources.json)
  --output=DIR              the corpus folder (default data/sample/corpus for the sample)
  --media-from=DIR          folder holding the ingest stages' outputs dicom/, images/, ecg/
                            (default data/sample for the sample; required otherwise)
  --salt-file=FILE          secret salt for ids, patient keys and media names (required for real data)
  --validation-ratio=R --test-ratio=R
                            patient shares of the derived splits (default ${DEFAULT_SPLIT_RATIOS.validation} and ${DEFAULT_SPLIT_RATIOS.test}); official splits win,
                            a source without validation gets it carved from its train patients
  --split-method=stratified|hash
                            stratified (default): exact shares per label stratum; hash: each patient by its
                            own hash (stable when data is added)
  --shard=I/N               build the I-th (0-based) of N patient-disjoint partitions (a Slurm array task
                            or a Kubernetes Indexed Job); join them with ingest:merge
  --format=qoq-jsonl,verl   also export (export/qoq-med/, export/verl/)
  --rows-per-shard=N        rows per Parquet file (default 200000)
  --near-duplicate-distance=D
                            report image pairs whose 256-bit difference hashes differ in ≤ D bits (default 8)
  --uncertainty=zeros|ones|ignore   CheXpert / MIMIC-CXR uncertain labels (default zeros)
  --views=frontal|all       chest X-ray views (default frontal)
  --reader-fusion=majority|union    VinDr-CXR readers (default majority)
  --ptbxl-likelihood=P      PTB-XL diagnostic statement likelihood threshold in % (default 50)
  --mimic-granularity=image|study   one MIMIC-CXR pair per image (default) or per study
  --workers=N --fail-on-reject`;

export type ExportFormat = 'qoq-jsonl' | 'verl';

export interface ShardSelection {
  readonly index: number;
  readonly count: number;
}

export interface PairsStageOptions {
  readonly ratios: SplitRatios;
  readonly splitMethod: SplitMethod;
  readonly shard: ShardSelection | null;
  readonly formats: readonly ExportFormat[];
  readonly rowsPerShard: number;
  readonly nearDuplicateDistance: number;
  readonly adapter: AdapterOptions;
  /** The adapter options as plain JSON, for the manifest (no functions). */
  readonly adapterJson: Record<string, string | number>;
}

export function parseShard(text: string): ShardSelection {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--shard must be I/N (0-based index, count), got '${text}'`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) throw new UsageError(`--shard=${text}: need 0 ≤ I < N and N ≥ 1`);
  return { index, count };
}

function ratio(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = parseFiniteNumber(name, text);
  if (value < 0 || value >= 1) throw new UsageError(`--${name} must be in [0, 1), got '${text}'`);
  return value;
}

export function pairsStageOptionsFrom(parsed: ParsedOptions<typeof PAIRS_STAGE_OPTIONS>): PairsStageOptions {
  const ratios = {
    validation: ratio('validation-ratio', parsed['validation-ratio'], DEFAULT_SPLIT_RATIOS.validation),
    test: ratio('test-ratio', parsed['test-ratio'], DEFAULT_SPLIT_RATIOS.test),
  };
  if (ratios.validation + ratios.test >= 1) throw new UsageError('--validation-ratio + --test-ratio must be below 1');
  const formats = (parsed.format ?? '')
    .split(',')
    .filter((format) => format !== '')
    .map((format) => parseChoice('format', format, ['qoq-jsonl', 'verl'] as const));
  const adapterJson: Record<string, string | number> = {};
  const adapter: AdapterOptions = {};
  if (parsed.uncertainty !== undefined) {
    adapter.uncertainty = parseChoice<UncertaintyPolicy>('uncertainty', parsed.uncertainty, ['zeros', 'ones', 'ignore']);
    adapterJson.uncertainty = adapter.uncertainty;
  }
  if (parsed.views !== undefined) {
    adapter.views = parseChoice('views', parsed.views, ['frontal', 'all'] as const);
    adapterJson.views = adapter.views;
  }
  if (parsed['reader-fusion'] !== undefined) {
    adapter.readerFusion = parseChoice('reader-fusion', parsed['reader-fusion'], ['majority', 'union'] as const);
    adapterJson.readerFusion = adapter.readerFusion;
  }
  if (parsed['ptbxl-likelihood'] !== undefined) {
    adapter.ptbXlLikelihoodThreshold = parseFiniteNumber('ptbxl-likelihood', parsed['ptbxl-likelihood']);
    adapterJson.ptbXlLikelihoodThreshold = adapter.ptbXlLikelihoodThreshold;
  }
  if (parsed['mimic-granularity'] !== undefined) {
    adapter.mimicGranularity = parseChoice('mimic-granularity', parsed['mimic-granularity'], ['image', 'study'] as const);
    adapterJson.mimicGranularity = adapter.mimicGranularity;
  }
  return {
    ratios,
    splitMethod: parsed['split-method'] === undefined ? 'stratified' : parseChoice('split-method', parsed['split-method'], ['stratified', 'hash'] as const),
    shard: parsed.shard === undefined ? null : parseShard(parsed.shard),
    formats: [...new Set(formats)],
    rowsPerShard: parsed['rows-per-shard'] === undefined ? 200_000 : parsePositiveInteger('rows-per-shard', parsed['rows-per-shard']),
    nearDuplicateDistance: parsed['near-duplicate-distance'] === undefined ? 8 : parseNonNegativeInteger('near-duplicate-distance', parsed['near-duplicate-distance']),
    adapter,
    adapterJson,
  };
}
