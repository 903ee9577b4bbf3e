// ingest:images end to end through the real command line: JPEG with EXIF orientation and an
// identifying EXIF field, 16-bit grey PNG, LZW TIFF, Display P3 JPEG, a large PNG to resize, a
// truncated JPEG and a text file named .png among them, DICOM and CSV files beside; outputs read back
// by DuckDB, sharp and Pillow; names that the pairs stage can recompute; no identifier in any output;
// byte-identical re-runs across worker counts; up to date; a killed run resumed to complete outputs.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeImageFile } from '@qoq/imaging';
import { loadSalt, saltedName } from '@qoq/runtime';
import { requireOracle, runPython } from '@qoq/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryDuckDb, treeBytes, tsx, workspaceRoot, type CliResult } from './stage-cli.test-support';

const ENTRY = join(workspaceRoot, 'apps/ingest/src/images.ts');

/** The CLI as a user runs it, without blocking the test worker (async spawn, own process group). */
function runIngest(args: string[], whileRunning?: (pid: number) => Promise<void>): Promise<CliResult & { signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(tsx, [ENTRY, ...args], { cwd: workspaceRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status, signal) => resolvePromise({ status, signal, stdout, stderr }));
    if (whileRunning && child.pid !== undefined) whileRunning(child.pid).catch(reject);
  });
}

const W = 64;
const H = 48;
const IDENTIFIER = 'Jane^Doe-MRN-0042';

function colourPattern(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let index = 0; index < width * height; index += 1) pixels.set([(index * 7) & 0xff, (index >> 4) & 0xff, index % width < width / 3 ? 230 : 20], index * 3);
  return pixels;
}
const raw = (pixels: Buffer | Uint16Array, width: number, height: number, channels: 1 | 3) => sharp(pixels, { raw: { width, height, channels } });

let scratch: string;
let input: string;
let saltFile: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'qoq-ingest-images-'));
  input = join(scratch, 'input');
  for (const folder of ['patient-Jane_Doe', 'grey', 'broken', 'dicom']) await mkdir(join(input, folder), { recursive: true });
  const pattern = colourPattern(W, H);
  const files: Record<string, Buffer> = {
    // The folder name is an identifier, as MIMIC's are: it must not reach any de-identified output.
    'patient-Jane_Doe/photo.JPG': await raw(pattern, W, H, 3).jpeg().withMetadata({ orientation: 6 }).withExif({ IFD0: { Artist: IDENTIFIER, ImageDescription: IDENTIFIER } }).toBuffer(),
    'grey/scan16.png': await raw(Uint16Array.from({ length: W * H }, (_, i) => (i * 1021) % 65536), W, H, 1).toColourspace('grey16').png().toBuffer(),
    'slide.tiff': await raw(pattern, W, H, 3).tiff({ compression: 'lzw' }).toBuffer(),
    'wide-gamut.jpeg': await raw(pattern, W, H, 3).withIccProfile('p3').jpeg().toBuffer(),
    'large.png': await raw(colourPattern(1200, 900), 1200, 900, 3).png().toBuffer(),
    'fake.png': Buffer.from('a text file with an image extension\n'),
    'labels.csv': Buffer.from('image,label\nphoto.JPG,nevus\n'),
    'dicom/IM0001.dcm': Buffer.concat([Buffer.alloc(128), Buffer.from('DICM')]),
  };
  const jpeg = await raw(colourPattern(300, 200), 300, 200, 3).jpeg().toBuffer();
  files['broken/cut.jpg'] = jpeg.subarray(0, Math.floor(jpeg.length / 2));
  for (const [path, bytes] of Object.entries(files)) await writeFile(join(input, path), bytes);
  saltFile = join(scratch, 'salt');
  await writeFile(saltFile, 'a secret salt of at least sixteen bytes');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

const baseArgs = () => [`--input=${input}`, `--salt-file=${saltFile}`, '--dataset=local/test'];

