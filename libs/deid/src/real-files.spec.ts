// Real files: pydicom's test corpus (CT, MR, RT, SR, secondary capture, private sequences, other
// character sets), de-identified here and checked by pydicom, which lists every person name, instance
// UID and date of the original at any depth; none of them may survive.
import { parseDicom } from '@qoq/dicom';
import { requireOracle, runPython } from '@qoq/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deidentify } from './deidentify';
import { fromDicomDataset } from './from-dicom-dataset';

const TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

const LIST_IDENTIFIERS = `
import json, os, sys
import pydicom
folder = sys.argv[1]
out = {}
for name in sorted(os.listdir(folder)):
    if not name.endswith('.dcm'):
        continue
    try:
        ds = pydicom.dcmread(os.path.join(folder, name))
    except Exception:
        continue
    found = set()
    def visit(data):
        for element in data:
            if element.VR == 'SQ':
                for item in element.value:
                    visit(item)
                continue
            if element.VR not in ('PN', 'UI', 'DA') or element.value in (None, ''):
                continue
            values = element.value if isinstance(element.value, pydicom.multival.MultiValue) else [element.value]
            for value in values:
                text = str(value).strip()
                if element.VR == 'UI' and text.startswith('1.2.840.10008.'):
                    continue
                if len(text) >= 6:
                    found.add(text)
    try:
        visit(ds)
    except Exception:
        continue
    out[name] = sorted(found)
print(json.dumps(out))
`;

describe.runIf(requireOracle('pydicom'))('pydicom test files', () => {
  it('keep none of their person names, instance UIDs or dates', () => {
    const identifiers = JSON.parse(runPython(LIST_IDENTIFIERS, [TEST_FILES]).stdout) as Record<string, string[]>;
    const salt = { bytes: Buffer.from('real files salt, sixteen bytes+'), isPublicSample: false };
    let checked = 0;
    for (const [name, values] of Object.entries(identifiers)) {
      let tree;
      try {
        tree = fromDicomDataset(parseDicom(readFileSync(`${TEST_FILES}/${name}`), { path: name }));
      } catch {
        continue; // files @qoq/dicom refuses (truncated, bad VR) are its tests' business
      }
      const result = deidentify(tree, { salt, allowBurnedIn: true });
      const output = JSON.stringify({ elements: result.elements, audit: result.audit, metadata: result.metadata }, (_k, v: unknown) =>
        v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v,
      );
      expect(values.filter((value) => output.includes(value)), name).toEqual([]);
      checked += values.length > 0 ? 1 : 0;
    }
    expect(checked).toBeGreaterThan(30);
  });
});
