// PS3.15 Annex E, Basic Application Level Confidentiality Profile, over an element tree: every attribute
// of Table E.1-1 gets its action (D, Z, X, K, C, U and the combined codes), at the top level and in every
// sequence item (§E.1.1: "whether contained in the top level Data Set or embedded in an Item of a
// Sequence"); private attributes are removed; anything else that is not on the keep-list is removed too
// ("retain only known-safe"), so an identifying attribute the table does not know cannot pass.
import { dateShiftDays, scrubPhi } from '@qoq/reports';
import type { Salt } from '@qoq/runtime';
import { rejectBurnedIn, type BurnedInPolicy, type BurnedInRisk } from './burned-in';
import { deidError } from './deid-error';
import { dummyValue, zeroLengthValue } from './dummy-values';
import { elementNumberOf, firstText, isPrivateTag, tagLabel, type DataSetTree, type DicomElement, type ElementValue } from './element-tree';
import { METHOD_CODES, type MethodCode } from './method-codes';
import { metadataRow, type DeidKeys, type MetadataRow } from './metadata-row';
import { METHOD_ELEMENT_NAMES, methodElements } from './method-elements';
import { patientKey, studyKey, seriesKey } from './identity-keys';
import { retainAge } from './patient-age';
import { safePrivateTags, type SafePrivateAttribute } from './private-attributes';
import { loadProfileTables, type ProfileAction, type ProfileAttribute, type ProfileTables } from './profile-table';
import { shiftDa, shiftDt, validTm } from './temporal-values';
import { remapUid } from './uid-remap';

/** `drop`: dates follow the Basic Profile (removed or emptied); `shift`: moved by the patient's offset. */
export type DateMode = 'drop' | 'shift';

export interface DeidOptions {
  readonly salt: Salt;
  readonly dateMode?: DateMode;
  /**
   * Which images that may carry burned-in text are refused (DEID_BURNED_IN): `strict` (default) refuses
   * Burned In Annotation YES, ultrasound, screen captures, secondary capture and Image Type SECONDARY;
   * `flagged` only the first three; `allow` none. See burned-in.ts.
   */
  readonly burnedIn?: BurnedInPolicy;
  /** The same as `burnedIn: 'allow'`. */
  readonly allowBurnedIn?: boolean;
  /** Action C's cleaner for descriptive text; by default @qoq/reports' scrubPhi (placeholders). */
  readonly textScrubber?: (text: string) => string;
  /** Clean Descriptors Option: keep the descriptions of keep-list.json's cleanDescriptors, scrubbed. */
  readonly cleanDescriptors?: boolean;
  /** Retain Patient Characteristics Option for age (capped at 90) and sex (M, F, O); default true. */
  readonly retainPatientCharacteristics?: boolean;
  /** Retain Safe Private Option: private attributes known to be safe; empty by default. */
  readonly safePrivate?: readonly SafePrivateAttribute[];
  /** The patient's identity when the dataset layout knows it better than Patient ID (e.g. a subject folder). */
  readonly patientIdentity?: string;
  readonly tables?: ProfileTables;
  /** Only for error messages. */
  readonly path?: string;
}

export type AuditAction = 'removed' | 'emptied' | 'dummy' | 'remapped' | 'shifted' | 'cleaned' | 'capped' | 'kept' | 'added';
export type AuditRule = 'basic-profile' | 'option' | 'private' | 'not-known-safe' | 'keep-list' | 'group-length' | 'method';

export interface AuditEntry {
  /** Keyword (or `(gggg,eeee)`), with the sequences it sits in: `ReferencedImageSequence>ReferencedSOPInstanceUID`. */
  readonly attribute: string;
  readonly action: AuditAction;
  readonly rule: AuditRule;
}

/** What was done to one file: attribute names and actions, never values. */
export interface DeidAudit {
  readonly removed: readonly AuditEntry[];
  readonly replaced: readonly AuditEntry[];
  readonly kept: readonly AuditEntry[];
  readonly added: readonly AuditEntry[];
  readonly methodCodes: readonly MethodCode[];
}

