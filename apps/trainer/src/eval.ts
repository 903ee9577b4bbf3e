// trainer:eval — re-evaluates a run's checkpoint (greedy, QoQ-Med §4) with bootstrap intervals and the
// label-prior baselines:
//   npx nx run trainer:eval --run=DIR [--split=test|validation] [--checkpoint=best|last] [--backend=auto|wasm|cpu|webgpu]
// test + best rewrites DIR/eval.json and report.html (what the run itself wrote, bit for bit); any other
// choice writes DIR/eval-<split>-<checkpoint>.json.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ExitCode, UsageError, exitWith, findWorkspaceRoot, parseChoice, parseCommandLine, runCommand } from '@qoq/runtime';
import { CheckpointStore, prepareRun, tfPolicyRuntime, validatedConfig, writeRunReport, writeTestEvaluation, type EvalDocument } from '@qoq/training';

const USAGE = 'usage: nx run trainer:eval --run=DIR [--split=test|validation] [--checkpoint=best|last] [--backend=auto|wasm|cpu|webgpu]';

const EVAL_OPTIONS = {
  run: { type: 'string' },
  split: { type: 'string' },
  checkpoint: { type: 'string' },
  backend: { type: 'string' },
} as const;

async function evaluateRun(argv: readonly string[], stderr: (line: string) => void, stdout: (text: string) => void): Promise<ExitCode> {
  const { common, options } = parseCommandLine(argv, EVAL_OPTIONS);
  if (common.help) {
    stdout(`${USAGE}\n`);
    return ExitCode.Finished;
  }
  if (!options.run) throw new UsageError(`--run is required\n${USAGE}`);
  const runFolder = resolve(options.run);
  const split = options.split === undefined ? 'test' : parseChoice('split', options.split, ['test', 'validation'] as const);
  const which = options.checkpoint === undefined ? 'best' : parseChoice('checkpoint', options.checkpoint, ['best', 'last'] as const);
  let stored: unknown;
  try {
    stored = JSON.parse(await readFile(join(runFolder, 'config.json'), 'utf8'));
  } catch {
    throw new UsageError(`${runFolder}: no readable config.json: not a training run folder`, 'RUN_INVALID');
  }
  let config = validatedConfig(stored, join(runFolder, 'config.json'));
  if (options.backend !== undefined) config = { ...config, backend: parseChoice('backend', options.backend, ['auto', 'wasm', 'cpu', 'webgpu'] as const) };
  const store = new CheckpointStore(join(runFolder, 'checkpoints'));
  const last = await store.latest();
  if (!last) throw new UsageError(`${runFolder}: the run has no checkpoint yet`, 'RUN_NO_CHECKPOINT');
  if (which === 'best' && !last.best) throw new UsageError(`${runFolder}: the run has not been validated yet: use --checkpoint=last`, 'RUN_NO_CHECKPOINT');

  const runtime = await tfPolicyRuntime(config);
  const prepared = { ...(await prepareRun(config, { workspaceRoot: findWorkspaceRoot(), imageSize: runtime.policyConfig.imageSize, stderr })), runFolder };
  const policy = await runtime.createPolicy({ labelSets: prepared.corpus.labelSets, config });
  try {
    let info: EvalDocument['checkpoint'];
    if (which === 'best' && last.best) {
      policy.setState((await store.readBest(last.best.folder)).policy);
      info = { kind: 'best', step: last.best.step, validation_macro_f1: last.best.macroF1 };
    } else {
      policy.setState(last.policy);
      info = { kind: 'last', step: last.step, validation_macro_f1: null };
    }
    const canonical = split === 'test' && which === 'best';
    const fileName = canonical ? 'eval.json' : `eval-${split}-${which}.json`;
    const evaluation = await writeTestEvaluation(prepared, policy, info, stderr, split, fileName);
    if (canonical) await writeRunReport(runFolder, evaluation);
    stdout(`trainer:eval: wrote ${join(runFolder, fileName)}\n`);
  } finally {
    policy.dispose();
  }
  return ExitCode.Finished;
}

/** The command as a function (tests call it in-process); returns the exit code. */
export function main(argv: readonly string[], stderr: (line: string) => void, stdout: (text: string) => void = (text) => process.stdout.write(text)): Promise<ExitCode> {
  return runCommand(() => evaluateRun(argv, stderr, stdout), { stderr });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await exitWith(main(process.argv.slice(2), (line) => process.stderr.write(`${line}\n`)));
}
