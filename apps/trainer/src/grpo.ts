// trainer:grpo — the GRPO baseline run (QoQ-Med §2.7): trainer:drpo with --estimator=grpo by default.
import { resolve } from 'node:path';
import { exitWith, runCommand, type ExitCode } from '@qoq/runtime';
import { trainCommand } from './train-command';

/** The command as a function (tests call it in-process); returns the exit code. */
export function main(argv: readonly string[], stderr: (line: string) => void, stdout: (text: string) => void = (text) => process.stdout.write(text)): Promise<ExitCode> {
  return runCommand(() => trainCommand(argv, stderr, stdout, { stage: 'trainer:grpo', defaultEstimator: 'grpo' }), { stderr });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await exitWith(main(process.argv.slice(2), (line) => process.stderr.write(`${line}\n`)));
}
