import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaReport } from './media-report';
import { runStats, sqlRows } from './stats-command.spec-helper';
import { writeSyntheticCorpus, type SyntheticCorpusPlan } from './synthetic-corpus';
import { SYNTHETIC_STAGE_COLUMNS, writeSyntheticStages, type SyntheticStageCounts } from './synthetic-stages';

const PLAN: SyntheticCorpusPlan = {
  rows: { 'ecg/ptb-xl': 41, 'chest_xray/vindr': 53, 'chest_xray/mimic-cxr': 22, 'mammo/vindr': 21, 'derm/ham10000': 31, 'ct/rspect': 44, 'ultrasound/busi': 9 },
  seed: 11,
  rowsPerShard: 120,
  rowsPerGroup: 40,
};

let workDir: string;
let corpus: string;
let stages: string;
let synthetic: SyntheticStageCounts;
let media: MediaReport;
let duckdb: DuckDBInstance;
let connection: DuckDBConnection;

const run = runStats;

const sql = <T>(query: string): Promise<T[]> => sqlRows<T>(connection, query);

const USED = (): string => `(SELECT DISTINCT unnest(media_paths) AS p FROM read_parquet('${corpus}/provenance.parquet'))`;
const IMAGES = (): string => `(SELECT media_path, dataset_key, split_part(dataset_key, '/', 1) AS domain, columns AS w, rows AS h, output_width AS ow, output_height AS oh, pixel_spacing, coalesce(dicom_modality, '(none)') AS modality, true AS dicom FROM read_parquet('${stages}/dicom/dicom.parquet')
  UNION ALL SELECT media_path, dataset_key, split_part(dataset_key, '/', 1), source_width, source_height, output_width, output_height, NULL, NULL, false FROM read_parquet('${stages}/images/images.parquet'))`;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'qoq-stats-media-'));
  corpus = join(workDir, 'corpus');
  stages = join(workDir, 'ingest');
  await writeSyntheticCorpus(corpus, PLAN);
  synthetic = await writeSyntheticStages(stages, corpus, PLAN);
  duckdb = await DuckDBInstance.create(':memory:', { threads: '1' });
  connection = await duckdb.connect();
  const result = await run('rarity', [`--input=${corpus}`, `--output=${join(workDir, 'out')}`, `--media-from=${stages}`]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  media = JSON.parse(readFileSync(join(workDir, 'out', 'media.json'), 'utf8')) as MediaReport;
});

afterAll(() => {
  connection?.closeSync();
  duckdb?.closeSync();
  rmSync(workDir, { recursive: true, force: true });
});

type Dist = { n: number; mn: number; p5: number; med: number; p95: number; mx: number };
const distSql = (column: string): string =>
  `'n': count(${column})::INT, 'mn': min(${column}), 'p5': quantile_disc(${column}, 0.05), 'med': quantile_disc(${column}, 0.5), 'p95': quantile_disc(${column}, 0.95), 'mx': max(${column})`;
const asDist = (row: Dist): unknown => ({ count: row.n, min: Number(row.mn), p5: Number(row.p5), median: Number(row.med), p95: Number(row.p95), max: Number(row.mx) });

