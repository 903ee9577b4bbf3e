// The spec table of README.md, generated from spec.json: `npx tsx tools/sample-corpus/src/readme-table.ts`
// rewrites the part of README.md between the markers (a test fails when it is out of date).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chanceLevel, loadSpec, promisedAccuracy, splitCounts, type CorpusSpec } from './spec';

export const README_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
export const TABLE_START = '<!-- spec-table:start (generated from spec.json by src/readme-table.ts) -->';
export const TABLE_END = '<!-- spec-table:end -->';

export function specTableMarkdown(spec: CorpusSpec): string {
  const lines = [
    '| dataset_key | layout | rarity | difficulty | train | validation | test | labels | signal | label noise | promised balanced accuracy (chance) | media |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- | --- |',
  ];
  let total = 0;
  for (const dataset of spec.datasets) {
    const counts = splitCounts(spec, dataset, 1);
    total += counts.train + counts.validation + counts.test;
    const knobs = spec.difficultyTiers[dataset.difficulty];
    lines.push(
      `| \`${dataset.dataset_key}\` | \`${dataset.layout}\` | ${dataset.rarity} | ${dataset.difficulty} | ${counts.train} | ${counts.validation} | ${counts.test} | ` +
        `${dataset.task}: ${dataset.labels.join(' · ')} | ${knobs.signal} | ${knobs.labelNoise} | ≥ ${promisedAccuracy(spec, dataset).toFixed(2)} (${chanceLevel(dataset).toFixed(2)}) | ${dataset.media} |`,
    );
  }
  lines.push('', `Total: ${total} items in ${spec.datasets.length} datasets.`);
  return lines.join('\n');
}

export function readmeWithTable(readme: string, spec: CorpusSpec): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the spec-table markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${specTableMarkdown(spec)}\n${readme.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(README_PATH, readmeWithTable(readFileSync(README_PATH, 'utf8'), loadSpec()));
}
