// ingest:dicom end to end through the real command line: real DICOM files (CT with rescale, MR,
// MONOCHROME1, JPEG 2000, RGB RLE, an enhanced multi-frame), broken and non-DICOM files among them,
// outputs read back by DuckDB and sharp, no identifier in any output, byte-identical re-runs.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDicom } from '@qoq/dicom';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDuckDb, stageCli, treeBytes, workspaceRoot } from './stage-cli.test-support';

const runIngest = stageCli('dicom.ts');
const query = queryDuckDb;

const fixtures = join(workspaceRoot, 'libs/dicom/test-fixtures');

// Input file (relative to the input folder) ← fixture.
const INPUTS: Record<string, string> = {
  'ct/CT_small.dcm': 'pydicom/CT_small.dcm',
  'mr/IM0001': 'pydicom/MR_small.dcm', // no extension: found by its DICM magic
  'mr/MR_truncated.dcm': 'pydicom/MR_truncated.dcm',
  'cr/mono1.dcm': 'generated/mono1_explicit_le.dcm',
  'nm/JPEG2000.dcm': 'pydicom/JPEG2000.dcm',
  'sc/rgb.dcm': 'pydicom/SC_rgb_rle.dcm',
  'enhanced.dcm': 'generated/enhanced_mono12_functional_groups.dcm',
  'plan.dcm': 'pydicom/rtplan.dcm',
};

