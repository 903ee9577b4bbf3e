// Test support: the canary DICOM of issue 5. Every attribute of data-specs/deid/basic-profile.json (read
// as data, so a row added to the table is covered without touching the test) gets a value holding a
// unique marker, as do nested sequence items, private blocks, an attribute no table knows, curves and
// overlays; person names use all five components and the ideographic and phonetic groups.
import type { ProfileTables } from './profile-table';
import { concat, float64s, latin1, uint16s, uint32s, utf8, writePart10, type RawElement } from './part10-test-writer';

export type CanaryCharset = 'ISO_IR 100' | 'ISO_IR 192' | 'ISO 2022 IR 87';

export interface Canary {
  readonly bytes: Uint8Array;
  /** Strings none of which may appear in any output (checked raw, upper- and lower-case). */
  readonly markers: readonly string[];
  /** Numbers written into binary attributes of the table: tag → value that must not survive. */
  readonly binaryMarkers: ReadonlyMap<string, number>;
  /** The DA / DT originals (YYYYMMDD) written, for the interval check under shifting. */
  readonly dates: ReadonlyMap<string, string>;
}

const ESC = 0x1b;
/** JIS X 0208 in ISO 2022 (PS3.5 Annex H example): ESC $ B designates it, ESC ( B returns to ASCII. */
function jis(...codes: readonly number[]): Uint8Array {
  const pairs = codes.flatMap((code) => [code >> 8, code & 0xff]);
  return Uint8Array.of(ESC, 0x24, 0x42, ...pairs, ESC, 0x28, 0x42);
}
/** 山田, 太郎, やまだ, たろう — and their decoded forms, which must not survive either. */
const YAMADA = jis(0x3b33, 0x4544);
const TAROU = jis(0x4240, 0x4f3a);
const YAMADA_KANA = jis(0x2464, 0x245e, 0x2440);
const TAROU_KANA = jis(0x243f, 0x246d, 0x2426);
export const JAPANESE_NAME_PARTS = ['山田', '太郎', 'やまだ', 'たろう'];

const DAY_MS = 86_400_000;