export interface DeidResult {
  readonly elements: DataSetTree;
  /** What the header says about text in the pixels (also when the policy let the image through). */
  readonly burnedInRisk: BurnedInRisk | null;
  readonly audit: DeidAudit;
  readonly metadata: MetadataRow;
  readonly keys: DeidKeys;
}

const PATIENT_AGE = '00101010';
const PATIENT_SEX = '00100040';
const PATIENT_ID = '00100020';
const ISSUER_OF_PATIENT_ID = '00100021';
const STUDY_INSTANCE_UID = '0020000D';
const SERIES_INSTANCE_UID = '0020000E';
// Birth date and time are never shifted: a shifted birth date beside the other shifted dates still gives
// the exact age, which for ages over 89 is itself an identifier (45 CFR §164.514(b)(2)(i)(C)).
const NEVER_SHIFTED = new Set(['00100030', '00100032']);

interface Walk {
  readonly tables: ProfileTables;
  readonly salt: Salt;
  readonly dateMode: DateMode;
  readonly shiftDays: number;
  readonly scrub: (text: string) => string;
  readonly cleanDescriptors: boolean;
  readonly retainCharacteristics: boolean;
  readonly safePrivate: readonly SafePrivateAttribute[];
  readonly audit: Map<string, AuditEntry>;
}

export function deidentify(elements: DataSetTree, options: DeidOptions): DeidResult {
  const dateMode = options.dateMode ?? 'drop';
  if (dateMode !== 'drop' && dateMode !== 'shift') throw deidError('DEID_BAD_OPTION', `unknown dateMode ${String(dateMode)}`);
  const policy: BurnedInPolicy = options.allowBurnedIn === true ? 'allow' : (options.burnedIn ?? 'strict');
  if (policy !== 'strict' && policy !== 'flagged' && policy !== 'allow') throw deidError('DEID_BAD_OPTION', `unknown burnedIn policy ${String(policy)}`);
  const burnedInRisk = rejectBurnedIn(elements, policy, options.path);
  const tables = options.tables ?? loadProfileTables();
  const keys: DeidKeys = {
    patientKey: patientKey(options.salt, identityOfPatient(elements, options.patientIdentity)),
    studyKey: optionalKey(firstText(elements, STUDY_INSTANCE_UID), (uid) => studyKey(options.salt, uid)),
    seriesKey: optionalKey(firstText(elements, SERIES_INSTANCE_UID), (uid) => seriesKey(options.salt, uid)),
  };
  const walk: Walk = {
    tables,
    salt: options.salt,
    dateMode,
    shiftDays: dateShiftDays(options.salt, keys.patientKey),
    scrub: options.textScrubber ?? ((text) => scrubPhi(text).text),
    cleanDescriptors: options.cleanDescriptors === true,
    retainCharacteristics: options.retainPatientCharacteristics !== false,
    safePrivate: options.safePrivate ?? [],
    audit: new Map(),
  };
  const codes: MethodCode[] = [METHOD_CODES.basicProfile];
  if (walk.cleanDescriptors) codes.push(METHOD_CODES.cleanDescriptors);
  if (dateMode === 'shift') codes.push(METHOD_CODES.modifiedDates);
  if (walk.retainCharacteristics) codes.push(METHOD_CODES.patientCharacteristics);
  if (walk.safePrivate.length > 0) codes.push(METHOD_CODES.safePrivate);
  const cleaned = walkDataSet(elements, walk, '');
  const added = methodElements(codes, dateMode);
  for (const element of added) record(walk, METHOD_ELEMENT_NAMES.get(element.tag) ?? nameOf(walk, element.tag), 'added', 'method');
  const byTag = new Map(cleaned.map((element) => [element.tag, element]));
  for (const element of added) byTag.set(element.tag, element);
  const result = [...byTag.values()].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const audit = summarize(walk.audit, codes);
  return { elements: result, burnedInRisk, audit, metadata: metadataRow(result, keys, dateMode), keys };
}

