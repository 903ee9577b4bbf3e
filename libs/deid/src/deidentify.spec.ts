import { dateShiftDays } from '@qoq/reports';
import type { Salt } from '@qoq/runtime';
import { describe, expect, it } from 'vitest';
import { deidentify, type DeidOptions } from './deidentify';
import { isDeidError } from './deid-error';
import type { DataSetTree, DicomElement } from './element-tree';
import { patientKey } from './identity-keys';
import { remapUid } from './uid-remap';

const salt: Salt = { bytes: Buffer.from('deidentify spec salt 0123456789'), isPublicSample: false };

const text = (tag: string, vr: string, ...values: string[]): DicomElement => ({ tag, vr, value: { kind: 'text', values } });
const sequence = (tag: string, ...items: DataSetTree[]): DicomElement => ({ tag, vr: 'SQ', value: { kind: 'items', items } });

function image(...extra: DicomElement[]): DataSetTree {
  const base = [
    text('00080016', 'UI', '1.2.840.10008.5.1.4.1.1.1.1'),
    text('00080018', 'UI', '1.2.826.0.1.3680043.10.999.5'),
    text('00080020', 'DA', '20190611'),
    text('00080021', 'DA', '20190612'),
    text('00080060', 'CS', 'DX'),
    text('00100010', 'PN', 'Doe^Jane'),
    text('00100020', 'LO', 'MRN-12345'),
    text('00101010', 'AS', '095Y'),
    text('0020000D', 'UI', '1.2.826.0.1.3680043.10.999.1'),
    text('0020000E', 'UI', '1.2.826.0.1.3680043.10.999.2'),
  ];
  const byTag = new Map([...base, ...extra].map((element) => [element.tag, element]));
  return [...byTag.values()].sort((a, b) => (a.tag < b.tag ? -1 : 1));
}

function run(tree: DataSetTree, options: Partial<DeidOptions> = {}) {
  return deidentify(tree, { salt, ...options });
}