export function buildCanary(tables: ProfileTables, charset: CanaryCharset, sopClassUid = '1.2.840.10008.5.1.4.1.1.1'): Canary {
  let counter = 0;
  const markers: string[] = [];
  const binaryMarkers = new Map<string, number>();
  const dates = new Map<string, string>();
  const nextMarker = (): string => {
    counter += 1;
    const marker = `Mk${String(counter).padStart(4, '0')}qq`;
    markers.push(marker);
    return marker;
  };
  const text = (value: string): Uint8Array => (charset === 'ISO_IR 192' ? utf8(value) : latin1(value));
  // Characters of the set around the marker, so that decoding is exercised, not only ASCII.
  const decorate = (marker: string): string => (charset === 'ISO_IR 100' ? `Äö${marker}ß` : charset === 'ISO_IR 192' ? `Жλ${marker}中` : marker);
  const personName = (marker: string): Uint8Array => {
    const alphabetic = `${marker}Fam^${marker}Giv^${marker}Mid^${marker}Pre^${marker}Suf`;
    if (charset === 'ISO 2022 IR 87') {
      return concat(latin1(`${alphabetic}=`), YAMADA, latin1('^'), TAROU, latin1('='), YAMADA_KANA, latin1('^'), TAROU_KANA);
    }
    return text(charset === 'ISO_IR 100' ? `Müller${marker}^Jörg${marker}^^Dr.^Jr.` : `Ψ${marker}^Ωμέγα${marker}^Δ^Dr^III=${marker}Фам^Имя`);
  };
  const nextDate = (): string => {
    const day = new Date(Date.UTC(1931, 2, 1) + (counter + 1) * 3 * DAY_MS);
    counter += 1;
    const value = `${day.getUTCFullYear()}${String(day.getUTCMonth() + 1).padStart(2, '0')}${String(day.getUTCDate()).padStart(2, '0')}`;
    markers.push(value, `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}`);
    return value;
  };
  const valueFor = (tag: string, vr: string): RawElement | undefined => {
    const number = Number.parseInt(tag, 16);
    switch (vr) {
      case 'SQ':
        return { tag: number, vr, items: [nestedItem(), nestedItem()] };
      case 'PN':
        return { tag: number, vr, bytes: personName(nextMarker()) };
      case 'SH':
      case 'LO':
      case 'ST':
      case 'LT':
      case 'UT':
      case 'UC':
        return { tag: number, vr, bytes: text(decorate(nextMarker())) };
      case 'CS':
      case 'AE': {
        // These VRs allow upper case only (PS3.5 §6.2); the marker is recorded as written.
        const marker = nextMarker().toUpperCase();
        markers[markers.length - 1] = marker;
        return { tag: number, vr, bytes: latin1(marker) };
      }
      case 'UR':
        return { tag: number, vr, bytes: latin1(`http://${nextMarker()}.example/`) };
      case 'UI': {
        counter += 1;
        const uid = `1.2.826.0.1.3680043.10.999.77${counter}`;
        markers.push(uid);
        return { tag: number, vr, bytes: latin1(uid) };
      }
      case 'DA': {
        const date = nextDate();
        dates.set(tag, date);
        return { tag: number, vr, bytes: latin1(date) };
      }
      case 'DT': {
        const date = nextDate();
        dates.set(tag, date);
        return { tag: number, vr, bytes: latin1(`${date}101112.123+0100`) };
      }
      case 'TM': {
        counter += 1;
        const time = `1011${String(counter % 60).padStart(2, '0')}.${900000 + counter}`;
        markers.push(time);
        return { tag: number, vr, bytes: latin1(time) };
      }
      case 'DS': {
        counter += 1;
        markers.push(`${counter}.7319`);
        return { tag: number, vr, bytes: latin1(`${counter}.7319`) };
      }
      case 'IS': {
        counter += 1;
        markers.push(String(700000000 + counter));
        return { tag: number, vr, bytes: latin1(String(700000000 + counter)) };
      }
      case 'AS':
        // Four characters cannot hold a marker; an age over 89 must come out as 090Y (checked apart).
        return { tag: number, vr, bytes: latin1('093Y') };
      case 'US':
      case 'SS':
        counter += 1;
        binaryMarkers.set(tag, 30000 + counter);
        return { tag: number, vr, bytes: uint16s([30000 + counter]) };
      case 'UL':
      case 'SL':
        counter += 1;
        binaryMarkers.set(tag, 3000000 + counter);
        return { tag: number, vr, bytes: uint32s([3000000 + counter]) };
      case 'FD':
        counter += 1;
        binaryMarkers.set(tag, 3000000 + counter);
        return { tag: number, vr, bytes: float64s([3000000 + counter]) };
      default:
        // OB, OW, OF, OD, OL, UN: the marker's bytes.
        return { tag: number, vr, bytes: latin1(nextMarker()) };
    }
  };
  const privateBlock = (): RawElement[] => [
    { tag: 0x00290010, vr: 'LO', bytes: latin1(nextMarker()) },
    { tag: 0x00291008, vr: 'LO', bytes: text(decorate(nextMarker())) },
    { tag: 0x00291009, vr: 'PN', bytes: personName(nextMarker()) },
    { tag: 0x00291010, vr: 'SQ', items: [[{ tag: 0x00100010, vr: 'PN', bytes: personName(nextMarker()) }]] },
  ];
  function nestedItem(depth = 0): RawElement[] {
    counter += 1;
    const uid = `1.2.826.0.1.3680043.10.999.88${counter}`;
    markers.push(uid);
    const item: RawElement[] = [
      { tag: 0x00100010, vr: 'PN', bytes: personName(nextMarker()) },
      { tag: 0x00080018, vr: 'UI', bytes: latin1(uid) },
      { tag: 0x00181020, vr: 'LO', bytes: text(decorate(nextMarker())) },
      ...privateBlock(),
    ];
    if (depth === 0) item.push({ tag: 0x00081140, vr: 'SQ', items: [nestedItem(1)] });
    return item;
  }

  const elements: RawElement[] = [];
  let mediaStorageUid = '';
  for (const row of tables.attributes) {
    const concrete = row.tag === '50xxxxxx' ? ['50003000', '50022500'] : row.tag.includes('xx') ? [`60${'00'}${row.tag.slice(4)}`, `6002${row.tag.slice(4)}`] : [row.tag];
    for (const tag of concrete) {
      const vr = tag === '50022500' ? 'LO' : row.vr;
      const element = valueFor(tag, vr);
      if (element === undefined) continue;
      if (tag === '00020003') {
        mediaStorageUid = new TextDecoder('latin1').decode(element.bytes);
        continue;
      }
      elements.push(element);
    }
  }
  const characterSet = charset === 'ISO 2022 IR 87' ? '\\ISO 2022 IR 87' : charset;
  elements.push(
    { tag: 0x00080005, vr: 'CS', bytes: latin1(characterSet) },
    { tag: 0x00080016, vr: 'UI', bytes: latin1(sopClassUid) },
    { tag: 0x00080060, vr: 'CS', bytes: latin1('CR') },
    { tag: 0x00180015, vr: 'CS', bytes: latin1('CHEST') },
    { tag: 0x00185101, vr: 'CS', bytes: latin1('PA') },
    { tag: 0x00200062, vr: 'CS', bytes: latin1('L') },
    { tag: 0x00280002, vr: 'US', bytes: uint16s([1]) },
    { tag: 0x00280004, vr: 'CS', bytes: latin1('MONOCHROME2') },
    { tag: 0x00280010, vr: 'US', bytes: uint16s([2]) },
    { tag: 0x00280011, vr: 'US', bytes: uint16s([2]) },
    { tag: 0x00280030, vr: 'DS', bytes: latin1('0.139\\0.14') },
    { tag: 0x00280100, vr: 'US', bytes: uint16s([16]) },
    { tag: 0x00280101, vr: 'US', bytes: uint16s([12]) },
    { tag: 0x00280102, vr: 'US', bytes: uint16s([11]) },
    { tag: 0x00280103, vr: 'US', bytes: uint16s([0]) },
    { tag: 0x00181020, vr: 'LO', bytes: text(decorate(nextMarker())) },
    { tag: 0x00091001, vr: 'LO', bytes: latin1(nextMarker()) },
    ...privateBlock(),
    { tag: 0x7fe00010, vr: 'OW', bytes: uint16s([0, 1024, 2048, 4095]) },
  );
  return {
    bytes: writePart10({ sopClassUid, sopInstanceUid: mediaStorageUid }, elements),
    markers: markers.filter((marker, i) => markers.indexOf(marker) === i),
    binaryMarkers,
    dates,
  };
}