describe('media.json of stats:rarity --media-from', () => {
  it('uses the stages\' own column names and types', async () => {
    const { DICOM_TABLE_COLUMNS, IMAGE_TABLE_COLUMNS, DICOM_PROVENANCE_COLUMNS } = await import('@qoq/imaging');
    const { ECG_TABLE_COLUMNS } = await import('@qoq/ecg');
    const { PROVENANCE_COLUMNS } = await import('@qoq/pairs');
    const real = [...DICOM_TABLE_COLUMNS, ...IMAGE_TABLE_COLUMNS, ...ECG_TABLE_COLUMNS, ...DICOM_PROVENANCE_COLUMNS];
    for (const [table, specs] of [['dicom', DICOM_TABLE_COLUMNS], ['images', IMAGE_TABLE_COLUMNS], ['ecg', ECG_TABLE_COLUMNS], ['stageProvenance', DICOM_PROVENANCE_COLUMNS], ['corpusProvenance', PROVENANCE_COLUMNS]] as const) {
      for (const column of SYNTHETIC_STAGE_COLUMNS[table]) expect(specs.find((c) => c.name === column.name)?.type, `${table}.${column.name}`).toBe(column.type);
    }
    expect(real.length).toBeGreaterThan(40);
  });

  it('image sizes per dataset over the media the corpus uses equal DuckDB over the joined Parquet', async () => {
    const expected = await sql<{ dataset_key: string; w: Dist; h: Dist; ow: Dist; oh: Dist }>(
      `SELECT dataset_key, {${distSql('w')}} AS w, {${distSql('h')}} AS h, {${distSql('ow')}} AS ow, {${distSql('oh')}} AS oh FROM ${IMAGES()} WHERE media_path IN ${USED()} GROUP BY ALL`,
    );
    expect(expected.length).toBe(6);
    for (const row of expected) {
      const figures = media.images.by_dataset.find((f) => f.key === row.dataset_key);
      expect(figures?.scope, row.dataset_key).toBe('corpus');
      expect(figures?.rows).toBe(row.w.n);
      expect(figures?.source_width).toEqual(asDist(row.w));
      expect(figures?.source_height).toEqual(asDist(row.h));
      expect(figures?.output_width).toEqual(asDist(row.ow));
      expect(figures?.output_height).toEqual(asDist(row.oh));
    }
    const all = await sql<{ dataset_key: string; n: number }>(`SELECT dataset_key, count(*)::INT AS n FROM ${IMAGES()} GROUP BY ALL`);
    for (const { dataset_key, n } of all) expect(media.images.by_dataset.find((f) => f.key === dataset_key)?.stage_rows).toBe(n);
  });

  it('per domain, the same over the datasets of the domain (chest_xray: two DICOM datasets)', async () => {
    const expected = await sql<{ domain: string; w: Dist; h: Dist }>(`SELECT domain, {${distSql('w')}} AS w, {${distSql('h')}} AS h FROM ${IMAGES()} WHERE media_path IN ${USED()} GROUP BY ALL`);
    for (const row of expected) {
      const figures = media.images.by_domain.find((f) => f.key === row.domain);
      expect(figures?.source_width, row.domain).toEqual(asDist(row.w));
      expect(figures?.source_height).toEqual(asDist(row.h));
    }
    expect(media.images.by_domain.find((f) => f.key === 'chest_xray')?.stages).toEqual(['ingest:dicom']);
  });

  it('a dataset the corpus does not use is described over its whole stage table, and says so', async () => {
    const extra = media.images.by_dataset.find((f) => f.key === 'local/extra');
    expect(extra?.scope).toBe('stage-table');
    expect(extra?.domain).toBe('(unknown)');
    const [row] = await sql<{ w: Dist }>(`SELECT {${distSql('w')}} AS w FROM ${IMAGES()} WHERE dataset_key = 'local/extra'`);
    expect(extra?.source_width).toEqual(asDist(row.w));
  });

  it('pixel spacing and DICOM modality equal DuckDB', async () => {
    const expected = await sql<{ dataset_key: string; frames: number; with_spacing: number; r: Dist; c: Dist }>(
      `SELECT dataset_key, count(*)::INT AS frames, count(pixel_spacing)::INT AS with_spacing, {${distSql('pixel_spacing[1]')}} AS r, {${distSql('pixel_spacing[2]')}} AS c
       FROM ${IMAGES()} WHERE dicom AND media_path IN ${USED()} GROUP BY ALL`,
    );
    for (const row of expected) {
      const spacing = media.images.by_dataset.find((f) => f.key === row.dataset_key)?.pixel_spacing;
      expect(spacing?.dicom_frames, row.dataset_key).toBe(row.frames);
      expect(spacing?.with_spacing).toBe(row.with_spacing);
      expect(spacing?.row_mm).toEqual(row.with_spacing > 0 ? asDist(row.r) : null);
      expect(spacing?.column_mm).toEqual(row.with_spacing > 0 ? asDist(row.c) : null);
    }
    expect(media.images.by_dataset.find((f) => f.key === 'ct/rspect')?.pixel_spacing.share).toBe(1);
    const modalities = await sql<{ dataset_key: string; modality: string; n: number }>(`SELECT dataset_key, modality, count(*)::INT AS n FROM ${IMAGES()} WHERE dicom AND media_path IN ${USED()} GROUP BY ALL`);
    expect(modalities.some((m) => m.modality === '(none)')).toBe(true);
    for (const { dataset_key, modality, n } of modalities) expect(media.images.by_dataset.find((f) => f.key === dataset_key)?.dicom_modality[modality]).toBe(n);
  });

  it('ECG rates, durations and leads of the records the corpus uses equal DuckDB', async () => {
    const table = `read_parquet('${stages}/ecg/ecg.parquet')`;
    const rates = await sql<{ rate: number; n: number }>(`SELECT original_sampling_frequency AS rate, count(*)::INT AS n FROM ${table} WHERE media_path IN ${USED()} GROUP BY ALL`);
    const ptb = media.ecg.by_dataset.find((f) => f.key === 'ecg/ptb-xl');
    expect(ptb?.scope).toBe('corpus');
    expect(ptb?.original_sampling_frequency_hz).toEqual(Object.fromEntries(rates.map((r) => [String(r.rate), r.n])));
    expect(rates.length).toBeGreaterThan(2);
    const [duration] = await sql<{ d: Dist }>(`SELECT {${distSql('original_samples / original_sampling_frequency')}} AS d FROM ${table} WHERE media_path IN ${USED()}`);
    expect(ptb?.duration_seconds).toEqual(asDist(duration.d));
    expect(ptb?.records).toBe(PLAN.rows['ecg/ptb-xl']);
    const leads = await sql<{ leads: number; n: number }>(`SELECT len(leads_present) AS leads, count(*)::INT AS n FROM ${table} WHERE media_path IN ${USED()} GROUP BY ALL`);
    expect(ptb?.leads_present).toEqual(Object.fromEntries(leads.map((l) => [String(l.leads), l.n])));
    const [records] = await sql<{ n: number }>(`SELECT count(*)::INT AS n FROM ${table} WHERE window_index = 0`);
    expect(ptb?.stage_records).toBe(records.n);
    expect(media.ecg.by_domain.map((f) => f.key)).toEqual(['ecg']);
  });

  it('per stage: sources and media written, rejects by code and the reject rate equal DuckDB', async () => {
    for (const [stage, file] of [['dicom', 'dicom.parquet'], ['images', 'images.parquet'], ['ecg', 'ecg.parquet']] as const) {
      const summary = media.stages.find((s) => s.stage === `ingest:${stage}`);
      const [written] = await sql<{ n: number }>(`SELECT count(*)::INT AS n FROM read_parquet('${stages}/${stage}/provenance.parquet')`);
      const [rows] = await sql<{ n: number }>(`SELECT count(*)::INT AS n FROM read_parquet('${stages}/${stage}/${file}')`);
      const codes = await sql<{ code: string; n: number }>(`SELECT code, count(*)::INT AS n FROM read_json_auto('${stages}/${stage}/rejects.jsonl') GROUP BY ALL`);
      const rejected = codes.reduce((sum, c) => sum + c.n, 0);
      expect(rejected).toBe(synthetic.rejects[stage]);
      expect(summary).toMatchObject({ status: 'present', sources_written: written.n, media_written: rows.n, rejected, rejects_by_code: Object.fromEntries(codes.map((c) => [c.code, c.n])) });
      expect(summary?.reject_rate).toBeCloseTo(rejected / (written.n + rejected), 6);
      expect(summary?.input_files).toBe(written.n + rejected + 5);
      const perDataset = await sql<{ dataset_key: string; n: number }>(`SELECT dataset_key, count(*)::INT AS n FROM read_parquet('${stages}/${stage}/provenance.parquet') GROUP BY ALL`);
      for (const { dataset_key, n } of perDataset) expect(summary?.by_dataset.find((d) => d.dataset_key === dataset_key)?.sources_written).toBe(n);
    }
    expect(media.stages.find((s) => s.stage === 'ingest:dicom')?.by_dataset.find((d) => d.dataset_key === 'mammo/vindr')?.rejects_by_code).toEqual({ DICOM_TRUNCATED: 2 });
  });

  it('corpus: exact duplicates dropped and near-duplicate pairs (and cross-split ones) equal DuckDB', async () => {
    const [dups] = await sql<{ n: number }>(`SELECT count(*)::INT AS n FROM read_json_auto('${corpus}/duplicates.jsonl')`);
    const [near] = await sql<{ n: number; cross: number }>(`SELECT count(*)::INT AS n, count(*) FILTER (a_split <> b_split)::INT AS cross FROM read_json_auto('${corpus}/near-duplicates.jsonl')`);
    const rows = Object.values(PLAN.rows).reduce((a, b) => a + b, 0);
    expect(media.corpus.exact_duplicates?.dropped).toBe(dups.n);
    expect(media.corpus.exact_duplicates?.rate).toBeCloseTo(dups.n / (rows + dups.n), 6);
    expect(media.corpus.near_duplicates?.pairs).toBe(near.n);
    expect(media.corpus.near_duplicates?.cross_split).toBe(near.cross);
    expect(near.n).toBe(synthetic.nearDuplicates);
    expect(near.cross).toBeGreaterThan(0);
    const perDataset = await sql<{ dataset_key: string; n: number }>(
      `SELECT dataset_key, count(*)::INT AS n FROM (SELECT DISTINCT n.a_id, n.b_id, p.dataset_key FROM read_json_auto('${corpus}/near-duplicates.jsonl') n
         JOIN read_parquet('${corpus}/provenance.parquet') p ON p.id IN (n.a_id, n.b_id)) GROUP BY ALL`,
    );
    for (const { dataset_key, n } of perDataset) expect(media.corpus.near_duplicates?.by_dataset?.[dataset_key]?.pairs, dataset_key).toBe(n);
    const join = await sql<{ dataset_key: string; n: number }>(`SELECT dataset_key, count(*)::INT AS n FROM (SELECT dataset_key, unnest(media_paths) FROM read_parquet('${corpus}/provenance.parquet')) GROUP BY ALL`);
    for (const { dataset_key, n } of join) expect(media.corpus_join?.find((j) => j.dataset_key === dataset_key)).toEqual({ dataset_key, corpus_media: n, found_in_stage_tables: n });
  });

  it('writes the CSVs, and stats:report carries the same figures in stats.json and a section in report.html', async () => {
    const images = readFileSync(join(workDir, 'out', 'media_images.csv'), 'utf8').trim().split('\n');
    const vindr = images.find((line) => line.startsWith('dataset,chest_xray/vindr,'))?.split(',');
    expect(Number(vindr?.[6])).toBe(media.images.by_dataset.find((f) => f.key === 'chest_xray/vindr')?.rows);
    expect(readFileSync(join(workDir, 'out', 'media_stages.csv'), 'utf8')).toContain('ingest:dicom,mammo/vindr,present,,');
    const out = join(workDir, 'report');
    expect((await run('report', [`--input=${corpus}`, `--output=${out}`, `--media-from=${stages}`])).code).toBe(0);
    const stats = JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as { media: MediaReport };
    expect(stats.media).toEqual(media);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Media and pipeline</h2>');
    expect(html).toMatch(/data-plot="image-sizes"/);
    expect(html).toMatch(/data-plot="ecg-durations"/);
  });
});

