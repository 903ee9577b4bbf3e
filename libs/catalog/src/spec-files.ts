// Reads the files of a data-specs folder as JSON documents, each tagged with its path relative to the folder.
// Sorted listings: the catalog must not depend on file-system order (design.md "Deterministic").
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogProblem } from './catalog-problem';

export interface SpecDocument {
  /** Relative to the data-specs folder, forward slashes. */
  file: string;
  value: unknown;
}

export interface SpecFiles {
  domains: SpecDocument | null;
  datasets: SpecDocument[];
  prompts: SpecDocument[];
  formatSuffix: SpecDocument | null;
  instructionPairSchema: SpecDocument | null;
  /** data-specs/schemas/*.schema.json, by file name. */
  metaSchemas: Map<string, SpecDocument>;
}

export const FORMAT_SUFFIX_FILE = 'prompts/format-suffix.json';
export const DOMAINS_FILE = 'domains.json';
export const INSTRUCTION_PAIR_SCHEMA_FILE = 'instruction-pair.schema.json';

export function readSpecFiles(directory: string, problems: CatalogProblem[]): SpecFiles {
  const readDocument = (file: string): SpecDocument | null => {
    const path = join(directory, file);
    if (!existsSync(path)) {
      problems.push({ code: 'SPEC_FILE_MISSING', message: `${file} is missing`, file, pointer: '' });
      return null;
    }
    try {
      return { file, value: JSON.parse(readFileSync(path, 'utf8')) as unknown };
    } catch (error) {
      problems.push({ code: 'SPEC_JSON_INVALID', message: `not valid JSON: ${(error as Error).message}`, file, pointer: '' });
      return null;
    }
  };
  const readFolder = (folder: string, keep: (name: string) => boolean): SpecDocument[] => {
    const path = join(directory, folder);
    if (!existsSync(path)) {
      problems.push({ code: 'SPEC_FILE_MISSING', message: `folder ${folder}/ is missing`, file: folder, pointer: '' });
      return [];
    }
    return readdirSync(path)
      .filter((name) => name.endsWith('.json') && keep(name))
      .sort()
      .map((name) => readDocument(`${folder}/${name}`))
      .filter((document): document is SpecDocument => document !== null);
  };

  const metaSchemas = new Map<string, SpecDocument>();
  for (const document of readFolder('schemas', (name) => name.endsWith('.schema.json'))) {
    metaSchemas.set(document.file.slice('schemas/'.length), document);
  }
  return {
    domains: readDocument(DOMAINS_FILE),
    datasets: readFolder('datasets', () => true),
    prompts: readFolder('prompts', (name) => `prompts/${name}` !== FORMAT_SUFFIX_FILE),
    formatSuffix: readDocument(FORMAT_SUFFIX_FILE),
    instructionPairSchema: readDocument(INSTRUCTION_PAIR_SCHEMA_FILE),
    metaSchemas,
  };
}