let scratch: string;
let input: string;
let salt: string;
const identifiers: string[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-ingest-dicom-'));
  input = join(scratch, 'input');
  for (const [target, fixture] of Object.entries(INPUTS)) {
    await mkdir(join(input, target, '..'), { recursive: true });
    await cp(join(fixtures, fixture), join(input, target));
    const dataset = parseDicom(new Uint8Array(await readFile(join(fixtures, fixture))));
    // PatientName, PatientID, InstitutionName, SOP Instance / Study / Series Instance UIDs.
    for (const tag of ['x00100010', 'x00100020', 'x00080080', 'x00080018', 'x0020000d', 'x0020000e'] as const) {
      const value = dataset.string(tag)?.trim();
      if (value) identifiers.push(value);
    }
  }
  const ct = await readFile(join(fixtures, 'pydicom/CT_small.dcm'));
  await writeFile(join(input, 'ct/cut.dcm'), ct.subarray(0, 1000));
  await writeFile(join(input, 'notes.txt'), 'reading notes, not an image\n');
  await writeFile(join(input, 'fake.dcm'), 'a text file with a DICOM extension\n'.repeat(10));
  salt = join(scratch, 'salt');
  await writeFile(salt, 'a secret salt of at least sixteen bytes');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

// The fixtures are the oracles' own test files, several of them secondary captures (refused by
// default, see libs/imaging/src/dicom-stage-deid.spec.ts): these tests are about decoding them.
const ALLOW_BURNED_IN = '--allow-burned-in';

describe('ingest:dicom', () => {
  it('refuses real data without a salt file, and an unknown window, with exit 2', () => {
    const noSalt = runIngest([`--input=${input}`, `--output=${join(scratch, 'no-salt')}`]);
    expect(noSalt.status).toBe(2);
    expect(noSalt.stderr).toMatch(/--salt-file is required/);
    expect(runIngest([`--input=${input}`, `--output=${join(scratch, 'x')}`, `--salt-file=${salt}`, '--window=lungs']).status).toBe(2);
  });

  it('writes PNGs, dicom.parquet, provenance and one reject line per bad file; skips what is not DICOM', async () => {
    const output = join(scratch, 'out');
    const result = runIngest([`--input=${input}`, `--output=${output}`, `--salt-file=${salt}`, '--dataset=local/test', ALLOW_BURNED_IN, '--workers=2', '--frames=all']);
    expect(result.stderr).not.toMatch(/internal error/i);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/skipped\s+1/);

    const rejects = (await readFile(join(output, 'rejects.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(rejects.map(({ path, code }) => [path, code])).toEqual([
      ['ct/cut.dcm', 'DICOM_TRUNCATED'],
      ['fake.dcm', 'DICOM_NOT_DICOM'],
      ['mr/MR_truncated.dcm', 'DICOM_PIXEL_DATA_SHORT'],
      ['plan.dcm', 'DICOM_NO_PIXEL_DATA'],
    ]);
    for (const reject of rejects) expect(reject).toMatchObject({ dataset_key: 'local/test', message: expect.stringMatching(/\w+ \w+/) });

    const rows = await query(`SELECT * FROM read_parquet('${join(output, 'dicom.parquet')}')`);
    // CT, MR, MONOCHROME1, JPEG 2000, RGB: one row each; the enhanced multi-frame: 3 with --frames=all.
    expect(rows).toHaveLength(8);
    for (const row of rows) {
      expect(String(row['media_path'])).toMatch(/^local\/test\/[0-9a-f]{24}(-f\d+)?\.png$/);
      const png = await sharp(join(output, 'media', String(row['media_path']))).metadata();
      expect([png.width, png.height]).toEqual([row['output_width'], row['output_height']]);
      expect(String(row['source_sha256'])).toMatch(/^[0-9a-f]{64}$/);
    }
    const byModality = (modality: string) => rows.filter((row) => row['dicom_modality'] === modality);
    expect(byModality('CT')[0]).toMatchObject({
      rows: 128,
      columns: 128,
      rescale_slope: 1,
      rescale_intercept: -1024,
      window_source: 'minmax', // CT_small carries no Window Center/Width
      photometric_interpretation: 'MONOCHROME2',
      transfer_syntax_uid: '1.2.840.10008.1.2.1',
      sop_class_uid: '1.2.840.10008.5.1.4.1.1.2',
      pixel_spacing: [0.661468, 0.661468],
    });
    expect(byModality('NM')[0]).toMatchObject({ transfer_syntax_uid: '1.2.840.10008.1.2.4.91', rows: 1024, columns: 256, output_width: 256, output_height: 1024 });
    const enhanced = rows.filter((row) => row['frames'] === 3).sort((a, b) => Number(a['frame_index']) - Number(b['frame_index']));
    expect(enhanced.map((row) => [row['frame_index'], row['rescale_slope'], row['window_center']])).toEqual([
      [0, 1, 100],
      [1, 2, 40], // the shared Frame VOI LUT, PS3.3 §C.7.6.16.1
      [2, 3, 300],
    ]);
    expect(enhanced.map((row) => String(row['media_path']).slice(-7))).toEqual(['-f0.png', '-f1.png', '-f2.png']);
    expect(rows.find((row) => row['photometric_interpretation'] === 'MONOCHROME1')).toMatchObject({ inverted: true });
    expect(rows.find((row) => row['samples_per_pixel'] === 3)).toMatchObject({ window_source: 'colour', output_channels: 3 });

    const provenance = await query(`SELECT * FROM read_parquet('${join(output, 'provenance.parquet')}') ORDER BY source_path`);
    expect(provenance.map((row) => row['source_path'])).toEqual(['cr/mono1.dcm', 'ct/CT_small.dcm', 'enhanced.dcm', 'mr/IM0001', 'nm/JPEG2000.dcm', 'sc/rgb.dcm']);
    expect((provenance[2]['media_paths'] as string[]).length).toBe(3);

    // No identifier in any output byte: names, IDs, institution, instance/study/series UIDs, source paths.
    expect(identifiers).toContain('CompressedSamples^CT1');
    expect(identifiers).toContain('Synthetic^Phantom');
    const tables = JSON.stringify(rows);
    for (const [path, bytes] of await treeBytes(output)) {
      const text = bytes.toString('latin1');
      for (const identifier of identifiers) expect(text.includes(identifier), `${identifier} in ${path}`).toBe(false);
    }
    for (const identifier of identifiers) expect(tables).not.toContain(identifier);
    expect(tables).not.toMatch(/CT_small|IM0001|mono1|JPEG2000\.dcm/);
  });

  it('gives byte-identical outputs on a fresh re-run, and skips an unchanged one', async () => {
    const first = join(scratch, 'out');
    const second = join(scratch, 'out-again');
    expect(runIngest([`--input=${input}`, `--output=${second}`, `--salt-file=${salt}`, '--dataset=local/test', ALLOW_BURNED_IN, '--workers=1', '--frames=all']).status).toBe(0);
    const a = await treeBytes(first);
    const b = await treeBytes(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);
    const again = runIngest([`--input=${input}`, `--output=${first}`, `--salt-file=${salt}`, '--dataset=local/test', ALLOW_BURNED_IN, '--frames=all']);
    expect(again.stdout).toMatch(/up to date/);
  });

  it('takes the middle frame by default and resizes to --max-pixels, decoding JPEG 2000 at a reduced level', async () => {
    const output = join(scratch, 'small');
    expect(runIngest([`--input=${input}`, `--output=${output}`, `--salt-file=${salt}`, '--dataset=local/test', ALLOW_BURNED_IN, '--max-pixels=16384']).status).toBe(0);
    const rows = await query(`SELECT * FROM read_parquet('${join(output, 'dicom.parquet')}')`);
    expect(rows.filter((row) => row['frames'] === 3).map((row) => row['frame_index'])).toEqual([1]);
    for (const row of rows) expect(Number(row['output_width']) * Number(row['output_height'])).toBeLessThanOrEqual(16384);
    // 256 × 1024 → 64 × 256: two wavelet levels skipped (128 × 512 ≥ target, 64 × 256 ≥ target, 32 × 128 is not).
    expect(rows.find((row) => row['dicom_modality'] === 'NM')).toMatchObject({ output_width: 64, output_height: 256, decoded_resolution_level: 2 });
  });

  it("applies the catalog's per-dataset window (RSPECT: W700/L80) and frame sampling unless given, and leaves ecg/ datasets alone", async () => {
    const sources = join(scratch, 'sources.json');
    const volume = join(scratch, 'volume');
    await mkdir(volume);
    await cp(join(input, 'enhanced.dcm'), join(volume, 'enhanced.dcm'));
    await writeFile(
      sources,
      JSON.stringify([
        { dataset_key: 'ct/rspect', layout: 'rspect', folder: join(input, 'ct') },
        { dataset_key: 'ct/kits23', layout: 'kits23', folder: volume },
        { dataset_key: 'ecg/ptb-xl', layout: 'ptb-xl', folder: join(input, 'ct') },
      ]),
    );
    const output = join(scratch, 'catalog');
    expect(runIngest([`--sources=${sources}`, `--output=${output}`, `--salt-file=${salt}`]).status).toBe(0);
    const rows = await query(`SELECT * FROM read_parquet('${join(output, 'dicom.parquet')}') ORDER BY dataset_key, frame_index`);
    const [rspect] = rows.filter((row) => row['dataset_key'] === 'ct/rspect');
    expect(rows.filter((row) => row['dataset_key'] === 'ct/rspect')).toHaveLength(1);
    expect(rspect).toMatchObject({ window_source: '80,700', window_center: 80, window_width: 700 });
    expect(String(rspect['media_path'])).toMatch(/^ct\/rspect\//);
    // KiTS23 samples volumes as 2 uniform frames (catalog `frames`): of 3, frames 0 and 2.
    expect(rows.filter((row) => row['dataset_key'] === 'ct/kits23').map((row) => row['frame_index'])).toEqual([0, 2]);
    expect(rows.every((row) => !String(row['dataset_key']).startsWith('ecg/'))).toBe(true);
    const lung = join(scratch, 'catalog-lung');
    expect(runIngest([`--sources=${sources}`, `--output=${lung}`, `--salt-file=${salt}`, '--window=lung']).status).toBe(0);
    const lungRows = await query(`SELECT window_source FROM read_parquet('${join(lung, 'dicom.parquet')}')`);
    expect(lungRows.map((row) => row['window_source'])).toEqual(['lung', 'lung', 'lung']);
  });
});
