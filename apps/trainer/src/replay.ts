// trainer:replay — replays a rollout log through GRPO or DRPO (design.md "A training run folder"):
//   npx nx run trainer:replay --input=ROLLOUTS.jsonl --output=FILE.jsonl [--estimator=drpo|grpo]
//     [--mode=code|fixed|incremental] [--domain-key=dataset_key|domain] [--seed=N]
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DrpoInputError, GroupSizeError, ReplayInputError, replayRolloutFile } from '@qoq/drpo';
import { ExitCode, UsageError, exitWith, parseChoice, parseCommandLine, runCommand } from '@qoq/runtime';

const USAGE =
  'usage: trainer:replay --input=ROLLOUTS.jsonl --output=FILE.jsonl [--estimator=drpo|grpo] ' +
  '[--mode=code|fixed|incremental] [--domain-key=dataset_key|domain] [--seed=N]';

const REPLAY_OPTIONS = {
  estimator: { type: 'string' },
  mode: { type: 'string' },
  'domain-key': { type: 'string' },
  seed: { type: 'string' },
} as const;

async function replay(argv: readonly string[], stderr: (line: string) => void): Promise<ExitCode> {
  const { common, options } = parseCommandLine(argv, REPLAY_OPTIONS);
  if (common.help) {
    stderr(USAGE);
    return ExitCode.Finished;
  }
  if (!common.input || !common.output) throw new UsageError(`--input and --output are required\n${USAGE}`);
  const input = resolve(common.input);
  const output = resolve(common.output);
  if (!existsSync(input) || !statSync(input).isFile()) throw new UsageError(`no rollout log at ${input}`);
  if (!existsSync(dirname(output))) throw new UsageError(`the folder of --output does not exist: ${dirname(output)}`);
  const seed = options.seed === undefined ? 0 : Number(options.seed);
  if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
  const choice = <T extends string>(name: string, text: string | undefined, allowed: readonly T[]): T | undefined =>
    text === undefined ? undefined : parseChoice(name, text, allowed);
  try {
    const summary = await replayRolloutFile(input, output, {
      estimator: choice('estimator', options.estimator, ['drpo', 'grpo'] as const),
      mode: choice('mode', options.mode, ['code', 'fixed', 'incremental'] as const),
      domainKey: choice('domain-key', options['domain-key'], ['dataset_key', 'domain'] as const),
      seed,
    });
    stderr(`replayed ${summary.rollouts} rollouts into ${output}`);
    return ExitCode.Finished;
  } catch (error) {
    // A malformed log is the user's input, not a bug: exit 2, and the output was never written.
    if (error instanceof ReplayInputError || error instanceof GroupSizeError || error instanceof DrpoInputError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

/** The command as a function (tests call it in-process); returns the exit code. */
export function main(argv: readonly string[], stderr: (line: string) => void): Promise<ExitCode> {
  return runCommand(() => replay(argv, stderr), { stderr });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await exitWith(main(process.argv.slice(2), (line) => process.stderr.write(`${line}\n`)));
}
