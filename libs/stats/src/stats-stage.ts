// The three stats commands (design.md "Statistics"): stats:rarity → rarity.json + CSVs, stats:difficulty →
// difficulty.json, stats:report → stats.json + report.html. Each reads the corpus once (streaming), computes
// everything, and only then writes its files (each atomically), so bad input (exit 2) writes nothing.
// stats:report computes rarity and difficulty itself rather than reading their JSON: it needs no other
// target to have run and cannot mix figures of two corpora.
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeFileAtomically } from '@qoq/dataset-io';
import { loadCatalog } from '@qoq/catalog';
import { ExitCode, UsageError, findWorkspaceRoot, formatRunSummary, parseChoice, parseCommandLine, parseFiniteNumber, peakRssOfSelf, type CommonOptions } from '@qoq/runtime';
import { scanCorpus, type CorpusScan } from './corpus-scan';
import type { RowValidation } from './shard-scan';
import { computeDifficulty, type DifficultyReport } from './difficulty-report';
import { mediaCsvFiles } from './media-csv';
import { computeMediaReport, type MediaFromMode, type MediaReport } from './media-report';
import { computeRarity, type RarityReport } from './rarity';
import { rarityCsvFiles } from './rarity-csv';
import { renderReportHtml } from './report-html';
import { rolloutDifficulty } from './rollout-difficulty';

export type StatsCommand = 'rarity' | 'difficulty' | 'report';

const STATS_OPTIONS = {
  rollouts: { type: 'string' },
  'pass-threshold': { type: 'string' },
  validate: { type: 'string' },
  'media-from': { type: 'string' },
} as const;

export const STATS_USAGE = `usage: nx run stats:<rarity|difficulty|report> [-- options]
  --input=CORPUS_DIR      the corpus folder (default data/sample/corpus/)
  --output=DIR            where to write (default data/sample/stats/)
  --validate=columns|full columns (default): check the columns stats reads; full: every column of
                          every row through the catalog's validateInstructionPair (slow)
  --rollouts=FILE         difficulty, report: a trainer rollouts.jsonl for reward-based figures
  --pass-threshold=X      difficulty, report: a rollout passes when its accuracy is ≥ X (default 0.5)
  --media-from=DIR|none   rarity, report: the folder holding the ingest stages' outputs dicom/, images/,
                          ecg/ the corpus was built from, for the media and pipeline figures (default
                          data/sample for the sample corpus, as ingest:pairs; with --input and no
                          --media-from, or with none, the stage figures are skipped)
  --workers=N             threads scanning shards in parallel (default 1; each adds ~180 MB)
outputs: rarity → rarity.json, rarity_*.csv, label_*.csv, media.json, media_*.csv;
         difficulty → difficulty.json;
         report → stats.json (all three + the manifest's SHA-256) and report.html`;

export interface StatsIo {
  readonly stdout: (text: string) => void;
}

const defaultIo: StatsIo = { stdout: (text) => process.stdout.write(text) };

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function refuseIngestOptions(common: CommonOptions): void {
  for (const [name, value] of [['dataset', common.dataset], ['sources', common.sources], ['salt-file', common.saltFile]] as const) {
    if (value !== undefined) throw new UsageError(`--${name} does not apply to stats (it reads a corpus: --input=CORPUS_DIR)`);
  }
}

function corpusSummary(scan: CorpusScan): RarityReport['corpus'] {
  return { rows: scan.rows, manifest_sha256: scan.manifestSha256, shards: scan.manifest.shards.length, rejects: scan.rejects };
}

/**
 * Where the ingest stages' outputs are: --media-from=DIR, none, or by default data/sample when the corpus
 * is the sample's (no --input) — as ingest:pairs resolves its own --media-from. A folder given explicitly
 * must exist and hold at least one of dicom/, images/, ecg/ (as ingest:pairs requires), else exit 2; one
 * stage folder missing is reported as absent.
 */
