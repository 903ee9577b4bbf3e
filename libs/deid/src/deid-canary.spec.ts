// Issue 5's canary: a DICOM with a unique marker in every attribute of the Annex E table (taken from the
// data file), in nested sequences, private blocks, three character sets and every person-name form, and
// in its file name; after de-identification no marker may appear in the data set, audit or metadata.
import { parseDicom } from '@qoq/dicom';
import { SAMPLE_SALT, type Salt } from '@qoq/runtime';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JAPANESE_NAME_PARTS, buildCanary, type CanaryCharset } from './canary-dicom';
import { deidentify, type DateMode } from './deidentify';
import type { DataSetTree } from './element-tree';
import { fromDicomDataset } from './from-dicom-dataset';
import { loadProfileTables } from './profile-table';

const tables = loadProfileTables();
const salt: Salt = { bytes: Buffer.from('canary salt of sixteen+ bytes'), isPublicSample: false };
const folder = mkdtempSync(join(tmpdir(), 'deid-canary-'));
const FILE_MARKER = 'Mk9999qqFileName';
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** JSON of everything de-identification hands on; bytes as Latin-1 text so markers inside them show. */
function serialize(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner instanceof Uint8Array ? Buffer.from(inner).toString('latin1') : inner,
  );
}

function parseCanary(charset: CanaryCharset): { tree: DataSetTree; canary: ReturnType<typeof buildCanary> } {
  const canary = buildCanary(tables, charset);
  const path = join(folder, `${FILE_MARKER}-${charset.replace(/ /g, '_')}.dcm`);
  writeFileSync(path, canary.bytes);
  return { tree: fromDicomDataset(parseDicom(readFileSync(path), { path })), canary };
}

function leaks(output: string, markers: readonly string[]): string[] {
  const forms = new Set<string>();
  for (const marker of markers) {
    forms.add(marker).add(marker.toUpperCase()).add(marker.toLowerCase());
    // A person name's components one by one, as a ^-splitting consumer would see them.
    for (const part of marker.split(/[\^=]/)) if (part.length >= 6) forms.add(part);
  }
  return [...forms].filter((form) => output.includes(form));
}

function binaryLeaks(tree: DataSetTree, markers: ReadonlyMap<string, number>): string[] {
  const found: string[] = [];
  const visit = (dataSet: DataSetTree): void => {
    for (const element of dataSet) {
      if (element.value.kind === 'numbers' && element.value.values.includes(markers.get(element.tag) ?? Number.NaN)) found.push(element.tag);
      if (element.value.kind === 'items') element.value.items.forEach(visit);
    }
  };
  visit(tree);
  return found;
}

