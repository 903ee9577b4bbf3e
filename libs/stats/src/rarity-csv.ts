// The CSV views of rarity.json (RFC 4180: comma-separated, CRLF-free "\n" rows, fields quoted when they
// hold a comma, quote or line break), fixed column order, rows in catalog order — byte-stable.
import type { GroupRarity, RarityReport } from './rarity';

function field(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): string {
  return [header, ...rows].map((row) => row.map(field).join(',')).join('\n') + '\n';
}

const GROUP_HEADER = [
  'questions', 'train', 'validation', 'test', 'share', 'sqrt_n', 'inverse_frequency_weight', 'inverse_sqrt_weight',
  'labels_per_question_mean', 'with_box', 'with_mask', 'box_share', 'mask_share', 'test_accuracy_ci95_halfwidth',
] as const;

function groupCells(group: GroupRarity): Array<string | number | null> {
  return [
    group.questions, group.splits.train, group.splits.validation, group.splits.test, group.share, group.sqrt_n,
    group.inverse_frequency_weight, group.inverse_sqrt_weight, group.labels_per_question_mean, group.with_box,
    group.with_mask, group.box_share, group.mask_share, group.test_accuracy_ci95_halfwidth,
  ];
}

/** File name → content, for every CSV stats:rarity writes. */
export function rarityCsvFiles(report: RarityReport): Record<string, string> {
  return {
    'rarity_domains.csv': csv(['domain', ...GROUP_HEADER], report.by_domain.map((g) => [g.key, ...groupCells(g)])),
    'rarity_modalities.csv': csv(['modality', ...GROUP_HEADER], report.by_modality.map((g) => [g.key, ...groupCells(g)])),
    'rarity_datasets.csv': csv(
      ['dataset_key', 'domain', 'modality', ...GROUP_HEADER, 'max_abs_prevalence_shift'],
      report.by_dataset.map((d) => [d.key, d.domain, d.modality, ...groupCells(d), d.max_abs_prevalence_shift]),
    ),
    'label_prevalence.csv': csv(
      ['dataset_key', 'label', 'questions', 'train', 'validation', 'test', 'prevalence', 'prevalence_train', 'prevalence_validation', 'prevalence_test', 'test_ci95_low', 'test_ci95_high', 'shift_validation_vs_train', 'shift_test_vs_train'],
      report.by_dataset.flatMap((d) =>
        d.labels.map((l) => [
          d.key, l.label, l.questions, l.splits.train, l.splits.validation, l.splits.test, l.prevalence, l.prevalence_by_split.train,
          l.prevalence_by_split.validation, l.prevalence_by_split.test, l.test_prevalence_ci95[0], l.test_prevalence_ci95[1],
          l.shift_validation_vs_train, l.shift_test_vs_train,
        ]),
      ),
    ),
    'label_cooccurrence.csv': csv(
      ['dataset_key', 'label_a', 'label_b', 'questions'],
      report.by_dataset.flatMap((d) =>
        d.cooccurrence.flatMap((row, a) => row.flatMap((count, b) => (b > a && count > 0 ? [[d.key, d.labels[a].label, d.labels[b].label, count]] : []))),
      ),
    ),
  };
}
