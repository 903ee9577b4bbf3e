// The exit codes of ../shared/design.md "Exit codes": every command of every stage uses these.
export const ExitCode = {
  /** Finished; rejects, if any, are in rejects.jsonl and counted in the summary. */
  Finished: 0,
  /** An internal error: a bug, or the environment failed (disk full, permission). */
  InternalError: 1,
  /** Bad usage, config or input integrity; nothing was written. */
  BadUsage: 2,
  /** Finished with rejects while --fail-on-reject was given. */
  FinishedWithRejects: 3,
  /** The leakage check failed. */
  LeakageDetected: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can fix: a bad option, a missing input, a corrupt manifest. It maps to exit 2 and
 * its message is printed without a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly code = 'USAGE',
  ) {
    super(message);
  }
}

/** The leakage check failed: a patient (or a duplicate) appears in two splits. Exit 4. */
export class LeakageError extends Error {
  override readonly name = 'LeakageError';
}
