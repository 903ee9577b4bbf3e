// Action D (PS3.15 Table E.1-1): "replace with a non-zero length value that may be a dummy value and
// consistent with the VR". One fixed dummy per VR, valid under PS3.5 §6.2's rules for that VR, so that
// nothing about the original value (not even its length) survives.
import type { ElementValue } from './element-tree';

const DUMMY_TEXT: Readonly<Record<string, string>> = {
  AE: 'ANONYMOUS',
  AS: '000Y',
  CS: 'ANONYMIZED',
  DA: '19000101',
  DS: '0',
  DT: '19000101000000',
  IS: '0',
  LO: 'ANONYMIZED',
  LT: 'ANONYMIZED',
  PN: 'ANONYMOUS',
  SH: 'ANONYMIZED',
  ST: 'ANONYMIZED',
  TM: '000000',
  UC: 'ANONYMIZED',
  UR: 'urn:qoq:anonymized',
  UT: 'ANONYMIZED',
};

/** The dummy of a VR; UI and SQ are handled by their own rules (U remapping, recursion). */
export function dummyValue(vr: string): ElementValue {
  const text = DUMMY_TEXT[vr];
  if (text !== undefined) return { kind: 'text', values: [text] };
  if (vr === 'US' || vr === 'SS' || vr === 'UL' || vr === 'SL' || vr === 'FL' || vr === 'FD' || vr === 'AT') {
    return { kind: 'numbers', values: [0] };
  }
  if (vr === 'SV' || vr === 'UV' || vr === 'OD' || vr === 'OV') return { kind: 'bytes', bytes: new Uint8Array(8) };
  if (vr === 'OF' || vr === 'OL') return { kind: 'bytes', bytes: new Uint8Array(4) };
  // OB, OW, UN: an even-length value of zero bytes (PS3.5 §7.1.1).
  return { kind: 'bytes', bytes: new Uint8Array(2) };
}

/** Action Z: a zero-length value of the element's kind. */
export function zeroLengthValue(vr: string): ElementValue {
  if (vr === 'SQ') return { kind: 'items', items: [] };
  if (vr === 'US' || vr === 'SS' || vr === 'UL' || vr === 'SL' || vr === 'FL' || vr === 'FD' || vr === 'AT') {
    return { kind: 'numbers', values: [] };
  }
  if (vr.startsWith('O') || vr === 'UN' || vr === 'SV' || vr === 'UV') return { kind: 'bytes', bytes: new Uint8Array(0) };
  return { kind: 'text', values: [] };
}
