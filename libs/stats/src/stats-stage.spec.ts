import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '@qoq/catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DifficultyReport } from './difficulty-report';
import type { RarityReport } from './rarity';
import { runStats, sqlRows } from './stats-command.spec-helper';
import { syntheticCorpusRows, writeSyntheticCorpus, type SyntheticCorpusPlan } from './synthetic-corpus';

// Every domain, odd counts, several shards and row groups; chest_xray has two datasets (aggregation),
// vindr boxes, busi masks, ptb-xl and the CXR sets multi-label rows.
const PLAN: SyntheticCorpusPlan = {
  rows: {
    'ecg/ptb-xl': 137,
    'chest_xray/vindr': 211,
    'chest_xray/mimic-cxr': 64,
    'mammo/vindr': 53,
    'derm/ham10000': 97,
    'fundus/aptos': 41,
    'pathology/lc25000': 29,
    'ultrasound/busi': 23,
    'mri/brain_tumor': 17,
    'ct/rspect': 301,
  },
  seed: 7,
  rowsPerShard: 400,
  rowsPerGroup: 90,
};

let workDir: string;
let corpus: string;
let duckdb: DuckDBInstance;
let connection: DuckDBConnection;

const run = runStats;

const sql = <T>(query: string): Promise<T[]> => sqlRows<T>(connection, query);

const pairs = (): string => `read_parquet('${corpus}/pairs/*.parquet')`;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'qoq-stats-'));
  corpus = join(workDir, 'corpus');
  await writeSyntheticCorpus(corpus, PLAN);
  duckdb = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await duckdb.connect();
});

afterAll(() => {
  connection?.closeSync();
  duckdb?.closeSync();
  rmSync(workDir, { recursive: true, force: true });
});

