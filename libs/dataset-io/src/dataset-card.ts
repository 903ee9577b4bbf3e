// The dataset card README.md with the Hugging Face YAML header (huggingface.co/docs/hub/datasets-cards,
// "datasets-manual-configuration": configs → data_files per split), generated from the manifest so
// that it always names the shards that are really there. Scalars are written as JSON strings, which are
// valid YAML and need no escaping rules of their own.
import type { DatasetManifest } from './dataset-manifest';

export interface DatasetCardInfo {
  prettyName: string;
  /** SPDX id or `other` (clinical sources mostly carry their own data-use agreements). */
  license: string;
  /** Shown under the YAML when license is `other`. */
  licenseNotes?: string;
  taskCategories: string[];
  language?: string[];
  tags?: string[];
  description: string;
}

const q = (text: string): string => JSON.stringify(text);

function sizeCategory(rows: number): string {
  const bounds: [number, string][] = [[1e3, 'n<1K'], [1e4, '1K<n<10K'], [1e5, '10K<n<100K'], [1e6, '100K<n<1M'], [1e7, '1M<n<10M'], [1e8, '10M<n<100M']];
  return bounds.find(([limit]) => rows < limit)?.[1] ?? '100M<n<1B';
}

/** Shards grouped by split; shards without a split all belong to `train` (a split is required by the Hub). */
function dataFilesBySplit(manifest: DatasetManifest): [string, string[]][] {
  const order = ['train', 'validation', 'test'];
  const groups = new Map<string, string[]>();
  for (const shard of manifest.shards) {
    const split = shard.split ?? 'train';
    groups.set(split, [...(groups.get(split) ?? []), shard.path]);
  }
  const rank = (split: string) => (order.includes(split) ? order.indexOf(split) : order.length);
  return [...groups].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export function datasetCard(manifest: DatasetManifest, info: DatasetCardInfo): string {
  const lines = ['---', `pretty_name: ${q(info.prettyName)}`, `license: ${q(info.license)}`];
  if (info.language?.length) lines.push('language:', ...info.language.map((l) => `- ${q(l)}`));
  lines.push('task_categories:', ...info.taskCategories.map((t) => `- ${q(t)}`));
  if (info.tags?.length) lines.push('tags:', ...info.tags.map((t) => `- ${q(t)}`));
  lines.push('size_categories:', `- ${q(sizeCategory(manifest.totalRows))}`);
  lines.push('configs:', '- config_name: "default"', '  data_files:');
  for (const [split, paths] of dataFilesBySplit(manifest)) {
    lines.push(`  - split: ${q(split)}`, '    path:', ...paths.map((p) => `    - ${q(p)}`));
  }
  lines.push('---', '', `# ${info.prettyName}`, '', info.description.trim(), '');
  if (info.licenseNotes) lines.push('## Licence', '', info.licenseNotes.trim(), '');
  lines.push('## Contents', '', '| shard | split | rows | SHA-256 |', '| --- | --- | ---: | --- |');
  for (const shard of manifest.shards) lines.push(`| \`${shard.path}\` | ${shard.split ?? '—'} | ${shard.rows} | \`${shard.sha256}\` |`);
  lines.push('', `Total rows: ${manifest.totalRows}. Schema version ${manifest.schemaVersion}; written by code version ${manifest.codeVersion}.`, '');
  lines.push('## Columns', '', '| column | type | nullable |', '| --- | --- | --- |');
  for (const column of manifest.columns) lines.push(`| \`${column.name}\` | ${column.type} | ${column.nullable ? 'yes' : 'no'} |`);
  lines.push('');
  return lines.join('\n');
}
