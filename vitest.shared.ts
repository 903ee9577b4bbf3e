// One Vitest configuration for every project: path aliases come from tsconfig.base.json so that
// `@qoq/<lib>` resolves to the library's public src/index.ts in tests exactly as in the tsx-run CLIs.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));

function tsconfigAliases(): Record<string, string> {
  const tsconfig = JSON.parse(readFileSync(resolve(workspaceRoot, 'tsconfig.base.json'), 'utf8')) as {
    compilerOptions: { paths: Record<string, string[]> };
  };
  return Object.fromEntries(
    Object.entries(tsconfig.compilerOptions.paths).map(([alias, [target]]) => [alias, resolve(workspaceRoot, target)]),
  );
}

export function projectTestConfig(options: { testTimeoutMs?: number } = {}) {
  return defineConfig({
    resolve: { alias: tsconfigAliases() },
    test: {
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      environment: 'node',
      pool: 'forks',
      poolOptions: { forks: { singleFork: false, maxForks: 2, minForks: 1 } },
      testTimeout: options.testTimeoutMs ?? 60_000,
      hookTimeout: 120_000,
      reporters: ['default'],
    },
  });
}
