// ingest:ecg end to end through the real command line: real PhysioNet records and the pydicom ECG,
// a broken record among them, outputs read back by DuckDB and NumPy, byte-identical re-runs, and a
// killed run that resumes.
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWfdbFormat16 } from '@qoq/ecg';
import { requireOracle, runPython } from '@qoq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDuckDb, stageCli, treeBytes, tsx, workspaceRoot } from './stage-cli.test-support';

const runIngest = stageCli('ecg.ts');
const query = queryDuckDb;

const fixtures = join(workspaceRoot, 'libs/ecg/test-fixtures');

let scratch: string;
let input: string;
let salt: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-ingest-ecg-'));
  input = join(scratch, 'input');
  await mkdir(join(input, 'mit/multi'), { recursive: true });
  // Real PhysioNet records: MIT format 212 (2 leads, 30 min: cropped to 10 s), a PhysioNet-2021 style .mat,
  // and a variable-layout multi-segment record whose segments must not be ingested on their own.
  for (const name of ['100.hea', '100.dat', 'a103l.hea', 'a103l.mat']) await cp(join(fixtures, 'wfdb', name), join(input, 'mit', name));
  await cp(join(fixtures, 'wfdb/multi-segment/041s'), join(input, 'mit/multi'), { recursive: true });
  await cp(join(fixtures, 'dicom/waveform_ecg.dcm'), join(input, 'dicom-ecg.dcm'));
  // A PTB-XL-like 12-lead record, and a truncated copy of it.
  const leads = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'];
  const signals = leads.map((description, k) => ({
    description,
    digital: Int16Array.from({ length: 5000 }, (_, i) => Math.round(900 * Math.sin((2 * Math.PI * 1.2 * i) / 500 + k))),
  }));
  const record = encodeWfdbFormat16({ recordName: '00001_hr', samplingFrequency: 500, signals, comments: ['<age>: 93  <sex>: F'] });
  await mkdir(join(input, 'ptb'), { recursive: true });
  await writeFile(join(input, 'ptb/00001_hr.hea'), record.header);
  await writeFile(join(input, 'ptb/00001_hr.dat'), record.dat);
  const broken = encodeWfdbFormat16({ recordName: '00002_hr', samplingFrequency: 500, signals, comments: [] });
  await writeFile(join(input, 'ptb/00002_hr.hea'), broken.header);
  await writeFile(join(input, 'ptb/00002_hr.dat'), broken.dat.subarray(0, 4000));
  salt = join(scratch, 'salt');
  await writeFile(salt, 'a secret salt of at least sixteen bytes');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('ingest:ecg', () => {
  it('refuses real data without a salt file, writing nothing', () => {
    const result = runIngest([`--input=${input}`, `--output=${join(scratch, 'no-salt')}`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/--salt-file is required/);
  });

  it('keeps the physical values exactly at the record\'s own rate, twelve leads in standard order', async () => {
    const output = join(scratch, 'own-rate');
    const result = runIngest([`--input=${join(input, 'ptb')}`, `--output=${output}`, `--salt-file=${salt}`, '--leads=all', '--rate=500']);
    expect(result.status).toBe(0);
    const [row] = await query(`SELECT * FROM read_parquet('${join(output, 'ecg.parquet')}')`);
    expect(row).toMatchObject({ leads: ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'], samples: 5000, resampling: '1/1' });
    const npy = await readFile(join(output, 'media', String(row['media_path'])));
    const headerLength = npy.readUInt16LE(8);
    const values = new Float32Array(npy.buffer.slice(npy.byteOffset + 10 + headerLength, npy.byteOffset + npy.byteLength));
    expect(values.length).toBe(12 * 5000);
    // Lead k, sample i was written as round(900·sin(2π·1.2·i/500 + k)) at gain 1000/mV.
    for (const [lead, sample] of [[0, 0], [1, 0], [6, 1234], [11, 4999]]) {
      const digital = Math.round(900 * Math.sin((2 * Math.PI * 1.2 * sample) / 500 + lead));
      expect(values[lead * 5000 + sample]).toBe(Math.fround(digital / 1000));
    }
  });

  it('refuses an unknown option with exit 2', () => {
    expect(runIngest([`--input=${input}`, `--output=${join(scratch, 'x')}`, `--salt-file=${salt}`, '--rates=250']).status).toBe(2);
  });

  it('writes [8, 2500] float32 .npy files, ecg.parquet, provenance and rejects; the broken record is one reject line', async () => {
    const output = join(scratch, 'out');
    const result = runIngest([`--input=${input}`, `--output=${output}`, `--salt-file=${salt}`, '--dataset=ecg/test', '--workers=2']);
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/rejected\s+4/);

    // The MIT-BIH and MIMIC records hold no I, II, V1–V6 (MLII, V5, ABP…): rejected with their reason, and
    // the multi-segment record once, as a whole: its segments are not records of their own.
    const rejects = (await readFile(join(output, 'rejects.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(rejects.map(({ path, code }) => [path, code])).toEqual([
      ['mit/100.hea', 'ECG_MISSING_LEADS'],
      ['mit/a103l.hea', 'ECG_MISSING_LEADS'],
      ['mit/multi/041s.hea', 'ECG_MISSING_LEADS'],
      ['ptb/00002_hr.dat', 'ECG_TRUNCATED'],
    ]);
    for (const reject of rejects) expect(reject).toMatchObject({ dataset_key: 'ecg/test', message: expect.stringMatching(/\w+ \w+/) });

    const rows = await query(`SELECT * FROM read_parquet('${join(output, 'ecg.parquet')}') ORDER BY media_path`);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row['leads']).toEqual(['I', 'II', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
      expect(row).toMatchObject({ sampling_frequency: 250, samples: 2500, dataset_key: 'ecg/test' });
      expect(String(row['media_path'])).toMatch(/^ecg\/test\/[0-9a-f]{24}\.npy$/);
    }
    expect(rows.map((row) => row['source_format']).sort()).toEqual(['dicom-waveform/SS', 'wfdb/16']);
    const ptb = rows.find((row) => row['source_format'] === 'wfdb/16' && row['original_sampling_frequency'] === 500);
    // Ages over 89 are aggregated (PS3.15 / Safe Harbor).
    expect(ptb).toMatchObject({ age: '90+', sex: 'F', checksum_status: 'ok' });

    const provenance = await query(`SELECT * FROM read_parquet('${join(output, 'provenance.parquet')}') ORDER BY source_path`);
    expect(provenance.map((row) => row['source_path'])).toEqual(['dicom-ecg.dcm', 'ptb/00001_hr.hea']);
    expect(provenance[1]['source_files']).toEqual(['ptb/00001_hr.dat', 'ptb/00001_hr.hea']);
    // De-identified tables carry no source path.
    expect(JSON.stringify(rows)).not.toMatch(/00001_hr|a103l|dicom-ecg|mit\//);

    if (requireOracle('pydicom')) {
      const npy = join(output, 'media', String(ptb?.['media_path']));
      const { stdout } = runPython('import numpy, sys; a = numpy.load(sys.argv[1]); print(a.dtype.str, a.shape, float(a[0, 0]))', [npy]);
      const [dtype, ...rest] = stdout.trim().split(' ');
      expect(dtype).toBe('<f4');
      expect(rest.join(' ')).toMatch(/^\(8, 2500\)/);
    }
  });

  it('gives byte-identical outputs on a fresh re-run, and skips an unchanged one', async () => {
    const first = join(scratch, 'out');
    const second = join(scratch, 'out-again');
    expect(runIngest([`--input=${input}`, `--output=${second}`, `--salt-file=${salt}`, '--dataset=ecg/test', '--workers=1']).status).toBe(0);
    const a = await treeBytes(first);
    const b = await treeBytes(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);
    const again = runIngest([`--input=${input}`, `--output=${first}`, `--salt-file=${salt}`, '--dataset=ecg/test']);
    expect(again.stdout).toMatch(/up to date/);
  });

  it('resumes a killed run and ends with the same bytes as an uninterrupted one', async () => {
    const output = join(scratch, 'killed');
    const child = spawn(tsx, [join(workspaceRoot, 'apps/ingest/src/ecg.ts'), `--input=${input}`, `--output=${output}`, `--salt-file=${salt}`, '--dataset=ecg/test', '--workers=1'], {
      cwd: workspaceRoot,
      stdio: 'ignore',
    });
    // Kill as soon as the journal holds a finished record.
    for (let i = 0; i < 600; i += 1) {
      const journal = await readFile(join(`${output}.partial`, '.journal.jsonl'), 'utf8').catch(() => '');
      if (journal.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const resumed = runIngest([`--input=${input}`, `--output=${output}`, `--salt-file=${salt}`, '--dataset=ecg/test']);
    expect(resumed.status).toBe(0);
    const a = await treeBytes(join(scratch, 'out'));
    const b = await treeBytes(output);
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);
  });
});
