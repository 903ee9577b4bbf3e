// trainer:drpo and trainer:grpo — one door for both (issue 10): options → config → checks → run.
//   npx nx run trainer:drpo [--config=default|smoke|FILE] [--steps=N] [--seed=N] [--backend=auto|wasm|cpu|webgpu]
//     [--estimator=drpo|drpo-domain-only|grpo-batch-std|grpo|supervised] [--corpus=DIR] [--stats=DIR|none]
//     [--output=DIR] [--set=KEY=VALUE …] [--resume | --fresh]
import { describeBackend } from '@qoq/policy';
import { findWorkspaceRoot, formatRunSummary, parseChoice, parseCommandLine, parseNonNegativeInteger, parsePositiveInteger, peakRssOfSelf, ExitCode, UsageError } from '@qoq/runtime';
import { ESTIMATORS, loadTrainerConfig, parseSetOverride, prepareRun, runTraining, tfPolicyRuntime, type ConfigOverrides, type EstimatorName, type StartMode } from '@qoq/training';

export const TRAIN_USAGE = `usage: nx run trainer:<drpo|grpo> [-- options]
  --config=NAME|FILE    a named config of data-specs/trainer/configs/ (default, smoke) or a JSON file
                        (merged over default.json; schema data-specs/trainer/trainer-config.schema.json)
  --set=KEY=VALUE       override any config key by its dotted path (repeatable), e.g.
                        --set=optimizer.learningRate=3e-4 --set=drpo.domainKey=domain --set=policy.hiddenWidth=96
  --estimator=NAME      ${ESTIMATORS.join(' | ')} (trainer:grpo defaults to grpo)
  --steps=N --seed=N    training steps; the run's one seed (same config + seed = the same run)
  --backend=NAME        TensorFlow.js backend: wasm (default config), cpu, webgpu (a GPU through Dawn/Vulkan;
                        exit 2 without one), auto (webgpu when a real GPU adapter is found, else wasm)
  --corpus=DIR          the corpus (default data/sample/corpus; --input is a synonym)
  --stats=DIR|none      stats:report output whose stats.json must match the corpus (default data/sample/stats)
  --output=DIR          the run folder (default data/sample/runs/<estimator>-s<seed>)
  --resume              continue the run in the output folder from its last checkpoint (exactly)
  --fresh               delete the output folder's run and start over
precedence: config file < --set < the named options. Exit 2 before training on a bad option or config key,
a corpus that does not match its manifest, a missing media file, statistics of another corpus.`;

const TRAIN_OPTIONS = {
  config: { type: 'string' },
  estimator: { type: 'string' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  corpus: { type: 'string' },
  stats: { type: 'string' },
  resume: { type: 'boolean', default: false },
  fresh: { type: 'boolean', default: false },
} as const;

/** `--set` may repeat, which the shared parser does not allow: they are taken out first, in order. */
export function splitSetOptions(argv: readonly string[]): { rest: string[]; set: string[] } {
  const rest: string[] = [];
  const set: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--set=')) set.push(arg.slice('--set='.length));
    else if (arg === '--set') {
      if (i + 1 >= argv.length) throw new UsageError('--set needs KEY=VALUE');
      set.push(argv[++i]);
    } else rest.push(arg);
  }
  return { rest, set };
}

export interface TrainCommandOptions {
  /** The estimator when neither --estimator nor the config names one other than default's (trainer:grpo: grpo). */
  readonly defaultEstimator?: EstimatorName;
  readonly stage: string;
}

export async function trainCommand(argv: readonly string[], stderr: (line: string) => void, stdout: (text: string) => void, command: TrainCommandOptions): Promise<ExitCode> {
  const startedAt = performance.now();
  const { rest, set } = splitSetOptions(argv);
  const { common, options } = parseCommandLine(rest, TRAIN_OPTIONS);
  if (common.help) {
    stdout(`${TRAIN_USAGE}\n`);
    return ExitCode.Finished;
  }
  for (const [name, value] of [['dataset', common.dataset], ['sources', common.sources], ['salt-file', common.saltFile]] as const) {
    if (value !== undefined) throw new UsageError(`--${name} does not apply to the trainer (it reads a corpus: --corpus=DIR)`);
  }
  if (options.resume && options.fresh) throw new UsageError('--resume and --fresh exclude each other');
  if (common.input !== undefined && options.corpus !== undefined) throw new UsageError('--input and --corpus name the same thing: give one');
  const fields: NonNullable<ConfigOverrides['fields']> = {
    estimator: options.estimator !== undefined ? parseChoice('estimator', options.estimator, ESTIMATORS) : command.defaultEstimator,
    steps: options.steps === undefined ? undefined : parsePositiveInteger('steps', options.steps),
    seed: options.seed === undefined ? undefined : parseNonNegativeInteger('seed', options.seed),
    backend: options.backend === undefined ? undefined : parseChoice('backend', options.backend, ['auto', 'wasm', 'cpu', 'webgpu'] as const),
    corpus: options.corpus ?? common.input,
    output: common.output,
  };
  const config = loadTrainerConfig(options.config ?? 'default', {
    set: set.map(parseSetOverride),
    fields: options.stats === undefined ? fields : { ...fields, stats: options.stats === 'none' ? null : options.stats },
  });
  const mode: StartMode = options.resume ? 'resume' : options.fresh ? 'fresh' : 'new';
  const workspaceRoot = findWorkspaceRoot();

  // Order of the checks (all before training): the policy config, the corpus (manifest, rows, media),
  // the statistics, the run folder.
  const runtime = await tfPolicyRuntime(config);
  stderr(`${command.stage}: ${describeBackend(runtime.backend)}`);
  const prepared = await prepareRun(config, { workspaceRoot, imageSize: runtime.policyConfig.imageSize, stderr });
  stderr(`${command.stage}: ${prepared.train.length} train, ${prepared.validation.length} validation, ${prepared.test.length} test questions → ${prepared.runFolder}`);
  const result = await runTraining({ prepared, createPolicy: runtime.createPolicy, mode, stderr, environment: { backend: runtime.backend } });
  stdout(
    `${formatRunSummary({
      stage: command.stage,
      processed: result.steps - result.resumedFrom,
      written: 1,
      rejected: 0,
      elapsedMs: performance.now() - startedAt,
      peakRssBytes: peakRssOfSelf(),
      output: result.runFolder,
    })}\n`,
  );
  return ExitCode.Finished;
}
