// JSON Schema (draft 2020-12) validation with Ajv, errors turned into problems that name a file and a pointer.
import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { jsonPointer } from './catalog-problem';

export type SchemaValidator = ValidateFunction;

export function createAjv(): Ajv2020 {
  // strict: unknown keywords in our own schemas are mistakes; union types (["string", "null"]) are deliberate.
  return new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
}

export interface SchemaViolation {
  pointer: string;
  message: string;
}

/**
 * Ajv errors → one violation per instance location. "if"/"oneOf" wrapper errors are dropped when a more
 * precise error at or below the same location explains them.
 */
export function schemaViolations(errors: readonly ErrorObject[] | null | undefined): SchemaViolation[] {
  if (!errors) return [];
  const precise = errors.filter((error) => error.keyword !== 'if');
  const violations = precise.map((error): SchemaViolation => {
    let pointer = error.instancePath;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
      pointer += jsonPointer(params['missingProperty']);
    } else if (error.keyword === 'additionalProperties' && typeof params['additionalProperty'] === 'string') {
      pointer += jsonPointer(params['additionalProperty']);
    }
    const detail = error.keyword === 'enum' ? ` (${JSON.stringify(params['allowedValues'])})` : '';
    return { pointer, message: `${error.message ?? error.keyword}${detail}` };
  });
  const seen = new Set<string>();
  return violations.filter((violation) => {
    const key = `${violation.pointer}\u0000${violation.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
