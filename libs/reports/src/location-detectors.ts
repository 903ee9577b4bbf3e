// Street addresses, ZIP codes and institution names (Safe Harbor §164.514(b)(2)(i)(B): geographic
// subdivisions smaller than a state). A state alone is kept; the city before a state and ZIP is not.
import { isNonNameWord } from './name-lexicon';
import { valueSpans } from './match-spans';
import type { PhiCandidate } from './phi-types';

const LOCATION_PRIORITY = 6;
const INSTITUTION_PRIORITY = 7;

const STATES = 'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR';
const STATE_NAMES = 'Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming';
const STREET_SUFFIX = 'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Square|Sq|Plaza|Trail|Turnpike|Route|Rte';
const UNIT = String.raw`(?:,?\s*(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|Room|Rm|Bldg|Building|#)\.?\s*#?\s*[A-Za-z0-9-]+)?`;
const CITY = String.raw`[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}`;

const ADDRESS_PATTERNS: readonly RegExp[] = [
  // 123 Main Street, Apt 4B, Boston, MA — number, up to four capitalized words, a street suffix, then
  // the town when a state or the end of the sentence follows it
  new RegExp(
    String.raw`(?<![\w.,/-])\d{1,6}[A-Za-z]?\s+(?:(?:N|S|E|W|North|South|East|West)\.?\s+)?(?:[A-Z][A-Za-z'’.-]*\s+){1,4}(?:${STREET_SUFFIX})\b\.?${UNIT}(?:,\s*${CITY}(?=,?\s*(?:${STATES}|${STATE_NAMES})\b|\s*[.;\n]|\s*$))?(?:,?\s*(?:${STATES}|${STATE_NAMES})\b(?=,?\s*\d{5}))?`,
    'g',
  ),
  /\bP\.?\s?O\.?\s+Box\s+\d+\b/gi,
  // Boston, MA 02115 with no street: the city (and state) before a ZIP
  new RegExp(String.raw`\b${CITY},\s*(?:${STATES}|${STATE_NAMES})\b(?=,?\s*\d{5}(?:-\d{4})?\b)`, 'g'),
];
const ZIP_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`\b(?:${STATES}|${STATE_NAMES})\.?,?\s{1,3}(?<value>\d{5}(?:-\d{4})?)(?![\w-])`, 'dg'),
  /\b(?:zip|zip\s+code|postal\s+code|zipcode)\s*[:#]?\s*(?<value>\d{5}(?:-\d{4})?)(?![\w-])/dgi,
];

const INSTITUTION_SUFFIX = String.raw`(?:Hospital|Medical\s+Center|Medical\s+Centre|Health\s+Center|Health\s+System|Health\s+Care|Healthcare|Clinic|Infirmary|Institute|Medical\s+Group|Cancer\s+Center|Rehabilitation\s+Center|Nursing\s+Home|Hospice|Medical\s+School|School\s+of\s+Medicine|University|College)`;
const INSTITUTION_PATTERNS: readonly RegExp[] = [
  // Massachusetts General Hospital, Beth Israel Deaconess Medical Center, University of Chicago Medical Center
  new RegExp(String.raw`\b(?:(?:[A-Z][A-Za-z'’.-]*|of|the|and|&)\s+){0,5}${INSTITUTION_SUFFIX}\b(?:\s+(?:of|at)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})?`, 'g'),
  // St. Mary's, Saint Elizabeth's (possessive: a hospital even without a suffix); a non-possessive saint
  // needs the suffix, since "St. Jude valve" is a device
  new RegExp(String.raw`\b(?:St\.?|Saint)\s+[A-Z][a-z]+(?:['’]s(?:\s+(?:[A-Z][a-z]+\s+)?${INSTITUTION_SUFFIX})?|(?:\s+[A-Z][a-z]+)?\s+${INSTITUTION_SUFFIX})(?![\w'’])`, 'g'),
];
// Words that may precede "Hospital" without naming one ("Outside Hospital films", "the Clinic").
const GENERIC_LEADS = /^(?:of|the|and|&|at|from|to|outside|other|another|same|this|that|our|your|their|his|her|local|referring|prior|previous|community|general|state|county|city|university|medical|teaching|affiliated)$/i;

export function findLocations(text: string): PhiCandidate[] {
  const found: PhiCandidate[] = [];
  for (const pattern of ADDRESS_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      found.push({ type: 'ADDRESS', start: m.index, end: m.index + m[0].length, priority: LOCATION_PRIORITY });
    }
  }
  for (const pattern of ZIP_PATTERNS) {
    for (const { start, end } of valueSpans(pattern, text)) found.push({ type: 'ZIP', start, end, priority: LOCATION_PRIORITY });
  }
  for (const pattern of INSTITUTION_PATTERNS) {
    for (const m of text.matchAll(pattern)) {
      const span = trimInstitution(m[0]);
      if (span === undefined) continue;
      found.push({ type: 'INSTITUTION', start: m.index + span.offset, end: m.index + span.offset + span.length, priority: INSTITUTION_PRIORITY });
    }
  }
  return found;
}

/**
 * Drops leading words that do not name the place (sentence starters, report words, "the"); a match left
 * with no distinctive word ("Outside Hospital", "the University") is not an institution.
 */
function trimInstitution(written: string): { offset: number; length: number } | undefined {
  const words = [...written.matchAll(/\S+/g)];
  let first = 0;
  const universityOf = (k: number) => /^University$/.test(words[k][0]) && words[k + 1]?.[0] === 'of';
  while (first < words.length - 1 && !universityOf(first) && (GENERIC_LEADS.test(words[first][0]) || (isNonNameWord(words[first][0]) && !/^(?:St\.?|Saint)$/.test(words[first][0])))) first += 1;
  const kept = words.slice(first);
  const suffixWords = /^(?:Hospital|Medical|Center|Centre|Health|System|Care|Healthcare|Clinic|Infirmary|Institute|Group|Cancer|Rehabilitation|Nursing|Home|Hospice|School|of|Medicine|University|College|at)$/;
  const distinctive = kept.filter((w) => !suffixWords.test(w[0]) && !GENERIC_LEADS.test(w[0]) && !isNonNameWord(w[0]));
  if (distinctive.length === 0) return undefined;
  const offset = kept[0].index;
  return { offset, length: written.length - offset };
}