function identityOfPatient(elements: DataSetTree, override: string | undefined): string {
  // As given, so that other stages (reports of the same subject) reach the same key with patientKey().
  if (override !== undefined && override.trim() !== '') return override.trim();
  const id = firstText(elements, PATIENT_ID);
  if (id !== undefined) return `patient-id\0${firstText(elements, ISSUER_OF_PATIENT_ID) ?? ''}\0${id}`;
  // Without a Patient ID, each study counts as its own patient: intervals hold within the study only.
  return `study\0${firstText(elements, STUDY_INSTANCE_UID) ?? ''}`;
}

function optionalKey(identity: string | undefined, key: (identity: string) => string): string | null {
  return identity === undefined ? null : key(identity);
}

function walkDataSet(dataSet: DataSetTree, walk: Walk, prefix: string): DicomElement[] {
  const keptPrivate = safePrivateTags(dataSet, walk.safePrivate);
  const out: DicomElement[] = [];
  for (const element of dataSet) {
    const name = prefix + nameOf(walk, element.tag);
    const next = transform(element, walk, name, keptPrivate);
    if (next !== undefined) out.push(next);
  }
  return out;
}

function nameOf(walk: Walk, tag: string): string {
  return walk.tables.attributeOf(tag)?.keyword ?? walk.tables.keepOf(tag)?.keyword ?? tagLabel(tag);
}

function transform(element: DicomElement, walk: Walk, name: string, keptPrivate: ReadonlySet<string>): DicomElement | undefined {
  const { tag } = element;
  if (elementNumberOf(tag) === 0) return remove(walk, name, 'group-length');
  if (isPrivateTag(tag)) {
    if (!keptPrivate.has(tag)) return remove(walk, name, 'private');
    record(walk, name, 'kept', 'option');
    return element;
  }
  const row = walk.tables.attributeOf(tag);
  if (row !== undefined) return applyProfile(element, row, walk, name);
  if (walk.tables.keepOf(tag) !== undefined) {
    record(walk, name, 'kept', 'keep-list');
    return element.value.kind === 'items' ? recurse(element, walk, name) : element;
  }
  return remove(walk, name, 'not-known-safe');
}

function applyProfile(element: DicomElement, row: ProfileAttribute, walk: Walk, name: string): DicomElement | undefined {
  const { tag, vr } = element;
  const option = optionalAction(element, walk, name);
  if (option !== null) return option;
  const action = resolveCombined(row.basic);
  switch (action) {
    case 'X':
      return remove(walk, name, 'basic-profile');
    case 'Z':
      record(walk, name, 'emptied', 'basic-profile');
      return { tag, vr, value: zeroLengthValue(vr) };
    case 'K':
      record(walk, name, 'kept', 'basic-profile');
      return element.value.kind === 'items' ? recurse(element, walk, name) : element;
    case 'C':
      return clean(element, walk, name, 'basic-profile');
    case 'D':
      if (element.value.kind === 'items') return recurse(element, walk, name, 'dummy');
      if (vr === 'UI') return remapUids(element, walk, name);
      record(walk, name, 'dummy', 'basic-profile');
      return { tag, vr, value: dummyValue(vr) };
    case 'U':
      if (element.value.kind === 'items') return recurse(element, walk, name, 'remapped');
      if (element.value.kind !== 'text') return remove(walk, name, 'basic-profile');
      return remapUids(element, walk, name);
  }
}

/**
 * The combined codes choose between alternatives by the IOD's attribute type (PS3.15 Table E.1-1 key).
 * No DICOM object is re-emitted here, so there is no type to keep and the least disclosing alternative is
 * taken: X where X is allowed, Z for Z/D. X/Z/U* keeps the reference sequence with its instance UIDs
 * replaced (U), so that references between the de-identified instances still resolve.
 */
function resolveCombined(action: ProfileAction): 'X' | 'Z' | 'D' | 'K' | 'C' | 'U' {
  switch (action) {
    case 'X/Z':
    case 'X/D':
    case 'X/Z/D':
      return 'X';
    case 'Z/D':
      return 'Z';
    case 'X/Z/U*':
      return 'U';
    default:
      return action;
  }
}

