// Argument parsing shared by every command. Unknown options are errors (exit 2), never ignored:
// a typo such as --max-pixel=0 must not silently run with the default.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { UsageError } from './exit-codes';

export type OptionSpec = { type: 'string'; default?: string } | { type: 'boolean'; default?: boolean };
export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<S extends OptionSpec> = S extends { type: 'boolean' } ? boolean : string | undefined;
export type ParsedOptions<S extends OptionSpecs> = { [K in keyof S]: ValueOf<S[K]> };

/** The options every stage shares (../shared/design.md "Finding the data"). */
export const COMMON_OPTIONS = {
  input: { type: 'string' },
  output: { type: 'string' },
  dataset: { type: 'string' },
  sources: { type: 'string' },
  'salt-file': { type: 'string' },
  'fail-on-reject': { type: 'boolean', default: false },
  workers: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const satisfies OptionSpecs;

export interface CommonOptions {
  readonly input: string | undefined;
  readonly output: string | undefined;
  readonly dataset: string | undefined;
  readonly sources: string | undefined;
  readonly saltFile: string | undefined;
  readonly failOnReject: boolean;
  /** Worker threads to use: --workers, else every core. */
  readonly workers: number;
  readonly help: boolean;
}

/** Parses argv against the common options plus a command's own; throws UsageError on anything unknown. */
export function parseCommandLine<S extends OptionSpecs>(
  argv: readonly string[],
  specific: S,
): { common: CommonOptions; options: ParsedOptions<S> } {
  const specs = { ...COMMON_OPTIONS, ...specific };
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: specs, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const workersText = values['workers'];
  const common: CommonOptions = {
    input: values['input'] as string | undefined,
    output: values['output'] as string | undefined,
    dataset: values['dataset'] as string | undefined,
    sources: values['sources'] as string | undefined,
    saltFile: values['salt-file'] as string | undefined,
    failOnReject: values['fail-on-reject'] === true,
    workers: workersText === undefined ? availableParallelism() : parsePositiveInteger('workers', workersText as string),
    help: values['help'] === true,
  };
  const options = Object.fromEntries(Object.keys(specific).map((key) => [key, values[key]])) as ParsedOptions<S>;
  return { common, options };
}

/** `--name=N` as a positive integer, or a UsageError naming the option. */
export function parsePositiveInteger(name: string, text: string): number {
  if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`--${name} must be a positive integer, got '${text}'`);
  return Number(text);
}

/** `--name=N` as a non-negative integer (0 allowed, e.g. --max-pixels=0 keeps the size). */
export function parseNonNegativeInteger(name: string, text: string): number {
  if (!/^(0|[1-9]\d*)$/.test(text)) throw new UsageError(`--${name} must be a non-negative integer, got '${text}'`);
  return Number(text);
}

/** `--name=X` as a finite number. */
export function parseFiniteNumber(name: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} must be a number, got '${text}'`);
  return value;
}

/** `--name=X` restricted to a fixed set of words. */
export function parseChoice<T extends string>(name: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${text}'`);
  }
  return text as T;
}