describe.each<[CanaryCharset, DateMode]>([
  ['ISO_IR 100', 'drop'],
  ['ISO_IR 192', 'drop'],
  ['ISO 2022 IR 87', 'drop'],
  ['ISO_IR 192', 'shift'],
])('the canary in %s with dates %s', (charset, dateMode) => {
  const { tree, canary } = parseCanary(charset);
  const result = deidentify(tree, { salt, dateMode });
  const output = serialize({ elements: result.elements, audit: result.audit, metadata: result.metadata });
  // Under shifting, dates survive moved (checked below) and times of day are kept: not leaks.
  const markers = dateMode === 'shift' ? canary.markers.filter((marker) => !/^\d{4}-?\d{2}-?\d{2}$|^\d{6}\.\d{6}$/.test(marker)) : canary.markers;

  it('puts every marker into the parsed input (so the leak check below can fail)', () => {
    const input = serialize(tree);
    // ISO dates are a form a consumer might write; the input holds the DICOM form of each.
    const written = canary.markers.filter((marker) => !/^\d{4}-\d{2}-\d{2}$/.test(marker));
    expect(written.filter((marker) => !input.includes(marker))).toEqual([]);
    expect(leaks(input, canary.markers).length).toBeGreaterThanOrEqual(written.length);
    expect(binaryLeaks(tree, canary.binaryMarkers).length).toBe(canary.binaryMarkers.size);
    for (const row of tables.attributes.filter((r) => !r.tag.includes('xx') && r.tag !== '00020003')) {
      expect(tree.some((element) => element.tag === row.tag), row.keyword).toBe(true);
    }
    if (charset === 'ISO 2022 IR 87') for (const part of JAPANESE_NAME_PARTS) expect(input).toContain(part);
  });

  it('lets no marker through in any form, nor the file name', () => {
    expect(leaks(output, markers)).toEqual([]);
    expect(binaryLeaks(result.elements, canary.binaryMarkers)).toEqual([]);
    expect(output).not.toContain(FILE_MARKER);
    expect(output.toUpperCase()).not.toContain(FILE_MARKER.toUpperCase());
    for (const part of JAPANESE_NAME_PARTS) expect(output).not.toContain(part);
    expect(output).not.toContain('093Y');
  });

  it('removes every private attribute and everything not known to be safe', () => {
    const tags = new Set<string>();
    const visit = (dataSet: DataSetTree): void => {
      for (const element of dataSet) {
        tags.add(element.tag);
        if (element.value.kind === 'items') element.value.items.forEach(visit);
      }
    };
    visit(result.elements);
    for (const tag of tags) {
      expect(Number.parseInt(tag.slice(0, 4), 16) % 2, tag).toBe(0);
      expect(tag.startsWith('50') || tag.startsWith('60'), tag).toBe(false);
    }
    expect(tags.has('00181020')).toBe(false);
    expect(result.audit.removed.some((entry) => entry.rule === 'private')).toBe(true);
    expect(result.audit.removed.some((entry) => entry.attribute.includes('>') && entry.rule === 'not-known-safe')).toBe(true);
  });

  it('keeps what the pipeline needs', () => {
    expect(result.metadata).toMatchObject({
      dicom_modality: 'CR',
      rows: 2,
      columns: 2,
      photometric_interpretation: 'MONOCHROME2',
      pixel_spacing_mm: [0.139, 0.14],
      view_position: 'PA',
      laterality: 'L',
      body_part_examined: 'CHEST',
      patient_age: '90+',
      patient_identity_removed: 'YES',
    });
    expect(result.elements.find((element) => element.tag === '7FE00010')?.value).toEqual({ kind: 'bulk', byteLength: 8 });
  });

  if (dateMode === 'shift') {
    it('moves every kept date by the same number of days', () => {
      const shifts = new Set<number>();
      for (const [tag, original] of canary.dates) {
        const element = result.elements.find((e) => e.tag === tag);
        if (tag === '00100030') {
          expect(element?.value).toEqual({ kind: 'text', values: [] });
          continue;
        }
        const value = element?.value.kind === 'text' ? element.value.values[0] : undefined;
        if (value === undefined) continue;
        const day = (text: string) => Date.UTC(Number(text.slice(0, 4)), Number(text.slice(4, 6)) - 1, Number(text.slice(6, 8)));
        shifts.add((day(value) - day(original)) / 86_400_000);
      }
      expect(shifts.size).toBe(1);
      expect([...shifts][0]).not.toBe(0);
      expect(result.metadata.study_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    });
  }
});

describe('the canary under the same and another salt', () => {
  const { tree } = parseCanary('ISO_IR 100');
  const other: Salt = { bytes: Buffer.from('another salt, also sixteen bytes'), isPublicSample: false };

  it('gives identical output for the same inputs and salt', () => {
    const again = parseCanary('ISO_IR 100').tree;
    expect(serialize(deidentify(again, { salt }))).toBe(serialize(deidentify(tree, { salt })));
  });

  it('shares no key or UID with the output under another salt', () => {
    const first = deidentify(tree, { salt });
    const second = deidentify(tree, { salt: other });
    const values = (text: string) => new Set(text.match(/2\.25\.\d+|[0-9a-f]{32}/g) ?? []);
    const a = values(serialize(first));
    const shared = [...values(serialize(second))].filter((value) => a.has(value));
    expect(a.size).toBeGreaterThan(10);
    expect(shared).toEqual([]);
    expect(deidentify(tree, { salt: { bytes: SAMPLE_SALT, isPublicSample: true } }).keys.patientKey).not.toBe(first.keys.patientKey);
  });
});