describe('stats:rarity', () => {
  let rarity: RarityReport;
  const out = (): string => join(workDir, 'rarity');

  beforeAll(async () => {
    const result = await run('rarity', [`--input=${corpus}`, `--output=${out()}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    rarity = JSON.parse(readFileSync(join(out(), 'rarity.json'), 'utf8')) as RarityReport;
  });

  it('builds a corpus of several shards whose rows pass the catalog validator', async () => {
    const catalog = loadCatalog();
    for (const row of syntheticCorpusRows(PLAN)) expect(catalog.validateInstructionPair(row)).toEqual([]);
    expect(readdirSync(join(corpus, 'pairs')).length).toBeGreaterThan(1);
  });

  it('counts questions per domain and split as DuckDB does', async () => {
    const expected = await sql<{ domain: string; split: string; n: number }>(`SELECT domain, split, count(*)::INT AS n FROM ${pairs()} GROUP BY ALL`);
    expect(rarity.by_domain.map((d) => d.key)).toEqual(['ecg', 'chest_xray', 'mammo', 'derm', 'fundus', 'pathology', 'ultrasound', 'mri', 'ct']);
    for (const { domain, split, n } of expected) {
      expect(rarity.by_domain.find((d) => d.key === domain)?.splits[split as 'train']).toBe(n);
    }
    const total = (await sql<{ n: number }>(`SELECT count(*)::INT AS n FROM ${pairs()}`))[0].n;
    expect(rarity.corpus.rows).toBe(total);
    expect(rarity.by_domain.reduce((sum, d) => sum + d.questions, 0)).toBe(total);
  });

  it('counts datasets, modalities, boxes, masks and labels per question as DuckDB does', async () => {
    const expected = await sql<{ dataset_key: string; n: number; boxes: number; masks: number; labels: number; test: number }>(
      `SELECT dataset_key, count(*)::INT AS n, count(bbox)::INT AS boxes, count(segmentation_path)::INT AS masks,
              sum(len(labels))::INT AS labels, count(*) FILTER (split = 'test')::INT AS test FROM ${pairs()} GROUP BY ALL`,
    );
    expect(rarity.by_dataset).toHaveLength(expected.length);
    for (const row of expected) {
      const d = rarity.by_dataset.find((candidate) => candidate.key === row.dataset_key);
      expect(d, row.dataset_key).toBeDefined();
      expect([d?.questions, d?.with_box, d?.with_mask, d?.splits.test]).toEqual([row.n, row.boxes, row.masks, row.test]);
      expect(d?.labels_per_question.reduce((sum, count, n) => sum + count * n, 0)).toBe(row.labels);
    }
    const modalities = await sql<{ modality: string; n: number }>(`SELECT modality, count(*)::INT AS n FROM ${pairs()} GROUP BY ALL`);
    for (const { modality, n } of modalities) expect(rarity.by_modality.find((m) => m.key === modality)?.questions).toBe(n);
  });

  it('counts label prevalence per split and co-occurrence as DuckDB does', async () => {
    const perLabel = await sql<{ dataset_key: string; label: string; split: string; n: number }>(
      `SELECT dataset_key, label, split, count(*)::INT AS n FROM (SELECT dataset_key, split, unnest(labels) AS label FROM ${pairs()}) GROUP BY ALL`,
    );
    expect(perLabel.length).toBeGreaterThan(40);
    for (const { dataset_key, label, split, n } of perLabel) {
      const entry = rarity.by_dataset.find((d) => d.key === dataset_key)?.labels.find((l) => l.label === label);
      expect(entry?.splits[split as 'train'], `${dataset_key} ${label} ${split}`).toBe(n);
    }
    const pairsOfLabels = await sql<{ dataset_key: string; a: string; b: string; n: number }>(
      `SELECT dataset_key, a, b, count(*)::INT AS n FROM (
         SELECT dataset_key, unnest(labels) AS a, labels FROM ${pairs()}) , unnest(labels) AS t(b) WHERE a < b GROUP BY ALL`,
    );
    const multi = pairsOfLabels.filter((p) => p.dataset_key === 'chest_xray/vindr');
    expect(multi.length).toBeGreaterThan(3);
    for (const { dataset_key, a, b, n } of pairsOfLabels) {
      const d = rarity.by_dataset.find((candidate) => candidate.key === dataset_key);
      const i = d?.labels.findIndex((l) => l.label === a) ?? -1;
      const j = d?.labels.findIndex((l) => l.label === b) ?? -1;
      expect(d?.cooccurrence[i][j]).toBe(n);
      expect(d?.cooccurrence[j][i]).toBe(n);
    }
  });

  it('states its weights and they follow the stated formulas', () => {
    const present = rarity.by_domain.filter((d) => d.questions > 0);
    const n = rarity.corpus.rows;
    for (const d of present) {
      expect(d.inverse_frequency_weight).toBeCloseTo(n / (present.length * d.questions), 5);
      expect(d.sqrt_n).toBeCloseTo(Math.sqrt(d.questions), 5);
    }
    const rarest = present.reduce((a, b) => (a.questions < b.questions ? a : b));
    expect(Math.max(...present.map((d) => d.inverse_sqrt_weight ?? 0))).toBe(rarest.inverse_sqrt_weight);
    expect(rarity.definitions.inverse_frequency_weight).toMatch(/N \/ \(G · N_g\)/);
  });

  it('writes CSVs that agree with the JSON, and the same bytes on a re-run', async () => {
    const csv = readFileSync(join(out(), 'rarity_domains.csv'), 'utf8').trim().split('\n');
    expect(csv[0].split(',').slice(0, 5)).toEqual(['domain', 'questions', 'train', 'validation', 'test']);
    const ct = csv.find((line) => line.startsWith('ct,'))?.split(',');
    expect(Number(ct?.[1])).toBe(rarity.by_domain.find((d) => d.key === 'ct')?.questions);
    const again = join(workDir, 'rarity-again');
    expect((await run('rarity', [`--input=${corpus}`, `--output=${again}`])).code).toBe(0);
    for (const name of readdirSync(out())) expect(readFileSync(join(again, name)), name).toEqual(readFileSync(join(out(), name)));
  });

  it('gives the same bytes scanning shards on one thread as on two', async () => {
    const threads = join(workDir, 'rarity-two-threads');
    expect((await run('rarity', [`--input=${corpus}`, `--output=${threads}`, '--workers=2'])).code).toBe(0);
    expect(readFileSync(join(threads, 'rarity.json'))).toEqual(readFileSync(join(out(), 'rarity.json')));
  });

  it('counts the corpus rejects.jsonl by code and dataset', async () => {
    const copy = join(workDir, 'with-rejects');
    await writeSyntheticCorpus(copy, { rows: { 'mri/brain_tumor': 10 } });
    const rejects = [
      { dataset_key: 'mri/brain_tumor', path: 'a.png', code: 'IMAGE_TRUNCATED', message: 'x' },
      { dataset_key: 'mri/brain_tumor', path: 'b.png', code: 'IMAGE_TRUNCATED', message: 'x' },
      { dataset_key: 'ecg/ptb-xl', path: 'c.hea', code: 'WFDB_BAD_HEADER', message: 'x' },
    ];
    writeFileSync(join(copy, 'rejects.jsonl'), rejects.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const target = join(workDir, 'with-rejects-out');
    expect((await run('rarity', [`--input=${copy}`, `--output=${target}`])).code).toBe(0);
    const report = JSON.parse(readFileSync(join(target, 'rarity.json'), 'utf8')) as RarityReport;
    expect(report.corpus.rejects).toEqual({ total: 3, by_code: { IMAGE_TRUNCATED: 2, WFDB_BAD_HEADER: 1 }, by_dataset: { 'ecg/ptb-xl': 1, 'mri/brain_tumor': 2 } });
  });
});

describe('stats:difficulty', () => {
  it('gives label proxies per dataset, with the chance set-F1 of a single-label dataset equal to Σ p_i² over train', async () => {
    const out = join(workDir, 'difficulty');
    expect((await run('difficulty', [`--input=${corpus}`, `--output=${out}`])).code).toBe(0);
    const difficulty = JSON.parse(readFileSync(join(out, 'difficulty.json'), 'utf8')) as DifficultyReport;
    expect(difficulty.rollouts).toBeNull();
    const classes = await sql<{ label: string; n: number }>(`SELECT labels[1] AS label, count(*)::INT AS n FROM ${pairs()} WHERE dataset_key = 'derm/ham10000' AND split = 'train' GROUP BY ALL`);
    const total = classes.reduce((sum, c) => sum + c.n, 0);
    const ham = difficulty.label_proxies.by_dataset.find((d) => d.dataset_key === 'derm/ham10000');
    expect(ham?.chance_set_f1).toBeCloseTo(classes.reduce((sum, c) => sum + (c.n / total) ** 2, 0), 5);
    expect(ham?.chance_set_f1).not.toBeCloseTo(1 / 5, 2);
    const all = await sql<{ n: number }>(`SELECT count(*)::INT AS n FROM ${pairs()} WHERE dataset_key = 'derm/ham10000' GROUP BY labels[1] ORDER BY n DESC`);
    const hamTotal = all.reduce((sum, c) => sum + c.n, 0);
    expect(ham?.majority_rate).toBeCloseTo(all[0].n / hamTotal, 5);
    expect(ham?.imbalance_ratio).toBeCloseTo(all[0].n / all[all.length - 1].n, 5);
    expect(ham?.label_entropy_bits).toBeCloseTo(-all.reduce((sum, c) => sum + (c.n / hamTotal) * Math.log2(c.n / hamTotal), 0), 5);
    expect(difficulty.label_proxies.by_domain).toHaveLength(9);
  });

  it('with --rollouts gives mean reward, pass rate, zero-variance groups per step and illustrative DRPO temperatures', async () => {
    const log = join(workDir, 'rollouts.jsonl');
    const lines: string[] = [];
    // Two steps; in each, ptb-xl questions score {1,1,1,1} (flat) and rspect questions {0, 0.5, 1, 0.5}.
    for (let step = 0; step < 2; step++) {
      for (let q = 0; q < 3; q++) {
        for (const [key, rewards] of [['ecg/ptb-xl', [1, 1, 1, 1]], ['ct/rspect', [0, 0.5, 1, 0.5]]] as const) {
          for (const reward of rewards) lines.push(JSON.stringify({ step, question_id: `${key}-${step}-${q}`, domain: key.split('/')[0], dataset_key: key, reward: reward + 0.2, components: { accuracy: reward, format: 0.2 } }));
        }
      }
    }
    writeFileSync(log, lines.join('\n') + '\n');
    const out = join(workDir, 'difficulty-rollouts');
    const result = await run('difficulty', [`--input=${corpus}`, `--output=${out}`, `--rollouts=${log}`]);
    expect(result.stderr).toBe('');
    const { rollouts } = JSON.parse(readFileSync(join(out, 'difficulty.json'), 'utf8')) as DifficultyReport;
    expect(rollouts?.file_rollouts).toBe(48);
    const ct = rollouts?.by_dataset.find((d) => d.key === 'ct/rspect');
    expect(ct?.mean_reward).toBeCloseTo(0.7, 6);
    expect(ct?.mean_components.accuracy).toBeCloseTo(0.5, 6);
    expect(ct?.pass_rate).toBeCloseTo(0.75, 6);
    expect(ct?.within_group_variance).toBeCloseTo(1 / 6, 6);
    expect(rollouts?.by_dataset.find((d) => d.key === 'ecg/ptb-xl')?.zero_variance_share).toBe(1);
    expect(rollouts?.steps.map((s) => s.zero_variance_share)).toEqual([0.5, 0.5]);
    const drpo = rollouts?.drpo_illustrative.find((t) => t.dataset_key === 'ecg/ptb-xl');
    expect(drpo?.question_count).toBe(6);
    expect(drpo?.domain_temperature).toBeCloseTo(Math.sqrt(6) * (drpo?.domain_mean ?? 0), 4);
  });
});

describe('stats:report', () => {
  it('writes stats.json with both parts and the manifest SHA-256, and a self-contained report.html', async () => {
    const out = join(workDir, 'report');
    expect((await run('report', [`--input=${corpus}`, `--output=${out}`])).code).toBe(0);
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as { corpus_manifest_sha256: string; rarity: RarityReport; difficulty: DifficultyReport };
    const { createHash } = await import('node:crypto');
    expect(stats.corpus_manifest_sha256).toBe(createHash('sha256').update(readFileSync(join(corpus, 'manifest.json'))).digest('hex'));
    expect(stats.rarity.by_domain).toHaveLength(9);
    expect(stats.difficulty.label_proxies.by_dataset).toHaveLength(Object.keys(PLAN.rows).length);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|https?:\/\/|<link/i);
  });
});

describe('bad input exits 2, names the file and writes nothing', () => {
  async function expectRefused(input: string, pattern: RegExp, extra: string[] = []): Promise<void> {
    const out = join(workDir, `refused-${Math.random().toString(16).slice(2)}`);
    const result = await run('report', [`--input=${input}`, `--output=${out}`, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  }

  it('a missing corpus: tells to run ingest:pairs', async () => {
    await expectRefused(join(workDir, 'no-such-corpus'), /no-such-corpus.*npx nx run ingest:pairs/);
  });

  it('a corrupt shard: its SHA-256 no longer matches the manifest', async () => {
    const copy = join(workDir, 'corrupt');
    await writeSyntheticCorpus(copy, PLAN);
    const shard = join(copy, 'pairs', 'part-00000.parquet');
    const bytes = readFileSync(shard);
    bytes[bytes.length >> 1] ^= 0xff;
    writeFileSync(shard, bytes);
    await expectRefused(copy, /part-00000\.parquet: SHARD_HASH_MISMATCH/);
    await expectRefused(copy, /part-00000\.parquet: SHARD_HASH_MISMATCH/, ['--workers=2']);
  });

  it('a manifest that does not match: a shard it lists is gone', async () => {
    const copy = join(workDir, 'missing-shard');
    await writeSyntheticCorpus(copy, PLAN);
    rmSync(join(copy, 'pairs', 'part-00001.parquet'));
    await expectRefused(copy, /part-00001\.parquet/);
  });

  it('a row with a label outside its label set', async () => {
    const copy = join(workDir, 'bad-row');
    const rows = [...syntheticCorpusRows({ rows: { 'derm/ham10000': 30 } })];
    rows[17] = { ...rows[17], labels: ['Psoriasis'], answer: 'Psoriasis' };
    await writeSyntheticCorpus(copy, { rows: {} }, rows);
    await expectRefused(copy, /part-00000\.parquet: row 17: LABEL_OUTSIDE_LABEL_SET/);
  });

  it('a row the full validator refuses (answer not the labels)', async () => {
    const copy = join(workDir, 'bad-answer');
    const rows = [...syntheticCorpusRows({ rows: { 'fundus/aptos': 12 } })];
    rows[5] = { ...rows[5], answer: 'something else' };
    await writeSyntheticCorpus(copy, { rows: {} }, rows);
    await expectRefused(copy, /part-00000\.parquet: row 5: ANSWER_NOT_LABELS/, ['--validate=full']);
  });

  it('a rollout log with a line that is not JSON', async () => {
    const log = join(workDir, 'bad-rollouts.jsonl');
    writeFileSync(log, '{"step":0,"question_id":"a","domain":"ct","dataset_key":"ct/rspect","reward":1}\n{oops\n');
    await expectRefused(corpus, /bad-rollouts\.jsonl: line 2/, [`--rollouts=${log}`]);
  });
});
