// Times the real `ingest:dicom` command (worker pool, hashing, decode, display pipeline, Lanczos resize,
// PNG, Parquet, atomic output) on N synthetic chest X-rays (2,048 × 2,500, 12 bits stored, quantum noise:
// lossless ratios ≈ 2:1) stored uncompressed, JPEG-LS lossless and JPEG 2000 lossless, against, in the
// same run on the same files: the pydicom + NumPy + Pillow pipeline people write today (2 processes)
// and dcmtk (dcmj2pnm / dcml2pnm +Wm +on, 2 processes; dcmtk has no JPEG 2000 codec). All three use a
// min-max window and write PNGs of ≤ 524,288 pixels. Generating the files is not timed. Peak RSS is
// that of the whole process tree (sampled every 50 ms).
//
//   npx nx run bench-dicom:bench [-- --images=24 --workers=2]
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEBIAN_PYTHON } from '@qoq/testing';
import { DEFAULT_MAX_PIXELS, targetSize } from '@qoq/imaging';
import { findWorkspaceRoot, formatBytes, runMeasured, type MeasuredRun as Timing } from '@qoq/runtime';

function option(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((argument) => argument.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

async function run(command: string, args: string[]): Promise<void> {
  await runMeasured(command, args, process.cwd());
}

/** Converts every file of `from` into `to` with a dcmtk/GDCM command, two at a time (not timed). */
async function convertAll(from: string, to: string, command: string, flags: string[]): Promise<void> {
  await mkdir(to, { recursive: true });
  const names = (await readdir(from)).sort();
  for (let i = 0; i < names.length; i += 2) {
    await Promise.all(names.slice(i, i + 2).map((name) => run(command, [...flags, join(from, name), join(to, name)])));
  }
}

async function main(): Promise<void> {
  const count = Number(option('images', '24'));
  const workers = option('workers', '2');
  const root = findWorkspaceRoot();
  const scratch = await mkdtemp(join(tmpdir(), 'qoq-bench-ingest-dicom-'));
  try {
    const syntaxes = { uncompressed: join(scratch, 'uncompressed'), 'JPEG-LS lossless': join(scratch, 'jpeg-ls'), 'JPEG 2000 lossless': join(scratch, 'j2k') };
    process.stderr.write(`generating ${count} synthetic chest X-rays and their JPEG-LS / JPEG 2000 copies (not timed)…\n`);
    await mkdir(syntaxes.uncompressed, { recursive: true });
    await run(DEBIAN_PYTHON, [fileURLToPath(new URL('./make_chest_xrays.py', import.meta.url)), syntaxes.uncompressed, String(count)]);
    await convertAll(syntaxes.uncompressed, syntaxes['JPEG-LS lossless'], 'dcmcjpls', []);
    await convertAll(syntaxes.uncompressed, syntaxes['JPEG 2000 lossless'], 'gdcmconv', ['--j2k']);
    await writeFile(join(scratch, 'salt'), 'benchmark salt, not a secret!!');
    const width = targetSize(2048, 2500, DEFAULT_MAX_PIXELS).width;

    const table: string[] = [];
    for (const [syntax, input] of Object.entries(syntaxes)) {
      process.stderr.write(`${syntax}…\n`);
      const ours = await runMeasured(
        process.execPath,
        // As the Nx target runs it (apps/ingest/project.json).
        [join(root, 'libs/runtime/src/launch.mjs'), join(root, 'apps/ingest/src/dicom.ts'), `--input=${input}`, `--output=${join(scratch, 'ours', syntax)}`, `--salt-file=${join(scratch, 'salt')}`, '--window=minmax', `--workers=${workers}`],
        root,
      );
      const peer = await runMeasured(DEBIAN_PYTHON, [fileURLToPath(new URL('./peer_pydicom_pillow.py', import.meta.url)), input, join(scratch, 'peer', syntax), workers], root);
      let dcmtk: Timing | undefined;
      if (syntax !== 'JPEG 2000 lossless') {
        const out = join(scratch, 'dcmtk', syntax.replace(/\W+/g, '-'));
        await mkdir(out, { recursive: true });
        const tool = syntax === 'JPEG-LS lossless' ? 'dcml2pnm' : 'dcmj2pnm';
        // One process per image, `workers` at a time, as dcmtk is used in shell pipelines.
        dcmtk = await runMeasured('sh', ['-c', `ls "${input}" | xargs -P ${workers} -I{} ${tool} +Wm +Sxv ${width} +on "${input}/{}" "${out}/{}.png"`], root);
      }
      const rate = (timing: Timing | undefined) => (timing === undefined ? 'n/a' : (count / timing.seconds).toFixed(2));
      const rss = (timing: Timing | undefined) => (timing === undefined ? 'n/a' : formatBytes(timing.peakRss));
      const ratio = (other: Timing | undefined) => (other === undefined ? 'n/a' : `${(other.seconds / ours.seconds).toFixed(2)}×`);
      table.push(`| ${syntax} | ${rate(ours)} | ${rss(ours)} | ${rate(peer)} | ${rss(peer)} | ${rate(dcmtk)} | ${rss(dcmtk)} | ${ratio(peer)} | ${ratio(dcmtk)} |`);
    }
    console.log(`\ningest:dicom benchmark: ${count} chest X-rays 2,048 × 2,500, 12 bits stored → PNG ≤ ${DEFAULT_MAX_PIXELS} pixels, min-max window, ${workers} workers/processes each`);
    console.log('| syntax | ours img/s | ours peak RSS | pydicom+Pillow img/s | its peak RSS | dcmtk img/s | its peak RSS | ours vs pydicom | ours vs dcmtk |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const line of table) console.log(line);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

await main();
