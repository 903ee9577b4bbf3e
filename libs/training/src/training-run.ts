// A training run (issue 10; design.md "A training run folder"): the corpus verified and decoded, the
// seeded loop of rollout (or supervised) steps, validation every N steps choosing the best weights,
// atomic checkpoints every N steps from which `resume` continues exactly, and at the end the test split
// evaluated once with the best weights beside the label-prior baselines: eval.json and report.html.
//
// Run folder: config.json, run.json, metrics.jsonl, rollouts.jsonl, validation.jsonl, timings.jsonl,
// checkpoints/step-NNNNNN/ and best-step-NNNNNN/, eval.json, predictions-test.jsonl, report.html.
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '@qoq/dataset-io';
import type { PolicyState, TrainablePolicy } from '@qoq/policy';
import { UsageError } from '@qoq/runtime';
import { AdvantageEstimator } from './advantage-estimator';
import { CheckpointStore, bestFolderName, type BestRecord, type CheckpointMeta, type WriteProbe } from './checkpoint-store';
import { checkStatsMatchCorpus, loadTrainingCorpus, splitExamples, type TrainingCorpus, type TrainingExample } from './corpus-loader';
import type { EvaluationFigures } from './evaluation-figures';
import { GoldMaskStore } from './gold-mask-store';
import { JsonlLog, readJsonl, type LogLength } from './jsonl-log';
import { labelPriors, type DatasetPrior } from './label-prior-baseline';
import { QuestionSampler } from './question-sampler';
import { renderRunReport } from './run-report-html';
import { baselineFigures, compareWithBaselines, evaluatePolicyOnSplit } from './split-evaluation';
import { changedKeys, runFolderOf, workspacePath, type TrainerConfig } from './trainer-config';
import { rolloutStep, supervisedStep, type StepContext, type StepOutcome } from './training-step';

export interface PolicyFactoryInput {
  /** Every dataset_key of the corpus with its label set in canonical order. */
  readonly labelSets: ReadonlyMap<string, readonly string[]>;
  readonly config: TrainerConfig;
}

/** Builds the run's policy: initial weights from config.seed; the reference frozen at creation. */
export type PolicyFactory = (input: PolicyFactoryInput) => TrainablePolicy | Promise<TrainablePolicy>;

export interface PreparedRun {
  readonly config: TrainerConfig;
  readonly runFolder: string;
  readonly corpus: TrainingCorpus;
  readonly train: readonly TrainingExample[];
  readonly validation: readonly TrainingExample[];
  readonly test: readonly TrainingExample[];
  readonly priors: ReadonlyMap<string, DatasetPrior>;
  readonly masks: GoldMaskStore;
}

export interface PrepareOptions {
  readonly workspaceRoot: string;
  /** The side of the square images the policy reads. */
  readonly imageSize: number;
  /** An already loaded corpus (benchmarks reuse one across runs); it must be the config's. */
  readonly corpus?: TrainingCorpus;
  readonly stderr?: (line: string) => void;
}

/** The first of the run's checks: corpus manifest, media, statistics — all before any training (exit 2). */
export async function prepareRun(config: TrainerConfig, options: PrepareOptions): Promise<PreparedRun> {
  const corpusFolder = workspacePath(config.corpus, options.workspaceRoot);
  let corpus = options.corpus;
  if (!corpus) {
    let last = 0;
    corpus = await loadTrainingCorpus(corpusFolder, {
      imageSize: options.imageSize,
      onDecoded: (done, total) => {
        if (done === total || done - last >= 1000) {
          last = done;
          options.stderr?.(`corpus: ${done}/${total} rows decoded`);
        }
      },
    });
  }
  if (config.stats !== null) await checkStatsMatchCorpus(workspacePath(config.stats, options.workspaceRoot), corpus.manifestSha256);
  const train = splitExamples(corpus, 'train');
  const validation = splitExamples(corpus, 'validation');
  const test = splitExamples(corpus, 'test');
  if (train.length < config.batch.questions) {
    throw new UsageError(`${corpusFolder}: the train split has ${train.length} rows, fewer than batch.questions (${config.batch.questions})`, 'CORPUS_TOO_SMALL');
  }
  if (validation.length === 0 || test.length === 0) throw new UsageError(`${corpusFolder}: the corpus needs validation and test rows`, 'CORPUS_TOO_SMALL');
  return {
    config,
    runFolder: runFolderOf(config, options.workspaceRoot),
    corpus,
    train,
    validation,
    test,
    priors: labelPriors(train, corpus.labelSets),
    masks: new GoldMaskStore(join(corpus.folder, 'media')),
  };
}

/** `new`: the folder must not hold a run; `resume`: continue the run there; `fresh`: delete it and start over. */
export type StartMode = 'new' | 'resume' | 'fresh';

