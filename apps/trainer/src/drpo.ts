// trainer:drpo — a DRPO training run on the corpus (issue 10); options in train-command.ts (--help).
import { resolve } from 'node:path';
import { exitWith, runCommand, type ExitCode } from '@qoq/runtime';
import { trainCommand } from './train-command';

/** The command as a function (tests call it in-process); returns the exit code. */
export function main(argv: readonly string[], stderr: (line: string) => void, stdout: (text: string) => void = (text) => process.stdout.write(text)): Promise<ExitCode> {
  return runCommand(() => trainCommand(argv, stderr, stdout, { stage: 'trainer:drpo' }), { stderr });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  await exitWith(main(process.argv.slice(2), (line) => process.stderr.write(`${line}\n`)));
}
