// The full-scale sample corpus, generated once into a temp dir, checked against the spec table and
// by independent readers: dcmtk's dcmdump and pydicom for the DICOM files, this file's own WFDB
// reader and SciPy for the ECG records, sharp for JPEG/PNG, and the learnability promise.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOracle, runPython } from '@qoq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGenerateCommand, type GenerateRun } from './generate-command';
import { evaluateLearnability } from './learnability/learnability';
import { chanceLevel, loadSpec, promisedAccuracy, splitCounts, SPLITS } from './spec';
import type { TruthItem } from './truth';

function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}

const spec = loadSpec();
const scratch = mkdtempSync(join(tmpdir(), 'sample-corpus-'));
const root = join(scratch, 'raw');
let run: GenerateRun;
let truth: TruthItem[];

beforeAll(async () => {
  // One thread: the 300 MB budget of the issue holds for a single render thread (measured 214 MiB).
  // The default (every core) renders ~30 % faster but two multi-megapixel items can then be in flight
  // at once and the peak reaches 310–325 MiB; README and tools/sample-corpus/README.md say so.
  run = await runGenerateCommand([`--output=${root}`, '--workers=1']);
  truth = (JSON.parse(readFileSync(join(root, 'truth.json'), 'utf8')) as { items: TruthItem[] }).items;
  console.log(`generated in ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMiB} MiB`);
}, 900_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function folderSize(folder: string): number {
  return readdirSync(folder).reduce((sum, name) => {
    const path = join(folder, name);
    const stat = statSync(path);
    return sum + (stat.isDirectory() ? folderSize(path) : stat.size);
  }, 0);
}

const itemsOf = (key: string) => truth.filter((item) => item.dataset_key === key);
const folderOf = (key: string) => join(root, must(spec.datasets.find((dataset) => dataset.dataset_key === key), 'dataset').folder);

describe('the sample corpus at full scale', () => {
  it('has exactly the spec table counts per dataset and split', () => {
    for (const dataset of spec.datasets) {
      const counts = Object.fromEntries(SPLITS.map((split) => [split, itemsOf(dataset.dataset_key).filter((item) => item.split === split).length]));
      expect({ key: dataset.dataset_key, ...counts }).toEqual({ key: dataset.dataset_key, ...splitCounts(spec, dataset, 1) });
    }
  });

  it('lists every dataset in sources.json with its layout and an existing folder', () => {
    const sources = JSON.parse(readFileSync(join(root, 'sources.json'), 'utf8')) as Array<{ dataset_key: string; layout: string; folder: string }>;
    expect(sources.map((entry) => entry.dataset_key)).toEqual(spec.datasets.map((dataset) => dataset.dataset_key).sort());
    for (const entry of sources) expect(existsSync(join(root, entry.folder))).toBe(true);
    expect(new Set(spec.datasets.map((dataset) => dataset.domain)).size).toBe(9);
  });

  it('names only existing media files, labelled with the catalog strings', () => {
    for (const dataset of spec.datasets) {
      for (const item of itemsOf(dataset.dataset_key)) {
        expect(existsSync(join(folderOf(dataset.dataset_key), item.id))).toBe(true);
        for (const label of item.labels) expect(dataset.labels).toContain(label);
        if (dataset.task === 'multi-label') {
          expect(item.labels.length).toBeGreaterThanOrEqual(1);
          expect(item.labels.length).toBeLessThanOrEqual(3);
        } else {
          expect(item.labels).toHaveLength(1);
        }
      }
    }
  });

  it('keeps patients within one split', () => {
    for (const dataset of spec.datasets) {
      const splitOfPatient = new Map<string, string>();
      for (const item of itemsOf(dataset.dataset_key)) {
        expect(splitOfPatient.get(item.patient_id) ?? item.split).toBe(item.split);
        splitOfPatient.set(item.patient_id, item.split);
      }
    }
    // PTB-XL has patients with several ECGs, HAM10000 lesions with several images.
    for (const key of ['ecg/ptb-xl', 'derm/ham10000', 'chest_xray/mimic-cxr']) {
      const patients = new Set(itemsOf(key).map((item) => item.patient_id));
      expect(patients.size).toBeLessThan(itemsOf(key).length);
    }
  });

  it('gives boxes inside the image for the position-dependent datasets', () => {
    for (const key of ['chest_xray/vindr', 'mammo/vindr', 'ultrasound/busi', 'mri/brain_tumor']) {
      const boxed = itemsOf(key).filter((item) => item.boxes.length > 0);
      expect(boxed.length).toBeGreaterThan(itemsOf(key).length / 3);
      for (const item of boxed) {
        for (const { box } of item.boxes) {
          expect(box[0]).toBeLessThanOrEqual(box[2]);
          expect(box[1]).toBeLessThanOrEqual(box[3]);
          expect(box[2]).toBeLessThan(Number(item.format['width']) + 1);
          expect(box[3]).toBeLessThan(Number(item.format['height']) + 1);
        }
      }
    }
  });

  it('records every report identifier at its character offsets', () => {
    const reports = itemsOf('chest_xray/mimic-cxr');
    const types = new Set<string>();
    for (const item of reports) {
      const text = readFileSync(join(folderOf('chest_xray/mimic-cxr'), must(item.report, 'report').path), 'utf8');
      expect(text).toContain('FINDINGS:');
      for (const span of must(item.report, 'report').phi) {
        expect(text.slice(span.start, span.end)).toBe(span.text);
        types.add(span.type);
      }
    }
    expect([...types].sort()).toEqual(['ACCESSION', 'ADDRESS', 'DATE', 'FAX', 'MRN', 'NAME', 'PHONE']);
  });

  it('stays within the memory budget (and reports its time and size)', () => {
    const bytes = folderSize(root);
    console.log(`sample corpus: ${(bytes / 2 ** 20).toFixed(0)} MiB on disk, ${run.seconds.toFixed(1)} s, peak RSS ${run.peakRssMiB} MiB`);
    // The budget: 300 MB peak on 2 cores (single render thread, see beforeAll).
    expect(run.peakRssMiB).toBeLessThanOrEqual(300);
    expect(bytes).toBeLessThan(250 * 2 ** 20);
  });
});

describe('the DICOM files, read by dcmtk and pydicom', () => {
  const dicomItems = () => truth.filter((item) => typeof item.format['transfer_syntax'] === 'string');

  it.runIf(requireOracle('dcmtk'))('carry every promised transfer syntax, as dcmdump reads it', () => {
    const promised = ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.90'];
    for (const syntax of promised) {
      const samples = dicomItems().filter((item) => item.format['transfer_syntax'] === syntax).slice(0, 2);
      expect(samples.length, syntax).toBeGreaterThan(0);
      for (const item of samples) {
        const dump = spawnSync('dcmdump', ['-q', '+P', '0002,0010', '+P', '0028,0004', '+P', '0028,0010', join(folderOf(item.dataset_key), item.id)], { encoding: 'utf8' });
        expect(dump.status).toBe(0);
        expect(dump.stdout).toContain(`=`);
        expect(dump.stdout).toContain(`${item.format['photometric']}`);
        expect(dump.stdout).toContain(`US ${item.format['height']}`);
      }
    }
  });

  it.runIf(requireOracle('pydicom'))('decode with pydicom to the promised geometry, photometric interpretation, frames and HU', () => {
    const picks = new Map<string, TruthItem>();
    for (const item of dicomItems()) {
      const key = `${item.dataset_key}|${item.format['transfer_syntax']}|${item.format['photometric']}|${item.format['frames']}|${item.format['rescale_slope'] ?? ''}|${item.format['pixel_representation'] ?? ''}`;
      if (!picks.has(key)) picks.set(key, item);
    }
    const script = `
import sys, json, numpy as np, pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut
for path in sys.stdin.read().split('\\n'):
    ds = pydicom.dcmread(path)
    a = ds.pixel_array
    frames = int(getattr(ds, 'NumberOfFrames', 1) or 1)
    image = a[0] if frames > 1 else a
    out = {'ts': str(ds.file_meta.TransferSyntaxUID), 'rows': int(ds.Rows), 'columns': int(ds.Columns), 'frames': frames, 'shape': list(a.shape), 'photometric': ds.PhotometricInterpretation}
    if ds.Modality == 'CT':
        hu = apply_modality_lut(image, ds)
        out['air_hu'] = float(hu[:4, :4].mean())
        out['artery_hu'] = float(hu[int(0.4 * ds.Rows), int(0.5 * ds.Columns)])
    else:
        edge = float(image[:, :2].mean() + image[:, -2:].mean()) / 2
        out['edge_over_centre'] = edge / max(1.0, float(image[image.shape[0] // 3: 2 * image.shape[0] // 3, image.shape[1] // 3: 2 * image.shape[1] // 3].mean()))
    print(json.dumps(out))
`;
    const items = [...picks.values()];
    const { stdout } = runPython(script, [], items.map((item) => join(folderOf(item.dataset_key), item.id)).join('\n'));
    const decoded = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, number | string | number[]>);
    expect(new Set(decoded.map((entry) => entry['ts'])).size).toBe(7);
    items.forEach((item, index) => {
      const entry = decoded[index];
      expect(entry['ts']).toBe(item.format['transfer_syntax']);
      expect([entry['rows'], entry['columns'], entry['frames']]).toEqual([item.format['height'], item.format['width'], item.format['frames']]);
      expect(entry['photometric']).toBe(item.format['photometric']);
      if (item.dataset_key === 'ct/rspect') {
        // Rescale to HU: air is about −1000 HU and the contrast-filled pulmonary trunk about +300 HU.
        expect(Number(entry['air_hu'])).toBeGreaterThan(-1100);
        expect(Number(entry['air_hu'])).toBeLessThan(-900);
        expect(Number(entry['artery_hu'])).toBeGreaterThan(150);
      }
      if (item.dataset_key === 'mammo/vindr') {
        // The breast is dense (bright once displayed): MONOCHROME1 stores it low, MONOCHROME2 high.
        const chestWallSide = Number(entry['edge_over_centre']);
        expect(Number.isFinite(chestWallSide)).toBe(true);
      }
    });
    expect(items.some((item) => item.format['photometric'] === 'MONOCHROME1')).toBe(true);
    expect(items.some((item) => Number(item.format['frames']) > 1)).toBe(true);
    expect(items.some((item) => item.format['pixel_representation'] === 1)).toBe(true);
    expect(items.some((item) => item.format['pixel_representation'] === 0 && item.dataset_key === 'ct/rspect')).toBe(true);
  });

  it.runIf(requireOracle('pydicom'))('stores MONOCHROME1 mammograms inverted: the dense breast has the lowest stored values', () => {
    const pick = (photometric: string) => must(itemsOf('mammo/vindr').find((item) => item.format['photometric'] === photometric && Number(item.format['width']) < 1000), 'mammogram');
    const script = `
import sys, pydicom, numpy as np
for path in sys.stdin.read().split('\\n'):
    ds = pydicom.dcmread(path); a = ds.pixel_array.astype(float)
    left, right = a[:, : a.shape[1] // 8].mean(), a[:, -a.shape[1] // 8 :].mean()
    print(ds.ImageLaterality, left, right)
`;
    const items = [pick('MONOCHROME1'), pick('MONOCHROME2')];
    const lines = runPython(script, [], items.map((item) => join(folderOf(item.dataset_key), item.id)).join('\n')).stdout.trim().split('\n');
    lines.forEach((line, index) => {
      const [laterality, left, right] = line.split(' ');
      // The chest wall (breast) is on the left of a right breast's image.
      const breast = laterality === 'R' ? Number(left) : Number(right);
      const background = laterality === 'R' ? Number(right) : Number(left);
      if (items[index].format['photometric'] === 'MONOCHROME1') expect(breast).toBeLessThan(background);
      else expect(breast).toBeGreaterThan(background);
    });
  });
});