export interface TrainingRunOptions {
  readonly prepared: PreparedRun;
  readonly createPolicy: PolicyFactory;
  readonly mode?: StartMode;
  readonly stderr?: (line: string) => void;
  readonly now?: () => number;
  /** Test hooks: after each step's logs are written (throw to simulate a kill), inside checkpoint writes. */
  readonly afterStep?: (step: number) => void | Promise<void>;
  readonly checkpointProbe?: WriteProbe;
  /** Facts about the machine written to run.json (e.g. the backend and GPU); never part of the run's identity. */
  readonly environment?: Record<string, unknown>;
}

export interface TrainingRunResult {
  readonly runFolder: string;
  readonly steps: number;
  /** The step the run started from (0 for a new run). */
  readonly resumedFrom: number;
  readonly best: BestRecord | null;
  readonly evaluation: EvalDocument;
  /** The policy's state after the last step (before the best weights were loaded for the test). */
  readonly finalState: PolicyState;
}

export interface EvalDocument {
  readonly split: string;
  readonly estimator: string;
  readonly seed: number;
  readonly checkpoint: { readonly kind: 'best' | 'last'; readonly step: number; readonly validation_macro_f1: number | null };
  readonly corpus_manifest_sha256: string;
  /** dataset_key → domain. */
  readonly dataset_domains: Record<string, string>;
  readonly bootstrap: { readonly resamples: number; readonly confidence: 0.95; readonly unit: string; readonly seed: number };
  readonly policy: EvaluationFigures;
  readonly baselines: Record<string, EvaluationFigures>;
  readonly comparison: ReturnType<typeof compareWithBaselines>;
  readonly definitions: Record<string, string>;
}

const LOGS = ['metrics', 'rollouts', 'validation', 'timings'] as const;
type LogName = (typeof LOGS)[number];

const EVAL_DEFINITIONS = {
  accuracy: 'QoQ-Med §4: per dataset, the mean over its gold labels of one-vs-rest (TP + TN) / N; domain = mean of its datasets; overall = mean of the domains',
  macro_f1: 'the same averaging of the per-label one-vs-rest F1',
  iou: 'mean over questions with a gold box or mask of the reward\'s IoU component (@qoq/drpo computeReward) of the greedy answer; overall = mean over the domains that have one',
  ci95: 'bootstrap percentile interval (2.5 %, 97.5 %): questions resampled with replacement within each dataset_key, seeded',
  majority: 'label-prior baseline: always the commonest training answer of the dataset',
  prevalence: 'label-prior baseline: one label drawn from the training label distribution (single-label datasets) or each label with its training prevalence (multi-label), seeded per question',
  beats_baseline: 'policy macro-F1 > the better baseline macro-F1 on the dataset',
};

