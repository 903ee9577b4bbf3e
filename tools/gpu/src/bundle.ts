// Builds the self-contained bundle for a GPU machine that reaches no package registry (issue 11):
//   qoq-gpu/node                       this Node binary
//   qoq-gpu/run.mjs                    tools/gpu/src/run.ts and the libraries it uses, bundled by esbuild
//   qoq-gpu/node_modules/              only what run.mjs loads at run time: the four TensorFlow.js
//                                      packages (their Node builds and the .wasm files), `webgpu` with
//                                      the linux-x64 Dawn binary only, and their small dependencies
//   qoq-gpu/sample-questions/          the sample corpus as the policy reads it (question-pack.ts)
//   qoq-gpu/run.sh, README.txt
// then qoq-gpu.tar.gz beside it (goal: under 60 MiB). No sharp, no repository, no npm on the target.
//   npx nx run gpu:bundle [-- --corpus=data/sample/corpus --output=data/gpu-bundle --questions=512]
import { spawnSync } from 'node:child_process';
import { chmod, copyFile, cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { findWorkspaceRoot } from '@qoq/runtime';
import { loadTrainingCorpus } from '@qoq/training';
import { writeQuestionPack } from './question-pack';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'data/sample/corpus' },
    output: { type: 'string', default: 'data/gpu-bundle' },
    questions: { type: 'string', default: '512' },
    'image-size': { type: 'string', default: '32' },
  },
});

const root = findWorkspaceRoot();
const output = resolve(root, values.output);
const folder = join(output, 'qoq-gpu');
const require = createRequire(join(root, 'package.json'));
const packageFolder = (name: string): string => dirname(require.resolve(`${name}/package.json`));
const MiB = 1024 * 1024;

await rm(folder, { recursive: true, force: true });
await mkdir(join(folder, 'sample-questions'), { recursive: true });

// 1. The sample corpus's questions, decoded here (sharp stays on this machine).
const imageSize = Number(values['image-size']);
const corpus = await loadTrainingCorpus(resolve(root, values.corpus), { imageSize });
const train = corpus.examples.filter((example) => example.split === 'train');
// Every dataset represented: round-robin over datasets in corpus order.
const byDataset = new Map<string, typeof train>();
for (const example of train) byDataset.set(example.datasetKey, [...(byDataset.get(example.datasetKey) ?? []), example]);
const chosen: typeof train = [];
for (let round = 0; chosen.length < Number(values.questions) && round < train.length; round++) {
  for (const list of byDataset.values()) if (round < list.length && chosen.length < Number(values.questions)) chosen.push(list[round]);
}
await writeQuestionPack(join(folder, 'sample-questions'), {
  imageSize,
  labelSets: [...corpus.labelSets].map(([key, labels]) => [key, [...labels]]),
  questions: chosen.map((example) => ({ question: example.question, answer: example.answer })),
});

// 2. The runner and the libraries, one ESM file; TensorFlow.js and Dawn stay packages (one tfjs-core
// instance for every backend, a native addon).
await build({
  entryPoints: [join(root, 'tools/gpu/src/run.ts')],
  outfile: join(folder, 'run.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['@tensorflow/*', 'webgpu'],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  tsconfig: join(root, 'tsconfig.base.json'),
  logLevel: 'warning',
});

// 3. node_modules: package.json + the files each package's Node entry loads.
const modules = join(folder, 'node_modules');
async function copyPackage(name: string, files: readonly string[] | 'all'): Promise<void> {
  const from = packageFolder(name);
  const to = join(modules, name);
  await mkdir(to, { recursive: true });
  if (files === 'all') {
    // Nested node_modules of the package are not copied (its own dependencies are listed one by one).
    await cp(from, to, { recursive: true, filter: (path) => !path.slice(from.length).includes('/node_modules') });
    return;
  }
  for (const file of ['package.json', ...files]) {
    await mkdir(dirname(join(to, file)), { recursive: true });
    await copyFile(join(from, file), join(to, file));
  }
}
await copyPackage('@tensorflow/tfjs-core', ['dist/tf-core.node.js']);
await copyPackage('@tensorflow/tfjs-backend-cpu', ['dist/tf-backend-cpu.node.js']);
await copyPackage('@tensorflow/tfjs-backend-wasm', ['dist/tf-backend-wasm.node.js', 'dist/tfjs-backend-wasm.wasm', 'dist/tfjs-backend-wasm-simd.wasm', 'dist/tfjs-backend-wasm-threaded-simd.wasm']);
await copyPackage('@tensorflow/tfjs-backend-webgpu', ['dist/tf-backend-webgpu.node.js']);
await copyPackage('webgpu', ['index.js', 'dist/linux-x64/dawn.node', 'LICENSE.md']);
for (const name of ['seedrandom', 'long', 'debug', 'ms']) await copyPackage(name, 'all');

// 4. Node itself and the door.
await copyFile(process.execPath, join(folder, 'node'));
await chmod(join(folder, 'node'), 0o755);
await writeFile(join(folder, 'run.sh'), '#!/bin/sh\n# The GPU check: adapter, parity against WebAssembly, timings. Options: see README.txt.\ncd "$(dirname "$0")" && exec ./node run.mjs "$@"\n');
await chmod(join(folder, 'run.sh'), 0o755);
await writeFile(
  join(folder, 'README.txt'),
  [
    'QoQ Forge GPU check (tools/gpu in the repository).',
    '',
    'Needs: Linux x86-64, an NVIDIA or AMD GPU with its Vulkan driver (NVIDIA: libnvidia-gl / the',
    '"vulkan" part of the driver, nvidia_icd.json), and libvulkan.so.1 (Debian/Ubuntu: libvulkan1).',
    'Nothing else: no npm, no network.',
    '',
    '  ./run.sh --results=results      # adapter, parity against WebAssembly, timings → results/<date>-<gpu>.{json,txt}',
    '  ./run.sh --candidate=cpu        # the same path without a GPU (checks the bundle itself)',
    '  options: --steps=5 --batch=32 --rollouts=5 --timing-steps=5 --large=\'{"imageSize":64,...}\'',
    '',
    'Exit 0: parity passed; 1: parity failed; 3: no GPU adapter (the reason is printed).',
    `Built ${new Date().toISOString()} from ${chosen.length} training questions of ${resolve(root, values.corpus)}.`,
    '',
  ].join('\n'),
);

// 5. The archive.
const archive = join(output, 'qoq-gpu.tar.gz');
const tar = spawnSync('tar', ['-czf', archive, '-C', output, 'qoq-gpu'], { stdio: 'inherit' });
if (tar.status !== 0) throw new Error(`tar failed with status ${tar.status}`);
const size = (await stat(archive)).size;
process.stdout.write(`gpu bundle: ${folder} (${chosen.length} questions) → ${archive}: ${(size / MiB).toFixed(1)} MiB ${size <= 60 * MiB ? '(goal ≤ 60 MiB met)' : '(over the 60 MiB goal)'}\n`);
