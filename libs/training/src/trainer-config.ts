// The trainer's configuration (issue 10): one JSON object validated by
// data-specs/trainer/trainer-config.schema.json, named configs in data-specs/trainer/configs/, and
// overrides from the command line. Every file is merged over configs/default.json (or the config its
// "extends" names), so a named config states only what it changes; an unknown key anywhere is an error
// that names it (exit 2), never ignored.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { defaultDataSpecsDirectory } from '@qoq/catalog';
import { UsageError } from '@qoq/runtime';

export const ESTIMATORS = ['drpo', 'drpo-domain-only', 'grpo-batch-std', 'grpo', 'supervised'] as const;
export type EstimatorName = (typeof ESTIMATORS)[number];

export interface TrainerConfig {
  readonly estimator: EstimatorName;
  readonly seed: number;
  readonly steps: number;
  /** `auto`: WebGPU where a real GPU adapter is found, else wasm (see @qoq/policy tf-backend.ts). */
  readonly backend: 'auto' | 'wasm' | 'cpu' | 'webgpu';
  readonly corpus: string;
  readonly stats: string | null;
  readonly output: string | null;
  readonly batch: { readonly questions: number; readonly rollouts: number; readonly miniBatches: number; readonly epochs: number };
  readonly optimizer: { readonly learningRate: number; readonly weightDecay: number; readonly maxGradNorm: number; readonly warmupSteps: number };
  readonly loss: { readonly clipRatioLow: number; readonly clipRatioHigh: number; readonly clipRatioDual: number; readonly klCoefficient: number };
  readonly reward: { readonly mode: 'fixed' | 'code'; readonly weights: 'code' | 'paper'; readonly iou: 'mean' | 'max' };
  readonly drpo: {
    readonly mode: 'fixed' | 'code' | 'incremental';
    readonly domainKey: 'dataset_key' | 'domain';
    readonly domainMean: 'cluster-weighted' | 'plain';
    readonly klDamping: boolean;
    readonly epsilon: number;
    readonly maxClusters: number;
  };
  readonly evaluation: { readonly every: number; readonly maxPerDataset: number | null; readonly batchSize: number; readonly bootstrap: number };
  readonly checkpoint: { readonly every: number; readonly keep: number };
  /** The policy's own configuration, handed to the policy factory as it is. */
  readonly policy: Readonly<Record<string, unknown>>;
}

type JsonObject = Record<string, unknown>;

/** data-specs/trainer/ of this repository. */
export function trainerSpecsDirectory(): string {
  return join(defaultDataSpecsDirectory(), 'trainer');
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `base` with `override` merged in, objects key by key (policy included), anything else replaced. */
export function mergeConfig(base: JsonObject, override: JsonObject): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = isObject(value) && isObject(merged[key]) ? mergeConfig(merged[key] as JsonObject, value) : value;
  }
  return merged;
}

let compiledSchema: ReturnType<Ajv2020['compile']> | undefined;

function schemaValidator(): ReturnType<Ajv2020['compile']> {
  if (!compiledSchema) {
    const schema = JSON.parse(readFileSync(join(trainerSpecsDirectory(), 'trainer-config.schema.json'), 'utf8')) as object;
    compiledSchema = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  }
  return compiledSchema;
}

/** Schema problems of a config object as sentences naming the dotted key (`optimizer.learningrate`). */
export function configProblems(config: unknown): string[] {
  const validate = schemaValidator();
  if (validate(config)) return [];
  const dotted = (pointer: string): string => pointer.split('/').slice(1).map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
  return (validate.errors ?? []).map((error) => {
    const at = dotted(error.instancePath);
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'additionalProperties') return `unknown config key '${at ? `${at}.` : ''}${String(params.additionalProperty)}'`;
    const detail = error.keyword === 'enum' ? ` (${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')})` : '';
    return `config key '${at || '(root)'}' ${error.message ?? error.keyword}${detail}`;
  });
}

function readConfigFile(path: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`${path}: not a readable JSON file: ${(error as Error).message}`, 'CONFIG_INVALID');
  }
  if (!isObject(value)) throw new UsageError(`${path}: a trainer config is a JSON object`, 'CONFIG_INVALID');
  const problems = configProblems(value);
  if (problems.length > 0) throw new UsageError(`${path}: ${problems.join('; ')}`, 'CONFIG_INVALID');
  return value;
}

/** The path of a named config (`smoke`) or of a config file; UsageError when neither exists. */
export function configPath(nameOrPath: string, directory = trainerSpecsDirectory()): string {
  if (/^[a-z0-9][a-z0-9-]*$/.test(nameOrPath)) {
    const named = join(directory, 'configs', `${nameOrPath}.json`);
    if (existsSync(named)) return named;
  }
  const file = resolve(nameOrPath);
  if (existsSync(file)) return file;
  throw new UsageError(`no trainer config '${nameOrPath}': neither data-specs/trainer/configs/${nameOrPath}.json nor a file`, 'CONFIG_MISSING');
}

function resolveFile(path: string, directory: string, seen: readonly string[]): JsonObject {
  if (seen.includes(path)) throw new UsageError(`${path}: "extends" forms a cycle (${[...seen, path].join(' → ')})`, 'CONFIG_INVALID');
  const own = readConfigFile(path);
  const defaultPath = join(directory, 'configs', 'default.json');
  const parentName = typeof own.extends === 'string' ? own.extends : path === defaultPath ? null : 'default';
  const { extends: _parent, $schema: _schema, description: _description, ...rest } = own;
  if (parentName === null) return rest;
  return mergeConfig(resolveFile(configPath(parentName, directory), directory, [...seen, path]), rest);
}

