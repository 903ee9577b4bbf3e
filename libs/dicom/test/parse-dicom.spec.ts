// parseDicom against pydicom: every element pydicom reads (text, numbers, sequence item counts), in
// every encoding the fixtures hold: Part 10 and bare data sets, implicit/explicit little endian,
// explicit big endian, deflated, nested and private sequences, undefined lengths.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireOracle, runPython } from '@qoq/testing';
import { isDicomCandidate, parseDicom, type DicomDataset, type TagKey } from '../src/index';
import { FIXTURES } from './oracle-compare';

interface OracleElement {
  readonly path: string;
  readonly vr: string;
  readonly values: (string | number)[];
}

const FILES = ['pydicom', 'generated'].flatMap((folder) =>
  readdirSync(join(FIXTURES, folder))
    .filter((name) => name.endsWith('.dcm') && name !== 'MR_truncated.dcm')
    .map((name) => `${folder}/${name}`),
);

/** Resolves "x00540016/0/x00181071" to the data set holding the last tag. */
function resolve(dataset: DicomDataset, path: string): { holder: DicomDataset; tag: TagKey } | undefined {
  const parts = path.split('/');
  let holder = dataset;
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const item = holder.sequence(parts[i] as TagKey)[Number(parts[i + 1])];
    if (item === undefined) return undefined;
    holder = item;
  }
  return { holder, tag: parts[parts.length - 1] as TagKey };
}

function ours(holder: DicomDataset, tag: TagKey, vr: string): (string | number)[] {
  if (vr === 'SQ') return [holder.sequence(tag).length];
  if (['US', 'SS', 'UL', 'SL', 'FL', 'FD', 'DS', 'IS'].includes(vr)) return holder.numbers(tag);
  return holder.strings(tag);
}

describe.runIf(requireOracle('pydicom'))('parseDicom reads what pydicom reads', () => {
  let oracle: Map<string, OracleElement[]>;
  beforeAll(() => {
    const script = readFileSync(join(FIXTURES, '..', 'test', 'pydicom-elements.py'), 'utf8');
    const { stdout } = runPython(script, FILES.map((file) => join(FIXTURES, file)));
    oracle = new Map(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { file: string; elements: OracleElement[] })
        .map((record) => [record.file, record.elements]),
    );
  });

  it.each(FILES)('%s', (file) => {
    const dataset = parseDicom(new Uint8Array(readFileSync(join(FIXTURES, file))), { path: file });
    const elements = oracle.get(join(FIXTURES, file)) ?? [];
    expect(elements.length).toBeGreaterThan(0);
    let compared = 0;
    for (const element of elements) {
      if (element.path.includes('x0002') && element.path.startsWith('x0002')) continue; // meta: checked below
      const found = resolve(dataset, element.path);
      if (found === undefined) throw new Error(`${file}: ${element.path} not found`);
      const { holder, tag } = found;
      // Implicit VR files name no VR: we know the VRs of our dictionary's attributes only.
      if (holder.vr(tag) === undefined || holder.vr(tag) === 'UN') continue;
      const values = ours(holder, tag, element.vr);
      if (element.vr === 'FL') {
        expect(values.length, element.path).toBe(element.values.length);
        values.forEach((v, i) => expect(v as number, element.path).toBeCloseTo(element.values[i] as number, 5));
      } else {
        // PS3.5 §6.2: padding spaces are insignificant (pydicom keeps them inside multi-valued strings).
        const expected = ['LT', 'ST', 'UT'].includes(element.vr)
          ? element.values
          : element.values.map((v) => (typeof v === 'string' ? v.trim() : v));
        expect(values, `${element.path} ${element.vr}`).toEqual(expected);
      }
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });
});

describe('parseDicom', () => {
  const read = (name: string) => new Uint8Array(readFileSync(join(FIXTURES, 'pydicom', name)));

  it('reads a bare explicit VR big endian data set without preamble or meta header', () => {
    const dataset = parseDicom(read('ExplVR_BigEndNoMeta.dcm'));
    expect(dataset.transferSyntax.uid).toBe('1.2.840.10008.1.2.2');
    expect(dataset.string('Modality')).toBe('RTPLAN');
  });

  it('reads a bare explicit VR little endian data set', () => {
    const dataset = parseDicom(read('ExplVR_LitEndNoMeta.dcm'));
    expect(dataset.transferSyntax.uid).toBe('1.2.840.10008.1.2.1');
    expect(dataset.string('StudyInstanceUID')).toBe('1.2.333.4444.5.6.7.8.9');
  });

  it('inflates the deflated explicit VR little endian syntax', () => {
    const dataset = parseDicom(read('image_dfl.dcm'));
    expect(dataset.transferSyntax.deflated).toBe(true);
    expect([dataset.number('Rows'), dataset.number('Columns')]).toEqual([512, 512]);
    expect(dataset.bytes('PixelData')?.length).toBe(512 * 512);
  });

  it('reads items of private sequences nested in private sequences', () => {
    const dataset = parseDicom(read('nested_priv_SQ.dcm'));
    const outer = dataset.sequence('x00010001');
    expect(outer).toHaveLength(1);
    expect(outer[0].string('x00010002')).toBe('Nested SQ');
    const inner = outer[0].sequence('x00010001');
    expect(inner).toHaveLength(1);
    expect(inner[0].string('x00010001')).toBe('Double Nested SQ');
  });

  it('tries a file as DICOM by its DICM magic or its extension only', () => {
    const part10 = read('CT_small.dcm').subarray(0, 132);
    expect(isDicomCandidate('scans/IM0001', part10)).toBe(true);
    expect(isDicomCandidate('scans/bare.DCM', new Uint8Array(4))).toBe(true);
    expect(isDicomCandidate('scans/bare.dicom', new Uint8Array(0))).toBe(true);
    expect(isDicomCandidate('scans/notes.txt', new TextEncoder().encode('x'.repeat(200)))).toBe(false);
    expect(isDicomCandidate('scans/IM0002', read('ExplVR_LitEndNoMeta.dcm').subarray(0, 132))).toBe(false);
  });
});
