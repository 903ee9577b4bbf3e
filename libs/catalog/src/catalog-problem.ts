// Problems found in data-specs, as values: a machine code, a sentence, the file (relative to the data-specs
// folder) and a JSON pointer (RFC 6901) into it, so that a failure says exactly where to look.

export type CatalogProblemCode =
  | 'SPEC_JSON_INVALID'
  | 'SPEC_SCHEMA_INVALID'
  | 'SPEC_FILE_MISSING'
  | 'UNKNOWN_DOMAIN'
  | 'DUPLICATE_DOMAIN'
  | 'DUPLICATE_DATASET_KEY'
  | 'DATASET_KEY_MISMATCH'
  | 'FILE_NAME_MISMATCH'
  | 'LABEL_OUTSIDE_LABEL_SET'
  | 'DANGLING_MAPPING_TARGET'
  | 'DANGLING_CODE_SYSTEM'
  | 'DUPLICATE_CODE_SYSTEM'
  | 'REWARD_SEPARATOR_IN_ANSWER'
  | 'MEDIA_KIND_MISMATCH'
  | 'PROMPT_FOR_MISSING_DATASET'
  | 'DUPLICATE_PROMPT'
  | 'MISSING_PROMPT'
  | 'PROMPT_PLACEHOLDER_MISMATCH'
  | 'PROMPT_INSTRUCTION_MISMATCH';

export interface CatalogProblem {
  code: CatalogProblemCode;
  message: string;
  /** Path relative to the data-specs folder, with forward slashes: `datasets/ecg__ptb-xl.json`. */
  file: string;
  /** JSON pointer into that file: `/code_mappings/0/map/AFIB`; "" is the whole document. */
  pointer: string;
}

export function formatCatalogProblem(problem: CatalogProblem): string {
  return `${problem.file}#${problem.pointer} [${problem.code}] ${problem.message}`;
}

/** Thrown at the boundary (loadCatalog, unknown keys asked of a loaded catalog); carries every problem found. */
export class CatalogError extends Error {
  readonly code: CatalogProblemCode | 'UNKNOWN_DATASET' | 'UNKNOWN_CODE_SYSTEM' | 'BAD_PROMPT_REQUEST';
  readonly problems: readonly CatalogProblem[];

  constructor(code: CatalogError['code'], message: string, problems: readonly CatalogProblem[] = []) {
    super(problems.length === 0 ? message : `${message}\n${problems.map(formatCatalogProblem).join('\n')}`);
    this.name = 'CatalogError';
    this.code = code;
    this.problems = problems;
  }
}

/** RFC 6901: "~" → "~0", "/" → "~1" (codes such as "Nodule/Mass" and "ST/T Change" contain slashes). */
export function jsonPointer(...tokens: ReadonlyArray<string | number>): string {
  return tokens.map((token) => '/' + String(token).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
