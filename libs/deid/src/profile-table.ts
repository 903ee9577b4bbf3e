// The attribute tables as data (data-specs/deid): PS3.15 Annex E Table E.1-1's Basic Profile column and
// the keep-list of attributes outside it that are known to be safe. Both are validated on load.
import { findWorkspaceRoot } from '@qoq/runtime';
import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deidError } from './deid-error';
import type { Tag } from './element-tree';

/** Action codes of PS3.15 Table E.1-1. */
export type ProfileAction = 'D' | 'Z' | 'X' | 'K' | 'C' | 'U' | 'Z/D' | 'X/Z' | 'X/D' | 'X/Z/D' | 'X/Z/U*';

export interface ProfileAttribute {
  /** GGGGEEEE; repeating groups with lower-case `xx` (`60xx3000`, `50xxxxxx`). */
  readonly tag: string;
  readonly keyword: string;
  readonly name: string;
  readonly vr: string;
  readonly basic: ProfileAction;
  readonly dictionary: string;
}

export interface KeepEntry {
  readonly tag: Tag;
  readonly keyword: string;
  readonly why: string;
}

export interface ProfileTables {
  readonly standard: string;
  readonly attributes: readonly ProfileAttribute[];
  readonly keep: readonly KeepEntry[];
  readonly cleanDescriptors: readonly KeepEntry[];
  /** The table row of a tag, including repeating-group rows (50xx curves, 60xx overlays). */
  readonly attributeOf: (tag: Tag) => ProfileAttribute | undefined;
  readonly keepOf: (tag: Tag) => KeepEntry | undefined;
  readonly isCleanDescriptor: (tag: Tag) => boolean;
}

interface BasicProfileFile {
  readonly standard: string;
  readonly attributes: readonly ProfileAttribute[];
}

interface KeepListFile {
  readonly keep: readonly KeepEntry[];
  readonly cleanDescriptors: readonly KeepEntry[];
}

/**
 * The two table files as validated plain data: what a process that validated them hands its worker
 * threads (structured-cloneable), so each worker skips compiling the schemas (~200 ms a thread).
 */
export interface ProfileTableFiles {
  readonly profile: BasicProfileFile;
  readonly keepList: KeepListFile;
}

let cached: ProfileTables | undefined;

export function defaultDeidSpecsDirectory(): string {
  return join(findWorkspaceRoot(), 'data-specs', 'deid');
}

/** Loads and validates basic-profile.json and keep-list.json (cached for the default directory). */
export function loadProfileTables(directory?: string): ProfileTables {
  if (directory === undefined && cached !== undefined) return cached;
  const tables = profileTablesFrom(readProfileTableFiles(directory));
  if (directory === undefined) cached = tables;
  return tables;
}

/** Reads and validates basic-profile.json and keep-list.json, as plain data. */
export function readProfileTableFiles(directory?: string): ProfileTableFiles {
  const folder = directory ?? defaultDeidSpecsDirectory();
  return { profile: readValidated<BasicProfileFile>(folder, 'basic-profile'), keepList: readValidated<KeepListFile>(folder, 'keep-list') };
}

/** The lookup tables over files read (and validated) by readProfileTableFiles, here or in another thread. */
export function profileTablesFrom(files: ProfileTableFiles): ProfileTables {
  return buildTables(files.profile, files.keepList);
}

function readValidated<T>(folder: string, name: string): T {
  let data: unknown;
  let schema: object;
  try {
    data = JSON.parse(readFileSync(join(folder, `${name}.json`), 'utf8'));
    schema = JSON.parse(readFileSync(join(folder, `${name}.schema.json`), 'utf8')) as object;
  } catch (error) {
    throw deidError('DEID_PROFILE_INVALID', `cannot read ${name}.json or its schema: ${(error as Error).message}`, folder);
  }
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const validate = ajv.compile(schema);
  if (!validate(data)) {
    const first = validate.errors?.[0];
    throw deidError('DEID_PROFILE_INVALID', `${name}.json ${first?.instancePath ?? ''} ${first?.message ?? 'is invalid'}`, folder);
  }
  return data as T;
}

function buildTables(profile: BasicProfileFile, keepList: KeepListFile): ProfileTables {
  const exact = new Map<string, ProfileAttribute>();
  // Repeating groups (PS3.5 §7.6): 60xx covers the even groups 6000-601E, 50xx the curve groups 5000-501E.
  const repeating: Array<{ readonly high: string; readonly element: string | undefined; readonly row: ProfileAttribute }> = [];
  for (const row of profile.attributes) {
    if (exact.has(row.tag)) throw deidError('DEID_PROFILE_INVALID', `basic-profile.json lists ${row.tag} twice`);
    if (row.tag.includes('xx')) {
      repeating.push({ high: row.tag.slice(0, 2), element: row.tag.endsWith('xxxx') ? undefined : row.tag.slice(4), row });
    } else exact.set(row.tag, row);
  }
  const keep = new Map(keepList.keep.map((entry) => [entry.tag, entry]));
  for (const tag of keep.keys()) {
    if (exact.has(tag)) throw deidError('DEID_PROFILE_INVALID', `keep-list.json keeps ${tag}, which Table E.1-1 lists`);
  }
  const clean = new Set(keepList.cleanDescriptors.map((entry) => entry.tag));
  const attributeOf = (tag: Tag): ProfileAttribute | undefined => {
    const row = exact.get(tag);
    if (row !== undefined) return row;
    const group = Number.parseInt(tag.slice(0, 4), 16);
    if (group % 2 !== 0 || (group & 0xff) > 0x1e) return undefined;
    return repeating.find((r) => r.high === tag.slice(0, 2) && (r.element === undefined || r.element === tag.slice(4)))?.row;
  };
  return {
    standard: profile.standard,
    attributes: profile.attributes,
    keep: keepList.keep,
    cleanDescriptors: keepList.cleanDescriptors,
    attributeOf,
    keepOf: (tag) => keep.get(tag),
    isCleanDescriptor: (tag) => clean.has(tag),
  };
}
