// The arrows of the house are enforced, not hoped for: these lint real import statements with the
// workspace's own ESLint config and expect @nx/enforce-module-boundaries to refuse the wrong ones.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const workspaceRoot = join(__dirname, '../../..');

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: workspaceRoot });
  const [result] = await eslint.lintText(code, { filePath: join(workspaceRoot, filePath) });
  return result.messages.filter((message) => message.ruleId === '@nx/enforce-module-boundaries').map((message) => message.message);
}

describe('module boundaries', () => {
  beforeAll(() => {
    // The rule reads Nx's cached project graph; computing it is what `npm run lint` does first.
    execFileSync(join(workspaceRoot, 'node_modules/.bin/nx'), ['show', 'projects'], {
      cwd: workspaceRoot,
      env: { ...process.env, NX_DAEMON: 'false' },
      stdio: 'ignore',
    });
  });

  it('lets an app import a library through its alias', async () => {
    expect(await boundaryErrors('apps/trainer/src/example.ts', "import { ExitCode } from '@qoq/runtime';\nexport const code = ExitCode.Finished;\n")).toEqual([]);
  });

  it('refuses a utility library importing a feature library', async () => {
    const errors = await boundaryErrors('libs/drpo/src/example.ts', "import * as ecg from '@qoq/ecg';\nexport const x = ecg;\n");
    expect(errors.join('\n')).toMatch(/type:util/);
  });

  it('refuses a library reaching into another by a relative path', async () => {
    const errors = await boundaryErrors('libs/runtime/src/example.ts', "import { x } from '../../drpo/src/index';\nexport const y = x;\n");
    expect(errors.length).toBeGreaterThan(0);
  });

  it('refuses a shared library importing an ingest library', async () => {
    const errors = await boundaryErrors('libs/dataset-io/src/example.ts', "import * as dicom from '@qoq/dicom';\nexport const x = dicom;\n");
    expect(errors.join('\n')).toMatch(/scope:shared/);
  });
});
