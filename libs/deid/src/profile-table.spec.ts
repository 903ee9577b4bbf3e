import { requireOracle, runPython } from '@qoq/testing';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDeidError } from './deid-error';
import { defaultDeidSpecsDirectory, loadProfileTables } from './profile-table';

const tables = loadProfileTables();

describe('the Annex E table as data', () => {
  it('holds every action code of the Basic Profile column and one row per tag', () => {
    const actions = new Set(tables.attributes.map((row) => row.basic));
    for (const action of ['D', 'Z', 'X', 'U', 'Z/D', 'X/Z', 'X/D', 'X/Z/D', 'X/Z/U*']) expect(actions).toContain(action);
    expect(new Set(tables.attributes.map((row) => row.tag)).size).toBe(tables.attributes.length);
    expect(tables.attributes.length).toBeGreaterThan(600);
  });

  it('resolves repeating groups: overlays 60xx and curves 50xx', () => {
    expect(tables.attributeOf('60023000')?.keyword).toBe('OverlayData');
    expect(tables.attributeOf('601E4000')?.keyword).toBe('OverlayComments');
    expect(tables.attributeOf('60203000')).toBeUndefined();
    expect(tables.attributeOf('50040010')?.keyword).toBe('CurveData');
    expect(tables.attributeOf('00100010')?.basic).toBe('Z');
  });

  it('refuses a table that breaks its schema', () => {
    const folder = mkdtempSync(join(tmpdir(), 'deid-specs-'));
    try {
      cpSync(defaultDeidSpecsDirectory(), folder, { recursive: true });
      writeFileSync(join(folder, 'basic-profile.json'), JSON.stringify({ profile: 'x', attributes: [] }));
      let error: unknown;
      try {
        loadProfileTables(folder);
      } catch (caught) {
        error = caught;
      }
      expect(isDeidError(error) && error.code).toBe('DEID_PROFILE_INVALID');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.runIf(requireOracle('pydicom'))('agrees with the pydicom data dictionary on keyword, name and VR', () => {
    const rows = tables.attributes.filter((row) => row.dictionary === 'pydicom-2.3.1');
    const keep = tables.keep;
    const script = [
      'import json, sys',
      'from pydicom.datadict import get_entry',
      'out = []',
      'for tag in json.load(sys.stdin):',
      '    vr, vm, name, retired, keyword = get_entry(int(tag, 16))',
      '    out.append([tag, keyword, name, vr])',
      'print(json.dumps(out))',
    ].join('\n');
    const { stdout } = runPython(script, [], JSON.stringify([...rows.map((r) => r.tag), ...keep.map((k) => k.tag)]));
    const oracle = new Map((JSON.parse(stdout) as string[][]).map(([tag, keyword, name, vr]) => [tag, { keyword, name, vr }]));
    for (const row of rows) expect(oracle.get(row.tag), row.tag).toEqual({ keyword: row.keyword, name: row.name, vr: row.vr });
    for (const entry of keep) expect(oracle.get(entry.tag)?.keyword, entry.tag).toBe(entry.keyword);
  });
});
