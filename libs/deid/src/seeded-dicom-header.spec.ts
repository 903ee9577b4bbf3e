// The seeded headers of tools/bench/deid, de-identified here: every identifying value they seed, in any
// place, is gone from everything deidentify() hands on; every keep-list value they carry is unchanged.
import { parseDicom } from '@qoq/dicom';
import type { Salt } from '@qoq/runtime';
import { describe, expect, it } from 'vitest';
import { deidentify, type DateMode } from './deidentify';
import type { DataSetTree } from './element-tree';
import { fromDicomDataset } from './from-dicom-dataset';
import { SEEDED_IDENTIFIER_TYPES, SEEDED_PLACEMENTS, seededDicomHeader, type SeededDicomHeader } from './seeded-dicom-header';

const salt: Salt = { bytes: Buffer.from('seeded header spec salt 0123456'), isPublicSample: false };
const HEADERS = Array.from({ length: 40 }, (_, i) => seededDicomHeader(1000 + i));

function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => (inner instanceof Uint8Array ? Buffer.from(inner).toString('latin1') : inner)).toLowerCase();
}

const parse = (header: SeededDicomHeader): DataSetTree => fromDicomDataset(parseDicom(header.bytes));
const leaked = (header: SeededDicomHeader, output: string) =>
  header.identifiers.filter((identifier) => identifier.probes.some((probe) => output.includes(probe.toLowerCase()))).map((identifier) => identifier.attribute);

function valueAt(tree: DataSetTree, tag: string): string | number | undefined {
  const element = tree.find((candidate) => candidate.tag === tag);
  if (element?.value.kind === 'text') return element.value.values.join('\\');
  if (element?.value.kind === 'numbers') return element.value.values[0];
  return undefined;
}

describe('seededDicomHeader', () => {
  it('is reproducible from its seed and varies between seeds', () => {
    expect(Buffer.from(seededDicomHeader(7).bytes).equals(Buffer.from(seededDicomHeader(7).bytes))).toBe(true);
    expect(new Set(HEADERS.map((header) => header.identifiers.length)).size).toBeGreaterThan(3);
  });

  it('seeds every identifier type in every placement, all readable in the parsed input (so the check below can fail)', () => {
    const types = new Set(HEADERS.flatMap((header) => header.identifiers.map((identifier) => identifier.type)));
    const placements = new Set(HEADERS.flatMap((header) => header.identifiers.map((identifier) => identifier.placement)));
    expect([...types].sort()).toEqual([...SEEDED_IDENTIFIER_TYPES].sort());
    expect([...placements].sort()).toEqual([...SEEDED_PLACEMENTS].sort());
    for (const header of HEADERS) {
      expect(leaked(header, serialize(parse(header)))).toEqual(header.identifiers.map((identifier) => identifier.attribute));
    }
  });
});

describe.each<DateMode>(['drop', 'shift'])('deidentify on seeded headers, dates %s', (dateMode) => {
  const results = HEADERS.map((header) => ({ header, result: deidentify(parse(header), { salt, dateMode }) }));

  it('lets no seeded identifier through, in the data set, metadata or audit', () => {
    for (const { header, result } of results) {
      expect(leaked(header, serialize({ elements: result.elements, metadata: result.metadata, audit: result.audit }))).toEqual([]);
    }
  });

  it('keeps every keep-list value unchanged (age under 90 and sex by the patient characteristics option)', () => {
    for (const { header, result } of results) {
      const changed = header.kept.filter((kept) => valueAt(result.elements, kept.tag) !== kept.value).map((kept) => kept.keyword);
      expect(changed).toEqual([]);
    }
  });
});