describe('stage folders absent, skipped or unreadable', () => {
  it('an absent stage folder is reported as absent, the others still read', async () => {
    const copy = join(workDir, 'no-ecg');
    cpSync(stages, copy, { recursive: true });
    rmSync(join(copy, 'ecg'), { recursive: true });
    const out = join(workDir, 'out-no-ecg');
    const result = await run('rarity', [`--input=${corpus}`, `--output=${out}`, `--media-from=${copy}`]);
    expect(result.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'media.json'), 'utf8')) as MediaReport;
    expect(report.stages.map((s) => s.status)).toEqual(['present', 'present', 'absent']);
    expect(report.ecg.by_dataset).toEqual([]);
    expect(report.images.by_dataset.length).toBe(7);
    expect(report.corpus_join?.find((j) => j.dataset_key === 'ecg/ptb-xl')?.found_in_stage_tables).toBe(0);
  });

  it('--media-from=none skips the stage figures and keeps the corpus ones; stats:difficulty refuses the option', async () => {
    const out = join(workDir, 'out-none');
    expect((await run('rarity', [`--input=${corpus}`, `--output=${out}`, '--media-from=none'])).code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'media.json'), 'utf8')) as MediaReport;
    expect(report.media_from).toBe('none');
    expect(report.stages.map((s) => s.status)).toEqual(['not-read', 'not-read', 'not-read']);
    expect(report.corpus.near_duplicates?.pairs).toBe(synthetic.nearDuplicates);
    const refused = await run('difficulty', [`--input=${corpus}`, `--output=${join(workDir, 'out-difficulty')}`, `--media-from=${stages}`]);
    expect(refused.code).toBe(2);
  });

  async function expectRefused(mediaFrom: string, pattern: RegExp): Promise<void> {
    const out = join(workDir, `refused-${Math.random().toString(16).slice(2)}`);
    const result = await run('report', [`--input=${corpus}`, `--output=${out}`, `--media-from=${mediaFrom}`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  }

  it('a corrupt stage table exits 2 naming it and writes nothing', async () => {
    const copy = join(workDir, 'corrupt-stage');
    cpSync(stages, copy, { recursive: true });
    const table = join(copy, 'images', 'images.parquet');
    const bytes = readFileSync(table);
    writeFileSync(table, bytes.subarray(0, bytes.length >> 1));
    await expectRefused(copy, /images\/images\.parquet: STAGE_TABLE_UNREADABLE/);
  });

  it('a stage folder without its table, a bad rejects.jsonl, or a --media-from that is not a folder: exit 2', async () => {
    const copy = join(workDir, 'no-table');
    cpSync(stages, copy, { recursive: true });
    rmSync(join(copy, 'dicom', 'dicom.parquet'));
    await expectRefused(copy, /dicom\/dicom\.parquet: STAGE_TABLE_MISSING/);
    const bad = join(workDir, 'bad-rejects');
    cpSync(stages, bad, { recursive: true });
    writeFileSync(join(bad, 'ecg', 'rejects.jsonl'), '{oops\n');
    await expectRefused(bad, /ecg\/rejects\.jsonl: line 1: REJECTS_INVALID/);
    await expectRefused(join(workDir, 'nowhere'), /nowhere.*not a folder/);
  });
});