/** The options that override the Basic Profile: modified dates, patient characteristics, clean descriptors. */
function optionalAction(element: DicomElement, walk: Walk, name: string): DicomElement | undefined | null {
  const { tag, vr, value } = element;
  if (walk.dateMode === 'shift' && value.kind === 'text' && !NEVER_SHIFTED.has(tag) && (vr === 'DA' || vr === 'DT' || vr === 'TM')) {
    const shift = vr === 'DA' ? shiftDa : vr === 'DT' ? shiftDt : (text: string) => validTm(text);
    const shifted = value.values.map((text) => shift(text, walk.shiftDays));
    // A value that is not a full date cannot keep its interval: the Basic Profile action applies instead.
    if (shifted.length > 0 && shifted.every((text): text is string => text !== undefined)) {
      record(walk, name, vr === 'TM' ? 'kept' : 'shifted', 'option');
      return { tag, vr, value: { kind: 'text', values: shifted } };
    }
    return null;
  }
  if (walk.retainCharacteristics && tag === PATIENT_AGE && value.kind === 'text') {
    const age = value.values.length === 1 ? retainAge(value.values[0] ?? '') : undefined;
    if (age === undefined) return null;
    record(walk, name, age.as === value.values[0]?.trim() ? 'kept' : 'capped', 'option');
    return { tag, vr: 'AS', value: { kind: 'text', values: [age.as] } };
  }
  if (walk.retainCharacteristics && tag === PATIENT_SEX && value.kind === 'text') {
    const sex = value.values.length === 1 ? value.values[0]?.trim().toUpperCase() : undefined;
    if (sex !== 'M' && sex !== 'F' && sex !== 'O') return null;
    record(walk, name, 'kept', 'option');
    return { tag, vr: 'CS', value: { kind: 'text', values: [sex] } };
  }
  if (walk.cleanDescriptors && walk.tables.isCleanDescriptor(tag)) return clean(element, walk, name, 'option');
  return null;
}

function clean(element: DicomElement, walk: Walk, name: string, rule: AuditRule): DicomElement | undefined {
  if (element.value.kind === 'items') return recurse(element, walk, name, 'cleaned');
  if (element.value.kind !== 'text') return remove(walk, name, rule);
  record(walk, name, 'cleaned', rule);
  return { ...element, value: { kind: 'text', values: element.value.values.map((text) => walk.scrub(text)) } };
}

function remapUids(element: DicomElement, walk: Walk, name: string): DicomElement {
  const values = element.value.kind === 'text' ? element.value.values : [];
  record(walk, name, 'remapped', 'basic-profile');
  const remapped: ElementValue = { kind: 'text', values: values.filter((uid) => uid.trim() !== '').map((uid) => remapUid(walk.salt, uid)) };
  return { tag: element.tag, vr: 'UI', value: remapped };
}

function recurse(element: DicomElement, walk: Walk, name: string, action: AuditAction = 'kept'): DicomElement {
  const items = element.value.kind === 'items' ? element.value.items : [];
  record(walk, name, action, walk.tables.attributeOf(element.tag) === undefined ? 'keep-list' : 'basic-profile');
  return { tag: element.tag, vr: 'SQ', value: { kind: 'items', items: items.map((item) => walkDataSet(item, walk, `${name}>`)) } };
}

function remove(walk: Walk, name: string, rule: AuditRule): undefined {
  record(walk, name, 'removed', rule);
  return undefined;
}

function record(walk: Walk, attribute: string, action: AuditAction, rule: AuditRule): void {
  walk.audit.set(`${attribute}\0${action}\0${rule}`, { attribute, action, rule });
}

function summarize(entries: ReadonlyMap<string, AuditEntry>, methodCodes: readonly MethodCode[]): DeidAudit {
  const sorted = [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, entry]) => entry);
  return {
    removed: sorted.filter((entry) => entry.action === 'removed'),
    replaced: sorted.filter((entry) => entry.action !== 'removed' && entry.action !== 'kept' && entry.action !== 'added'),
    kept: sorted.filter((entry) => entry.action === 'kept'),
    added: sorted.filter((entry) => entry.action === 'added'),
    methodCodes,
  };
}
