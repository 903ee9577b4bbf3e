import { ExitCode, LeakageError, UsageError } from './exit-codes';

export interface CommandIo {
  readonly stderr: (line: string) => void;
}

const defaultIo: CommandIo = { stderr: (line) => process.stderr.write(`${line}\n`) };

/**
 * Runs a command's main function and turns its outcome into an exit code: the one place where
 * apps map errors to the codes of design.md, so each app stays a thin door.
 */
export async function runCommand(main: () => Promise<ExitCode>, io: CommandIo = defaultIo): Promise<ExitCode> {
  try {
    return await main();
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`error: ${error.message}`);
      return ExitCode.BadUsage;
    }
    if (error instanceof LeakageError) {
      io.stderr(`leakage: ${error.message}`);
      return ExitCode.LeakageDetected;
    }
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.stderr(`internal error: ${detail}`);
    return ExitCode.InternalError;
  }
}

/** Entry-point helper for apps: `await exitWith(runCommand(main))`. */
export async function exitWith(code: Promise<ExitCode>): Promise<never> {
  process.exitCode = await code;
  // Let pending stdout writes drain before the process ends.
  await new Promise((resolve) => setImmediate(resolve));
  process.exit(process.exitCode);
}