async function mediaSource(option: string | undefined, sampleCorpus: boolean, root: string): Promise<{ folder: string | null; mode: MediaFromMode }> {
  if (option === 'none') return { folder: null, mode: 'none' };
  if (option === undefined) return sampleCorpus ? { folder: join(root, 'data/sample'), mode: 'sample-default' } : { folder: null, mode: 'not-given' };
  const folder = resolve(option);
  const isFolder = async (path: string): Promise<boolean> => (await stat(path).catch(() => null))?.isDirectory() ?? false;
  if (!(await isFolder(folder))) throw new UsageError(`--media-from=${option}: ${folder} is not a folder (the folder holding the ingest stages' dicom/, images/, ecg/; or --media-from=none)`);
  const stages = await Promise.all(['dicom', 'images', 'ecg'].map((stage) => isFolder(join(folder, stage))));
  if (!stages.some(Boolean)) throw new UsageError(`--media-from=${folder} holds none of dicom/, images/, ecg/: run the ingest stages first, or pass --media-from=none`);
  return { folder, mode: 'option' };
}

/** Runs one stats command; throws UsageError for bad usage or bad input (runCommand maps it to exit 2). */
export async function runStatsCommand(command: StatsCommand, argv: readonly string[], io: StatsIo = defaultIo): Promise<ExitCode> {
  const startedAt = performance.now();
  const { common, options } = parseCommandLine(argv, STATS_OPTIONS);
  if (common.help) {
    io.stdout(`${STATS_USAGE}\n`);
    return ExitCode.Finished;
  }
  refuseIngestOptions(common);
  if (command === 'rarity' && (options.rollouts !== undefined || options['pass-threshold'] !== undefined)) {
    throw new UsageError('--rollouts and --pass-threshold belong to stats:difficulty and stats:report');
  }
  const validation: RowValidation = options.validate === undefined ? 'columns' : parseChoice('validate', options.validate, ['columns', 'full'] as const);
  const passThreshold = options['pass-threshold'] === undefined ? 0.5 : parseFiniteNumber('pass-threshold', options['pass-threshold']);
  const root = common.input === undefined || common.output === undefined ? findWorkspaceRoot() : '';
  const input = resolve(common.input ?? join(root, 'data/sample/corpus'));
  const output = resolve(common.output ?? join(root, 'data/sample/stats'));
  if (command === 'difficulty' && options['media-from'] !== undefined) throw new UsageError('--media-from belongs to stats:rarity and stats:report');
  const media = await mediaSource(options['media-from'], common.input === undefined, root);

  // One scanning thread unless --workers=N asks for more: measured on the shared 2-core machine, a second
  // thread cost more CPU (its own heap and catalog) than it saved and took peak RSS from ~270 to ~450 MB
  // (tools/bench/stats; README).
  const workers = argv.some((arg) => arg.startsWith('--workers')) ? common.workers : 1;
  const scan = await scanCorpus(input, { validation, workers });
  const corpus = corpusSummary(scan);
  const files: Record<string, string> = {};
  const mediaReport = async (): Promise<MediaReport> =>
    computeMediaReport({
      corpus: input,
      mediaFrom: media.folder,
      mediaFromMode: media.mode,
      catalog: loadCatalog(),
      rowsByDataset: new Map(scan.tallies.map((tally) => [tally.datasetKey, tally.total])),
      corpusRejects: scan.rejects,
    });
  if (command === 'rarity') {
    const rarity = computeRarity(scan.tallies, corpus);
    files['rarity.json'] = json(rarity);
    Object.assign(files, rarityCsvFiles(rarity));
    const mediaFigures = await mediaReport();
    files['media.json'] = json(mediaFigures);
    Object.assign(files, mediaCsvFiles(mediaFigures));
  } else {
    const rollouts = options.rollouts === undefined ? null : await rolloutDifficulty(resolve(options.rollouts), { passThreshold });
    const difficulty: DifficultyReport = computeDifficulty(scan.tallies, corpus, rollouts);
    if (command === 'difficulty') {
      files['difficulty.json'] = json(difficulty);
    } else {
      const rarity = computeRarity(scan.tallies, corpus);
      const mediaFigures = await mediaReport();
      files['stats.json'] = json({ corpus_manifest_sha256: scan.manifestSha256, rarity, difficulty, media: mediaFigures });
      files['report.html'] = renderReportHtml(rarity, difficulty, mediaFigures);
    }
  }
  // Everything is computed: only now does the output folder change.
  await mkdir(output, { recursive: true });
  for (const [name, content] of Object.entries(files)) await writeFileAtomically(join(output, name), content);
  io.stdout(
    `${formatRunSummary({
      stage: `stats:${command}`,
      processed: scan.rows,
      written: Object.keys(files).length,
      rejected: 0,
      elapsedMs: performance.now() - startedAt,
      peakRssBytes: peakRssOfSelf(),
      output,
    })}\n`,
  );
  return ExitCode.Finished;
}
