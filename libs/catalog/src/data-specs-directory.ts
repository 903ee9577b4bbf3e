import { findWorkspaceRoot } from '@qoq/runtime';
import { join } from 'node:path';

/**
 * The repository's data-specs/. Located from the workspace root rather than from this file's own
 * path, which is not libs/catalog/src when the code runs from a bundle (a pool worker's: @qoq/runtime
 * module-bundle.mjs).
 */
export function defaultDataSpecsDirectory(): string {
  return join(findWorkspaceRoot(), 'data-specs');
}