/**
 * Parses a `--set` override `a.b.c=value`: the value is JSON when it parses (numbers, booleans, null,
 * quoted strings, objects), else the bare text as a string.
 */
export function parseSetOverride(text: string): JsonObject {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--set needs KEY=VALUE (a dotted config key, e.g. optimizer.learningRate=1e-3), got '${text}'`);
  const path = text.slice(0, at).split('.');
  if (path.some((part) => part === '')) throw new UsageError(`--set: '${text.slice(0, at)}' is not a dotted config key`);
  const raw = text.slice(at + 1);
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = raw;
  }
  let override: JsonObject = {};
  const leaf = path[path.length - 1];
  override[leaf] = value;
  for (let i = path.length - 2; i >= 0; i--) override = { [path[i]]: override };
  return override;
}

export interface ConfigOverrides {
  /** Parsed `--set` overrides, applied in order after the file. */
  readonly set?: readonly JsonObject[];
  /** The named options (--steps, --seed, …), applied last. */
  readonly fields?: Partial<Pick<TrainerConfig, 'estimator' | 'seed' | 'steps' | 'backend' | 'corpus' | 'stats' | 'output'>>;
}

/** A named config or file, merged over default.json, with the overrides; UsageError naming any problem. */
export function loadTrainerConfig(nameOrPath: string, overrides: ConfigOverrides = {}, directory = trainerSpecsDirectory()): TrainerConfig {
  let config = resolveFile(configPath(nameOrPath, directory), directory, []);
  for (const override of overrides.set ?? []) {
    const problems = configProblems(override).filter((problem) => problem.startsWith('unknown'));
    if (problems.length > 0) throw new UsageError(`--set: ${problems.join('; ')}`, 'CONFIG_INVALID');
    config = mergeConfig(config, override);
  }
  for (const [key, value] of Object.entries(overrides.fields ?? {})) if (value !== undefined) config[key] = value;
  return validatedConfig(config, 'the resolved config');
}

/** Checks a complete config object (e.g. a run folder's config.json); UsageError naming the problem. */
export function validatedConfig(config: unknown, origin: string): TrainerConfig {
  const problems = configProblems(config);
  if (problems.length > 0) throw new UsageError(`${origin}: ${problems.join('; ')}`, 'CONFIG_INVALID');
  const complete = config as JsonObject;
  const missing = REQUIRED_KEYS.filter((path) => lookup(complete, path) === undefined);
  if (missing.length > 0) throw new UsageError(`${origin}: missing config keys ${missing.join(', ')}`, 'CONFIG_INVALID');
  const typed = config as TrainerConfig;
  if (typed.batch.miniBatches > typed.batch.questions * typed.batch.rollouts) {
    throw new UsageError(`${origin}: batch.miniBatches (${typed.batch.miniBatches}) exceeds the completions of a step`, 'CONFIG_INVALID');
  }
  return typed;
}

const REQUIRED_KEYS = [
  'estimator', 'seed', 'steps', 'backend', 'corpus', 'stats', 'output',
  'batch.questions', 'batch.rollouts', 'batch.miniBatches', 'batch.epochs',
  'optimizer.learningRate', 'optimizer.weightDecay', 'optimizer.maxGradNorm', 'optimizer.warmupSteps',
  'loss.clipRatioLow', 'loss.clipRatioHigh', 'loss.clipRatioDual', 'loss.klCoefficient',
  'reward.mode', 'reward.weights', 'reward.iou',
  'drpo.mode', 'drpo.domainKey', 'drpo.domainMean', 'drpo.klDamping', 'drpo.epsilon', 'drpo.maxClusters',
  'evaluation.every', 'evaluation.maxPerDataset', 'evaluation.batchSize', 'evaluation.bootstrap',
  'checkpoint.every', 'checkpoint.keep', 'policy',
];

function lookup(config: JsonObject, dotted: string): unknown {
  let value: unknown = config;
  for (const part of dotted.split('.')) value = isObject(value) ? value[part] : undefined;
  return value;
}

/** Checks the policy section against the policy's defaults: a key they do not have is unknown (exit 2). */
export function checkPolicyKeys(policy: Readonly<Record<string, unknown>>, defaults: Readonly<Record<string, unknown>>, prefix = 'policy'): void {
  for (const [key, value] of Object.entries(policy)) {
    if (!(key in defaults)) throw new UsageError(`unknown config key '${prefix}.${key}' (the policy knows ${Object.keys(defaults).join(', ')})`, 'CONFIG_INVALID');
    if (isObject(value) && isObject(defaults[key])) checkPolicyKeys(value, defaults[key] as JsonObject, `${prefix}.${key}`);
  }
}

/** The run folder: `output` with {estimator} and {seed} filled in, else data/sample/runs/<estimator>-s<seed>/. */
export function runFolderOf(config: TrainerConfig, workspaceRoot: string): string {
  const template = config.output ?? 'data/sample/runs/{estimator}-s{seed}';
  const filled = template.replace(/\{estimator\}/g, config.estimator).replace(/\{seed\}/g, String(config.seed));
  return isAbsolute(filled) ? filled : join(workspaceRoot, filled);
}

/** A config path (corpus, stats) made absolute against the workspace root. */
export function workspacePath(path: string, workspaceRoot: string): string {
  return isAbsolute(path) ? path : join(workspaceRoot, path);
}

/** The keys (dotted) whose values differ between two configs; `steps` is allowed to change on resume. */
export function changedKeys(a: unknown, b: unknown, prefix = ''): string[] {
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((key) => changedKeys(a[key], b[key], prefix ? `${prefix}.${key}` : key));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [prefix];
}