async function folderHoldsRun(folder: string): Promise<boolean> {
  try {
    return (await readdir(folder)).length > 0;
  } catch {
    return false;
  }
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

const fixed = (value: number, digits = 3): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** Trains, validates, checkpoints and finally tests; see the file comment. */
export async function runTraining(options: TrainingRunOptions): Promise<TrainingRunResult> {
  const { prepared } = options;
  const { config, runFolder } = prepared;
  const stderr = options.stderr ?? (() => undefined);
  const now = options.now ?? (() => performance.now());
  const mode = options.mode ?? 'new';

  if (mode === 'fresh') await rm(runFolder, { recursive: true, force: true });
  const exists = await folderHoldsRun(runFolder);
  if (mode === 'new' && exists) {
    throw new UsageError(`${runFolder} already holds a run: pass --resume to continue it, --fresh to start it over, or --output=DIR`, 'RUN_EXISTS');
  }
  const runInfo = { corpus_manifest_sha256: prepared.corpus.manifestSha256, train: prepared.train.length, validation: prepared.validation.length, test: prepared.test.length };
  if (mode === 'resume' && exists) {
    let previous: unknown;
    try {
      previous = JSON.parse(await readFile(join(runFolder, 'config.json'), 'utf8'));
    } catch {
      throw new UsageError(`${runFolder}: no readable config.json, so not a run folder to resume`, 'RUN_INVALID');
    }
    const changed = changedKeys(previous, config).filter((key) => key !== 'steps');
    if (changed.length > 0) throw new UsageError(`${runFolder}: cannot resume with a different config (changed: ${changed.join(', ')}); only steps may change`, 'RUN_CONFIG_CHANGED');
    const info = JSON.parse(await readFile(join(runFolder, 'run.json'), 'utf8').catch(() => '{}')) as { corpus_manifest_sha256?: string };
    if (info.corpus_manifest_sha256 !== undefined && info.corpus_manifest_sha256 !== prepared.corpus.manifestSha256) {
      throw new UsageError(`${runFolder}: the run was trained on the corpus with manifest SHA-256 ${info.corpus_manifest_sha256}, not ${prepared.corpus.manifestSha256}`, 'RUN_OTHER_CORPUS');
    }
  }
  await mkdir(runFolder, { recursive: true });
  await writeFileAtomically(join(runFolder, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  await writeFileAtomically(join(runFolder, 'run.json'), `${JSON.stringify({ ...runInfo, ...(options.environment ?? {}) }, null, 2)}\n`);

  const store = new CheckpointStore(join(runFolder, 'checkpoints'), options.checkpointProbe);
  const checkpoint = mode === 'resume' ? await store.latest() : null;
  if (checkpoint) await store.prune(checkpoint, config.checkpoint.keep);
  else await rm(join(runFolder, 'checkpoints'), { recursive: true, force: true });

  const policy = await options.createPolicy({ labelSets: prepared.corpus.labelSets, config });
  const logs = {} as Record<LogName, JsonlLog>;
  try {
    if (checkpoint) {
      policy.setState(checkpoint.policy);
      if (checkpoint.reference) policy.setReferenceState(checkpoint.reference);
    }
    for (const name of LOGS) logs[name] = await JsonlLog.open(join(runFolder, `${name}.jsonl`), checkpoint?.logs[name] ?? null);
    const estimator = new AdvantageEstimator(config, checkpoint?.drpo ?? null);
    const sampler = new QuestionSampler(prepared.train.length, config.seed, checkpoint?.sampler);
    let best: BestRecord | null = checkpoint?.best ?? null;
    const startStep = checkpoint?.step ?? 0;
    if (startStep > 0) stderr(`${config.estimator} s${config.seed}: resuming after step ${startStep} from ${checkpoint?.folder}`);
    const context: StepContext = { config, policy, estimator, masks: prepared.masks, now };
    const step_ = config.estimator === 'supervised' ? supervisedStep : rolloutStep;
    const validationExamples = limitPerDataset(prepared.validation, config.evaluation.maxPerDataset);
    const loopStarted = now();

    for (let step = startStep + 1; step <= config.steps; step++) {
      const examples = sampler.nextBatch(config.batch.questions).map((index) => prepared.train[index]);
      const outcome: StepOutcome = await step_(context, step, examples);
      await logs.metrics.append([{ ...outcome.metrics, epoch: sampler.state.epoch }]);
      await logs.rollouts.append(outcome.rollouts);
      await logs.timings.append([outcome.timings]);
      const elapsed = now() - loopStarted;
      const perStep = elapsed / (step - startStep);
      const { summary } = outcome;
      stderr(
        `${config.estimator} s${config.seed} step ${step}/${config.steps}` +
          (Number.isFinite(summary.reward) ? ` · reward ${fixed(summary.reward)} · acc ${fixed(summary.accuracy)}` : '') +
          ` · loss ${fixed(summary.loss, 4)} · clip ${fixed(summary.clipFraction)} · kl ${summary.kl.toExponential(2)}` +
          ` · ${(perStep / 1000).toFixed(2)} s/step · eta ${formatDuration(perStep * (config.steps - step))}`,
      );

      if (step % config.evaluation.every === 0 || step === config.steps) {
        const validation = await evaluatePolicyOnSplit(policy, validationExamples, prepared.masks, config, 0, 'validation');
        const macroF1 = validation.figures.overall.macro_f1.value;
        await logs.validation.append([{ step, questions: validationExamples.length, ...figuresLine(validation.figures) }]);
        const improved = best === null || macroF1 > best.macroF1;
        stderr(`${config.estimator} s${config.seed} validation at step ${step}: macro-F1 ${fixed(macroF1)} · accuracy ${fixed(validation.figures.overall.accuracy.value)}${improved ? ' (best so far)' : ''}`);
        if (improved) {
          best = { step, macroF1, folder: bestFolderName(step) };
          await store.writeBest(best, policy.getState());
        }
      }
      if (step % config.checkpoint.every === 0 || step === config.steps) {
        for (const name of LOGS) await logs[name].sync();
        const lengths = Object.fromEntries(LOGS.map((name) => [name, logs[name].length])) as Record<LogName, LogLength>;
        const meta: CheckpointMeta = { step, sampler: sampler.state, drpo: estimator.snapshot(), logs: lengths, best };
        await store.write(meta, policy.getState(), policy.getReferenceState());
        await store.prune(meta, config.checkpoint.keep);
      }
      await options.afterStep?.(step);
    }
    for (const name of LOGS) await logs[name].close();
    const finalState = policy.getState();

    // The test split, once, with the best weights on validation.
    let checkpointInfo: EvalDocument['checkpoint'] = { kind: 'last', step: config.steps, validation_macro_f1: null };
    if (best) {
      const saved = await store.readBest(best.folder);
      policy.setState(saved.policy);
      checkpointInfo = { kind: 'best', step: best.step, validation_macro_f1: best.macroF1 };
    }
    const evaluation = await writeTestEvaluation(prepared, policy, checkpointInfo, stderr);
    await writeRunReport(runFolder, evaluation);
    return { runFolder, steps: config.steps, resumedFrom: startStep, best, evaluation, finalState };
  } finally {
    for (const log of Object.values(logs)) await log.close();
    policy.dispose();
  }
}

/** The first `limit` questions of each dataset (by id), or all. */
export function limitPerDataset(examples: readonly TrainingExample[], limit: number | null): TrainingExample[] {
  if (limit === null) return [...examples];
  const byDataset = new Map<string, TrainingExample[]>();
  for (const example of examples) {
    const list = byDataset.get(example.datasetKey) ?? [];
    byDataset.set(example.datasetKey, list);
    list.push(example);
  }
  const chosen = new Set<TrainingExample>();
  for (const list of byDataset.values()) for (const example of [...list].sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, limit)) chosen.add(example);
  return examples.filter((example) => chosen.has(example));
}

/** A validation.jsonl line's figures: the point values only. */
function figuresLine(figures: EvaluationFigures): Record<string, unknown> {
  const point = (group: EvaluationFigures['overall']) => ({ accuracy: group.accuracy.value, macro_f1: group.macro_f1.value, iou: group.iou?.value ?? null, questions: group.questions });
  return {
    overall: point(figures.overall),
    domains: Object.fromEntries(Object.entries(figures.domains).map(([key, group]) => [key, point(group)])),
    datasets: Object.fromEntries(Object.entries(figures.datasets).map(([key, group]) => [key, point(group)])),
  };
}

/** Evaluates the policy's current weights on the test split and writes eval.json + predictions-test.jsonl. */
export async function writeTestEvaluation(
  prepared: PreparedRun,
  policy: TrainablePolicy,
  checkpoint: EvalDocument['checkpoint'],
  stderr: (line: string) => void,
  split: 'test' | 'validation' = 'test',
  fileName = 'eval.json',
): Promise<EvalDocument> {
  const { config } = prepared;
  const examples = split === 'test' ? prepared.test : prepared.validation;
  const resamples = config.evaluation.bootstrap;
  const result = await evaluatePolicyOnSplit(policy, examples, prepared.masks, config, resamples, split);
  const baselines = baselineFigures(examples, prepared.priors, resamples, config.seed);
  const document: EvalDocument = {
    split,
    estimator: config.estimator,
    seed: config.seed,
    checkpoint,
    corpus_manifest_sha256: prepared.corpus.manifestSha256,
    dataset_domains: Object.fromEntries([...prepared.corpus.domains].sort(([a], [b]) => (a < b ? -1 : 1))),
    bootstrap: { resamples, confidence: 0.95, unit: 'question, resampled within each dataset_key', seed: config.seed },
    policy: result.figures,
    baselines,
    comparison: compareWithBaselines(result.figures, baselines),
    definitions: EVAL_DEFINITIONS,
  };
  await writeFileAtomically(join(prepared.runFolder, fileName), `${JSON.stringify(document, null, 2)}\n`);
  const predictions = examples.map((example, i) => JSON.stringify({ question_id: example.id, dataset_key: example.datasetKey, answer: example.answer, prediction: result.predictions[i] }));
  await writeFileAtomically(join(prepared.runFolder, `predictions-${split}.jsonl`), `${predictions.join('\n')}\n`);
  const overall = result.figures.overall;
  stderr(
    `${config.estimator} s${config.seed} ${split} (${checkpoint.kind} weights, step ${checkpoint.step}): macro-F1 ${fixed(overall.macro_f1.value)}` +
      (overall.macro_f1.ci95 ? ` [${fixed(overall.macro_f1.ci95[0])}, ${fixed(overall.macro_f1.ci95[1])}]` : '') +
      ` · accuracy ${fixed(overall.accuracy.value)} · beats the label prior on ${document.comparison.beaten}/${document.comparison.of} datasets`,
  );
  return document;
}

/** report.html from the run folder's logs and an evaluation. */
export async function writeRunReport(runFolder: string, evaluation: EvalDocument): Promise<void> {
  const config = JSON.parse(await readFile(join(runFolder, 'config.json'), 'utf8')) as TrainerConfig;
  const metrics = await readJsonl<Record<string, unknown>>(join(runFolder, 'metrics.jsonl'));
  const validation = await readJsonl<Record<string, unknown>>(join(runFolder, 'validation.jsonl'));
  await writeFileAtomically(join(runFolder, 'report.html'), renderRunReport({ config, metrics, validation, evaluation }));
}
