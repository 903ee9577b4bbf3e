import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findWorkspaceRoot } from './workspace-root';

let cached: string | undefined;

/**
 * The version of the code that made an output, recorded in manifests and in each stage's input
 * manifest: a new release invalidates finished work. It is the workspace package version.
 */
export function codeVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(join(findWorkspaceRoot(), 'package.json'), 'utf8')) as { name: string; version: string };
    cached = `${pkg.name}@${pkg.version}`;
  }
  return cached;
}