describe('the ECG records', () => {
  it('carry the checksums and initial values their headers state, recomputed from the signal files', () => {
    for (const key of ['ecg/ptb-xl', 'ecg/chapman']) {
      for (const item of itemsOf(key)) {
        const headerPath = join(folderOf(key), item.id);
        const lines = readFileSync(headerPath, 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
        const [, signalText, , samplesText] = lines[0].split(' ');
        const signals = Number(signalText);
        const samples = Number(samplesText);
        expect(signals).toBe(12);
        const fields = lines.slice(1).map((line) => line.split(' '));
        const offset = Number(fields[0][1].split('+')[1] ?? 0);
        const bytes = readFileSync(join(folderOf(key), item.id.replace(/[^/]+$/, fields[0][0])));
        expect(bytes.length).toBe(offset + signals * samples * 2);
        const sums = new Array<number>(signals).fill(0);
        for (let sample = 0; sample < samples; sample += 1) {
          for (let signal = 0; signal < signals; signal += 1) sums[signal] += bytes.readInt16LE(offset + (sample * signals + signal) * 2);
        }
        fields.forEach((field, signal) => {
          const checksum = ((sums[signal] % 65536) + 65536) % 65536;
          expect(checksum >= 32768 ? checksum - 65536 : checksum).toBe(Number(field[6]));
          expect(bytes.readInt16LE(offset + signal * 2)).toBe(Number(field[5]));
        });
      }
    }
  });

  it('writes the PhysioNet 2021 date before the time, and SNOMED codes in #Dx', () => {
    const header = readFileSync(join(folderOf('ecg/chapman'), itemsOf('ecg/chapman')[0].id), 'utf8');
    expect(header.split('\n')[0]).toMatch(/^JS\d{5} 12 500 5000 \d{2}-[A-Z][a-z]{2}-\d{4} \d{2}:\d{2}:\d{2}$/);
    expect(header).toMatch(/\n#Dx: \d{6,9}\n/);
  });

  it.runIf(requireOracle('scipy'))('writes .mat files that SciPy loads as a 12 × 5000 int16 matrix named val', () => {
    const item = itemsOf('ecg/chapman')[0];
    const path = join(folderOf('ecg/chapman'), item.id.replace(/\.hea$/, '.mat'));
    const { stdout } = runPython('import sys, scipy.io; v = scipy.io.loadmat(sys.argv[1])["val"]; print(v.shape, v.dtype)', [path]);
    expect(stdout.trim()).toBe('(12, 5000) int16');
  });
});

describe('learnability: a logistic regression reaches each tier’s promise, shuffled labels stay at chance', () => {
  for (const dataset of spec.datasets) {
    const needsPydicom = ['chest_xray/mimic-cxr', 'chest_xray/vindr', 'mammo/vindr', 'ct/rspect'].includes(dataset.dataset_key);
    it.runIf(!needsPydicom || requireOracle('pydicom'))(`${dataset.dataset_key} (${dataset.rarity}, ${dataset.difficulty})`, async () => {
      const result = await evaluateLearnability(root, dataset, truth);
      const chance = chanceLevel(dataset);
      console.log(`${dataset.dataset_key}: balanced accuracy ${result.accuracy.toFixed(3)} (promised ${promisedAccuracy(spec, dataset).toFixed(3)}), shuffled ${result.shuffledAccuracy.toFixed(3)} (chance ${chance.toFixed(3)})`);
      expect(result.accuracy).toBeGreaterThanOrEqual(promisedAccuracy(spec, dataset));
      expect(result.shuffledAccuracy).toBeLessThan(chance + spec.learnability.shuffledMargin);
    }, 300_000);
  }
});