describe('ingest:images', () => {
  it('refuses real data without a salt file with exit 2, writing nothing', async () => {
    const noSalt = await runIngest([`--input=${input}`, `--output=${join(scratch, 'no-salt')}`]);
    expect(noSalt.status).toBe(2);
    expect(noSalt.stderr).toMatch(/--salt-file is required/);
    await expect(stat(join(scratch, 'no-salt'))).rejects.toThrow();
  });

  it('writes PNGs, images.parquet, provenance and one reject per bad file; skips what is not an image', async () => {
    const output = join(scratch, 'out');
    const result = await runIngest([...baseArgs(), `--output=${output}`, '--workers=2']);
    expect(result.stderr).not.toMatch(/internal error/i);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/skipped\s+2/); // labels.csv, IM0001.dcm

    const rejects = (await readFile(join(output, 'rejects.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, string>);
    expect(rejects.map(({ path, code }) => [path, code])).toEqual([
      ['broken/cut.jpg', 'IMAGE_CORRUPT'],
      ['fake.png', 'IMAGE_UNSUPPORTED'],
    ]);
    for (const reject of rejects) expect(reject).toMatchObject({ dataset_key: 'local/test', message: expect.stringMatching(/\w+ \w+/) });

    const rows = await queryDuckDb(`SELECT * FROM read_parquet('${join(output, 'images.parquet')}')`);
    expect(rows).toHaveLength(5);
    for (const row of rows) {
      expect(String(row['media_path'])).toMatch(/^local\/test\/[0-9a-f]{24}\.png$/);
      const png = await sharp(join(output, 'media', String(row['media_path']))).metadata();
      expect([png.width, png.height, png.channels]).toEqual([row['output_width'], row['output_height'], row['output_channels']]);
      expect(String(row['source_sha256'])).toMatch(/^[0-9a-f]{64}$/);
    }
    const byFormat = (format: string) => rows.filter((row) => row['source_format'] === format);
    // Orientation 6: stored 64 × 48, displayed and written 48 × 64.
    expect(byFormat('jpeg').find((row) => row['exif_orientation'] === 6)).toMatchObject({ source_width: W, source_height: H, output_width: H, output_height: W, output_channels: 3 });
    expect(byFormat('jpeg').find((row) => row['icc_profile'] === 'sP3C')).toMatchObject({ has_icc_profile: true, output_channels: 3 });
    expect(rows.find((row) => row['bit_depth'] === 16)).toMatchObject({ source_colour_space: 'grey16', output_channels: 1, output_width: W });
    expect(byFormat('tiff')).toHaveLength(1);
    const large = rows.find((row) => row['source_width'] === 1200);
    expect(Number(large?.['output_width']) * Number(large?.['output_height'])).toBeLessThanOrEqual(524_288);

    // The pairs stage finds a source's PNG by recomputing saltedName(salt, "<dataset_key>/<path>").
    const salt = await loadSalt(saltFile, false);
    const provenance = await queryDuckDb(`SELECT * FROM read_parquet('${join(output, 'provenance.parquet')}') ORDER BY source_path`);
    expect(provenance.map((row) => row['source_path'])).toEqual(['grey/scan16.png', 'large.png', 'patient-Jane_Doe/photo.JPG', 'slide.tiff', 'wide-gamut.jpeg']);
    for (const row of provenance) {
      expect(row['media_paths']).toEqual([`local/test/${saltedName(salt, `local/test/${String(row['source_path'])}`)}.png`]);
      // Each PNG is exactly what the library function gives for that file.
      const expected = await normalizeImageFile(join(input, String(row['source_path'])));
      const written = await readFile(join(output, 'media', (row['media_paths'] as string[])[0]));
      expect(written.equals(expected.png), String(row['source_path'])).toBe(true);
    }

    // No identifier in any output byte: not the EXIF Artist, not the folder name, no source path in images.parquet.
    for (const [path, bytes] of await treeBytes(output)) {
      const text = bytes.toString('latin1');
      expect(text.includes(IDENTIFIER), path).toBe(false);
      if (!path.endsWith('provenance.parquet')) expect(text.includes('Jane_Doe'), path).toBe(false);
    }
    expect(JSON.stringify(rows)).not.toMatch(/Jane|photo|scan16|slide|large\.png/);
  });

  it('gives byte-identical outputs with --workers=1, and an up-to-date re-run keeps its exit code under --fail-on-reject', async () => {
    const first = join(scratch, 'out');
    const second = join(scratch, 'out-again');
    expect((await runIngest([...baseArgs(), `--output=${second}`, '--workers=1'])).status).toBe(0);
    const a = await treeBytes(first);
    const b = await treeBytes(second);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [path, bytes] of a) expect(b.get(path)?.equals(bytes), path).toBe(true);
    const again = await runIngest([...baseArgs(), `--output=${first}`, '--fail-on-reject']);
    expect(again.stdout).toMatch(/up to date/);
    expect(again.status).toBe(3); // the stored run had 2 rejects
  });

  it("reads every image dataset of a sources file into media/<dataset_key>/, leaving ecg/ datasets alone; Pillow agrees on the PNGs", async () => {
    const sources = join(scratch, 'sources.json');
    await writeFile(
      sources,
      JSON.stringify([
        { dataset_key: 'derm/ham10000', layout: 'isic2018-task3', folder: join(input, 'patient-Jane_Doe') },
        { dataset_key: 'ultrasound/busi', layout: 'busi', folder: join(input, 'grey') },
        { dataset_key: 'ecg/ptb-xl', layout: 'ptb-xl', folder: input },
      ]),
    );
    const output = join(scratch, 'sources-out');
    const result = await runIngest([`--sources=${sources}`, `--output=${output}`, `--salt-file=${saltFile}`, '--max-pixels=1024']);
    expect(result.status).toBe(0);
    const rows = await queryDuckDb(`SELECT media_path, dataset_key, output_width, output_height, output_channels FROM read_parquet('${join(output, 'images.parquet')}') ORDER BY dataset_key`);
    expect(rows.map((row) => row['dataset_key'])).toEqual(['derm/ham10000', 'ultrasound/busi']);
    for (const row of rows) expect(String(row['media_path']).startsWith(`${String(row['dataset_key'])}/`)).toBe(true);
    // 48 × 64 (oriented) in 1,024 pixels: scale √(1024 / 3072) → 27.7 × 36.9 → 27 × 36 (each side floored).
    expect(rows.map((row) => [row['output_width'], row['output_height']])).toEqual([
      [27, 36],
      [36, 27],
    ]);
    if (requireOracle('pil')) {
      const paths = rows.map((row) => join(output, 'media', String(row['media_path'])));
      const script = 'import sys, json\nfrom PIL import Image\nprint(json.dumps([[*Image.open(p).size, Image.open(p).mode] for p in sys.argv[1:]]))';
      expect(JSON.parse(runPython(script, paths).stdout)).toEqual(rows.map((row) => [row['output_width'], row['output_height'], row['output_channels'] === 1 ? 'L' : 'RGB']));
    }
  });

  it('resumes a killed run from its journal and ends with every output complete', async () => {
    const many = join(scratch, 'many');
    await mkdir(many);
    // Enough noisy images that the run is still going when the first ones are journaled.
    for (let index = 0; index < 20; index += 1) {
      const noise = Buffer.alloc(400 * 400 * 3);
      for (let i = 0; i < noise.length; i += 1) noise[i] = (Math.imul(i + 1, 2654435761 + index) >>> 24) & 0xff;
      await writeFile(join(many, `n${String(index).padStart(2, '0')}.png`), await raw(noise, 400, 400, 3).png({ compressionLevel: 1 }).toBuffer());
    }
    const args = [`--input=${many}`, `--salt-file=${saltFile}`, '--dataset=local/many', '--workers=1'];
    const output = join(scratch, 'resumed');
    let killedMidRun = false;
    const killed = await runIngest([...args, `--output=${output}`], async (pid) => {
      const journal = join(`${output}.partial`, '.journal.jsonl');
      for (let attempt = 0; attempt < 3000; attempt += 1) {
        const lines = await readFile(journal, 'utf8').then((text) => text.split('\n').filter(Boolean).length, () => 0);
        if (lines >= 2) {
          killedMidRun = lines < 20;
          process.kill(-pid, 'SIGKILL');
          return;
        }
        await new Promise((wait) => setTimeout(wait, 10));
      }
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(killedMidRun).toBe(true);
    await expect(stat(output)).rejects.toThrow(); // complete or absent
    expect((await readdir(`${output}.partial`)).length).toBeGreaterThan(0);

    const resumed = await runIngest([...args, `--output=${output}`]);
    expect(resumed.status).toBe(0);
    expect(resumed.stderr).toMatch(/ingest:images: [1-9]\d*\/20 /); // progress starts past 0: work was reused
    await expect(stat(`${output}.partial`)).rejects.toThrow();
    // Every source has its row, in path order, and a PNG with exactly the library's bytes (the ones
    // written before the kill included); re-runs are byte-identical (above), so this is a clean run's output.
    const provenance = await queryDuckDb(`SELECT source_path, media_paths FROM read_parquet('${join(output, 'provenance.parquet')}')`);
    expect(provenance.map((row) => row['source_path'])).toEqual(Array.from({ length: 20 }, (_, index) => `n${String(index).padStart(2, '0')}.png`));
    expect(await queryDuckDb(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(output, 'images.parquet')}')`)).toEqual([{ n: 20 }]);
    for (const row of provenance) {
      const written = await readFile(join(output, 'media', (row['media_paths'] as string[])[0]));
      expect(written.equals((await normalizeImageFile(join(many, String(row['source_path'])))).png), String(row['source_path'])).toBe(true);
    }
  });
});