function value(tree: DataSetTree, tag: string): unknown {
  return tree.find((element) => element.tag === tag)?.value;
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('deidentify: the Basic Profile actions', () => {
  const result = run(image(text('00080080', 'LO', 'General Hospital'), text('00081030', 'LO', 'Chest of Jane Doe')));

  it('empties Z attributes (Patient Name, Patient ID as Z/D) and removes X ones', () => {
    expect(value(result.elements, '00100010')).toEqual({ kind: 'text', values: [] });
    expect(value(result.elements, '00100020')).toEqual({ kind: 'text', values: [] });
    expect(value(result.elements, '00080080')).toBeUndefined();
    expect(value(result.elements, '00081030')).toBeUndefined();
  });

  it('remaps instance UIDs and keeps the standard SOP Class UID', () => {
    expect(value(result.elements, '00080018')).toEqual({ kind: 'text', values: [remapUid(salt, '1.2.826.0.1.3680043.10.999.5')] });
    expect(value(result.elements, '00080016')).toEqual({ kind: 'text', values: ['1.2.840.10008.5.1.4.1.1.1.1'] });
  });

  it('gives D attributes a non-empty dummy valid for their VR', () => {
    const out = run(image(text('0040A123', 'PN', 'Smith^John'), text('0040A121', 'DA', '20200101'), text('3010002D', 'LO', 'Lab 7')));
    expect(value(out.elements, '0040A123')).toEqual({ kind: 'text', values: ['ANONYMOUS'] });
    expect(value(out.elements, '0040A121')).toEqual({ kind: 'text', values: ['19000101'] });
    expect(value(out.elements, '3010002D')).toEqual({ kind: 'text', values: ['ANONYMIZED'] });
  });

  it('applies the table inside sequence items, at any depth', () => {
    const nested = run(
      image(
        sequence('00081140', [
          text('00081150', 'UI', '1.2.840.10008.5.1.4.1.1.1.1'),
          text('00081155', 'UI', '1.2.826.0.1.3680043.10.999.5'),
          text('00100010', 'PN', 'Doe^Jane'),
          sequence('00400555', [text('00100010', 'PN', 'Doe^Jane')]),
        ]),
      ),
    );
    const sequenceValue = value(nested.elements, '00081140') as { kind: 'items'; items: DataSetTree[] } | undefined;
    const items = sequenceValue?.items ?? [];
    expect(items).toHaveLength(1);
    const item = items[0] ?? [];
    // The reference still points at the remapped SOP Instance UID of the referenced image.
    expect(value(item, '00081155')).toEqual(value(nested.elements, '00080018'));
    expect(value(item, '00081150')).toEqual({ kind: 'text', values: ['1.2.840.10008.5.1.4.1.1.1.1'] });
    expect(value(item, '00100010')).toEqual({ kind: 'text', values: [] });
    expect(value(item, '00400555')).toBeUndefined();
    expect(nested.audit.replaced).toContainEqual({ attribute: 'ReferencedImageSequence>PatientName', action: 'emptied', rule: 'basic-profile' });
  });

  it('removes private attributes, curves, overlays and attributes no list knows', () => {
    const out = run(
      image(
        text('00090010', 'LO', 'ACME 1.0'),
        text('00091001', 'LO', 'Jane'),
        { tag: '60003000', vr: 'OW', value: { kind: 'bytes', bytes: new Uint8Array(8) } },
        text('60000010', 'US', '2'),
        text('50002500', 'LO', 'curve'),
        text('00181020', 'LO', 'v1 at General Hospital'),
      ),
    );
    for (const tag of ['00090010', '00091001', '60003000', '60000010', '50002500', '00181020']) expect(value(out.elements, tag), tag).toBeUndefined();
    expect(out.audit.removed).toContainEqual({ attribute: '(0018,1020)', action: 'removed', rule: 'not-known-safe' });
    expect(out.audit.removed).toContainEqual({ attribute: '(0009,1001)', action: 'removed', rule: 'private' });
  });

  it('keeps a private attribute only when the safe list names its creator and element', () => {
    const tree = image(text('00190010', 'LO', 'SAFE VENDOR'), text('0019100C', 'DS', '3.5'), text('0019100D', 'LO', 'Jane'));
    const out = run(tree, { safePrivate: [{ creator: 'SAFE VENDOR', group: 0x19, element: 0x0c }] });
    expect(value(out.elements, '0019100C')).toEqual({ kind: 'text', values: ['3.5'] });
    expect(value(out.elements, '00190010')).toBeDefined();
    expect(value(out.elements, '0019100D')).toBeUndefined();
    expect(out.metadata.deidentification_method_codes).toContain('DCM:113111');
  });
});

describe('deidentify: what is recorded', () => {
  it('marks the identity removed and codes the method with CID 7050', () => {
    const dropped = run(image());
    expect(value(dropped.elements, '00120062')).toEqual({ kind: 'text', values: ['YES'] });
    expect(dropped.metadata.deidentification_method_codes).toEqual(['DCM:113100', 'DCM:113108']);
    expect(value(dropped.elements, '00280303')).toEqual({ kind: 'text', values: ['REMOVED'] });
    const shifted = run(image(), { dateMode: 'shift', retainPatientCharacteristics: false });
    expect(shifted.metadata.deidentification_method_codes).toEqual(['DCM:113100', 'DCM:113107']);
    expect(value(shifted.elements, '00280303')).toEqual({ kind: 'text', values: ['MODIFIED'] });
    expect(shifted.metadata.deidentification_method).toContain('Basic Application Confidentiality Profile');
  });

  it('audits names and actions, never values', () => {
    const out = run(image());
    const audit = JSON.stringify(out.audit);
    for (const original of ['Doe', 'MRN-12345', '20190611', '1.2.826.0.1.3680043.10.999']) expect(audit).not.toContain(original);
    expect(out.audit.replaced).toContainEqual({ attribute: 'PatientName', action: 'emptied', rule: 'basic-profile' });
    expect(out.audit.kept).toContainEqual({ attribute: 'Modality', action: 'kept', rule: 'keep-list' });
  });
});

describe('deidentify: keys, dates and ages', () => {
  it('derives the keys from the salt: same salt same keys, another salt other keys', () => {
    const a = run(image());
    const b = run(image());
    const c = run(image(), { salt: { bytes: Buffer.from('yet another salt for this spec'), isPublicSample: false } });
    expect(a.keys).toEqual(b.keys);
    expect(c.keys.patientKey).not.toBe(a.keys.patientKey);
    expect(c.keys.studyKey).not.toBe(a.keys.studyKey);
    expect(a.keys.patientKey).toMatch(/^[0-9a-f]{32}$/);
    expect(run(image(text('00100020', 'LO', 'MRN-99999'))).keys.patientKey).not.toBe(a.keys.patientKey);
  });

  it('drops dates by default and shifts them by the reports offset of the patient when asked', () => {
    expect(run(image()).metadata.study_date).toBeNull();
    const out = run(image(), { dateMode: 'shift' });
    const days = dateShiftDays(salt, out.keys.patientKey);
    const expected = new Date(Date.UTC(2019, 5, 11) + days * 86_400_000).toISOString().slice(0, 10);
    expect(out.metadata.study_date).toBe(expected);
    const series = value(out.elements, '00080021') as { values: string[] };
    const study = value(out.elements, '00080020') as { values: string[] };
    const day = (v: string) => Date.UTC(+v.slice(0, 4), +v.slice(4, 6) - 1, +v.slice(6, 8));
    expect(day(series.values[0] ?? '') - day(study.values[0] ?? '')).toBe(86_400_000);
  });

  it('never shifts the birth date, and falls back to the profile for dates it cannot shift', () => {
    const out = run(image(text('00100030', 'DA', '19300101'), text('00080022', 'DA', '2019')), { dateMode: 'shift' });
    expect(value(out.elements, '00100030')).toEqual({ kind: 'text', values: [] });
    expect(value(out.elements, '00080022')).toBeUndefined();
  });

  it('keeps ages as AS with those over 89 as 090Y, shown as 90+', () => {
    const out = run(image());
    expect(value(out.elements, '00101010')).toEqual({ kind: 'text', values: ['090Y'] });
    expect(out.metadata.patient_age).toBe('90+');
    expect(run(image(text('00101010', 'AS', '045Y'))).metadata.patient_age).toBe('45');
    expect(value(run(image(), { retainPatientCharacteristics: false }).elements, '00101010')).toBeUndefined();
  });

  it('cleans descriptions through the text scrubber hook only under the Clean Descriptors Option', () => {
    const tree = image(text('00081030', 'LO', 'CHEST PA of Jane Doe'));
    const out = run(tree, { cleanDescriptors: true, textScrubber: (t) => t.replace('Jane Doe', '[NAME]') });
    expect(value(out.elements, '00081030')).toEqual({ kind: 'text', values: ['CHEST PA of [NAME]'] });
    expect(out.metadata.deidentification_method_codes).toContain('DCM:113105');
    expect(value(run(tree).elements, '00081030')).toBeUndefined();
  });
});

describe('deidentify: burned-in text', () => {
  it.each([
    ['Burned In Annotation YES', [text('00280301', 'CS', 'YES')]],
    ['ultrasound', [text('00080060', 'CS', 'US')]],
    ['secondary capture', [text('00080016', 'UI', '1.2.840.10008.5.1.4.1.1.7')]],
  ])('rejects %s with DEID_BURNED_IN unless allowed', (_name, extra) => {
    const tree = image(...extra);
    const error = thrown(() => run(tree));
    expect(isDeidError(error) && error.code).toBe('DEID_BURNED_IN');
    expect(run(tree, { allowBurnedIn: true }).metadata.patient_identity_removed).toBe('YES');
  });

  it('accepts an image that says NO', () => {
    expect(thrown(() => run(image(text('00280301', 'CS', 'NO'))))).toBeUndefined();
  });

  const code = (tree: DataSetTree, burnedIn: DeidOptions['burnedIn']) => {
    const error = thrown(() => run(tree, { burnedIn }));
    return isDeidError(error) ? error.code : run(tree, { burnedIn }).burnedInRisk?.reason ?? 'accepted';
  };

  it.each<[string, DicomElement[], string, string]>([
    // name, extra elements, outcome under `flagged`, outcome under `strict` (a reason: accepted with that risk)
    ['Burned In Annotation YES', [text('00280301', 'CS', 'YES')], 'DEID_BURNED_IN', 'DEID_BURNED_IN'],
    ['an ultrasound SOP class with another Modality', [text('00080016', 'UI', '1.2.840.10008.5.1.4.1.1.6.1'), text('00080060', 'CS', 'OT')], 'DEID_BURNED_IN', 'DEID_BURNED_IN'],
    ['a screen save', [text('00080008', 'CS', 'DERIVED', 'SECONDARY', 'SCREEN SAVE')], 'DEID_BURNED_IN', 'DEID_BURNED_IN'],
    ['a dose page that says NO', [text('00080008', 'CS', 'ORIGINAL', 'PRIMARY', 'DOSE_INFO'), text('00280301', 'CS', 'NO')], 'DEID_BURNED_IN', 'DEID_BURNED_IN'],
    ['secondary capture', [text('00080016', 'UI', '1.2.840.10008.5.1.4.1.1.7')], 'DEID_BURNED_IN', 'DEID_BURNED_IN'],
    ['Image Type SECONDARY (a reformat)', [text('00080008', 'CS', 'DERIVED', 'SECONDARY', 'MPR')], 'secondary-image', 'DEID_BURNED_IN'],
    ['secondary capture that says NO', [text('00080016', 'UI', '1.2.840.10008.5.1.4.1.1.7'), text('00280301', 'CS', 'NO')], 'accepted', 'accepted'],
    ['Image Type DERIVED PRIMARY', [text('00080008', 'CS', 'DERIVED', 'PRIMARY')], 'accepted', 'accepted'],
  ])('screens %s: flagged → %s, strict → %s', (_name, extra, flagged, strict) => {
    const tree = image(...extra);
    expect(code(tree, 'flagged')).toBe(flagged);
    expect(code(tree, 'strict')).toBe(strict);
    expect(thrown(() => run(tree, { burnedIn: 'allow' }))).toBeUndefined();
  });

  it('reports the risk of an image it let through', () => {
    const allowed = run(image(text('00280301', 'CS', 'YES')), { burnedIn: 'allow' });
    expect(allowed.burnedInRisk).toMatchObject({ reason: 'annotation-yes', refusedFrom: 'flagged' });
    expect(run(image()).burnedInRisk).toBeNull();
  });
});

describe('deidentify: a patient identity from the dataset layout', () => {
  it('gives the key patientKey() gives other stages for the same subject', () => {
    const out = run(image(), { patientIdentity: 'p10/p10000032', dateMode: 'shift' });
    expect(out.keys.patientKey).toBe(patientKey(salt, 'p10/p10000032'));
    expect(out.audit.added.map((entry) => entry.attribute)).toContain('PatientIdentityRemoved');
  });
});
