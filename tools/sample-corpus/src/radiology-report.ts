// MIMIC-CXR-style free-text reports with invented identifiers in them, for the de-identification
// stage to be measured on: every inserted name, date, phone/fax number, MRN, accession number and
// address is recorded with its type and [start, end) offsets. The findings sentences are PHI-free and
// agree with the item's labels (positive sentences for drawn findings, negations for some others).
import type { Prng } from './prng';
import type { PhiSpan, PhiType } from './truth';

const FIRST_NAMES = ['Maria', 'James', 'Aaliyah', 'Chen', 'Olga', 'Rahul', 'Siobhan', 'Tomasz', 'Grace', 'Emeka', 'Lucia', 'Hiroshi', 'Fatima', 'Dmitri', 'Beatriz', 'Kwame'];
const LAST_NAMES = ['Okafor', 'Lindqvist', 'Haddad', 'Moreau', 'Kowalczyk', 'Nguyen', 'Fitzgerald', 'Castellanos', 'Abernathy', 'Takahashi', 'Van der Berg', "O'Connell", 'Petrovic', 'Mbeki', 'Delacroix', 'Ferreira'];
const TITLES = ['Dr. ', 'Mr. ', 'Ms. ', 'Mrs. ', ''];
const STREETS = ['Maple Street', 'Harborview Avenue', 'Cedar Lane', 'Longwood Road', 'Beacon Terrace', 'Mill Pond Drive'];
const CITIES = [['Springfield', 'MA', '01103'], ['Riverton', 'NH', '03301'], ['Lakeside', 'CT', '06103'], ['Easton', 'RI', '02903']];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const POSITIVE: Record<string, string> = {
  Atelectasis: 'Linear opacity at the left base is consistent with subsegmental atelectasis.',
  Cardiomegaly: 'The heart is enlarged.',
  Consolidation: 'Dense consolidation is present in the right mid lung.',
  Edema: 'Bilateral perihilar haziness is compatible with mild pulmonary edema.',
  'Enlarged Cardiomediastinum': 'The cardiomediastinal silhouette is widened.',
  Fracture: 'There is a displaced fracture of a left lateral rib.',
  'Lung Lesion': 'A rounded nodule projects over the right upper lung.',
  'Lung Opacity': 'Patchy opacity is seen in the right upper lung.',
  'Pleural Effusion': 'There is a moderate pleural effusion layering at the base.',
  Pneumonia: 'Airspace opacity in the left lung is concerning for pneumonia.',
  Pneumothorax: 'A small apical pneumothorax is present.',
  'Pleural Other': 'Pleural thickening is noted along the right lateral chest wall.',
  'Support Devices': 'An endotracheal tube and a left-sided pacemaker are in place.',
  'No Finding': 'The lungs are clear. The cardiomediastinal silhouette is normal.',
};

const NEGATIVE: Record<string, string> = {
  Pneumothorax: 'No pneumothorax.',
  'Pleural Effusion': 'No pleural effusion.',
  Consolidation: 'No focal consolidation.',
  Edema: 'No pulmonary edema.',
  Cardiomegaly: 'Heart size is normal.',
};

export interface ReportText {
  readonly text: string;
  readonly phi: PhiSpan[];
}

class ReportBuilder {
  text = '';
  readonly phi: PhiSpan[] = [];
  add(text: string): this {
    this.text += text;
    return this;
  }
  identifier(type: PhiType, text: string): this {
    this.phi.push({ type, text, start: this.text.length, end: this.text.length + text.length });
    this.text += text;
    return this;
  }
}

/** A date in one of the formats reports use. `dayNumber` counts from 2015-01-01. */
function formattedDate(dayNumber: number, prng: Prng): string {
  const date = new Date(Date.UTC(2015, 0, 1) + dayNumber * 86_400_000);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = date.getUTCDate();
  const two = (value: number) => String(value).padStart(2, '0');
  switch (prng.int(5)) {
    case 0:
      return `${year}-${two(month + 1)}-${two(day)}`;
    case 1:
      return `${two(month + 1)}/${two(day)}/${year}`;
    case 2:
      return `${MONTHS[month]} ${day}, ${year}`;
    case 3:
      return `${two(day)}-${MONTHS[month].slice(0, 3)}-${year}`;
    default:
      return `${month + 1}/${day}/${String(year).slice(2)}`;
  }
}

function phoneNumber(prng: Prng): string {
  const area = prng.pick(['617', '508', '781', '603', '860']);
  const exchange = String(prng.intBetween(200, 989));
  const line = String(prng.int(10000)).padStart(4, '0');
  return prng.pick([`(${area}) ${exchange}-${line}`, `${area}-${exchange}-${line}`, `${area}.${exchange}.${line}`]);
}

function personName(prng: Prng, withTitle: boolean): string {
  const first = prng.pick(FIRST_NAMES);
  const last = prng.pick(LAST_NAMES);
  const title = withTitle ? prng.pick(TITLES) : '';
  return prng.chance(0.3) ? `${title}${last}, ${first}` : `${title}${first} ${last}`;
}

export function writeChestReport(labels: readonly string[], facts: { age: number; sex: 'M' | 'F'; studyDay: number; mrn: string; accession: string }, prng: Prng): ReportText {
  const report = new ReportBuilder();
  const pronoun = facts.sex === 'F' ? 'woman' : 'man';
  report.add('                                 FINAL REPORT\n');
  report.add(' EXAMINATION:  CHEST (PA AND LAT)\n \n');
  report.add(` INDICATION:  ${facts.age}-year-old ${pronoun} with cough and shortness of breath. Patient `);
  report.identifier('NAME', personName(prng, prng.chance(0.5)));
  report.add(', MRN ').identifier('MRN', facts.mrn).add(', seen in clinic on ').identifier('DATE', formattedDate(facts.studyDay - prng.intBetween(1, 20), prng)).add('.\n \n');
  report.add(' TECHNIQUE:  Chest PA and lateral\n \n');
  report.add(' COMPARISON:  Chest radiograph from ').identifier('DATE', formattedDate(facts.studyDay - prng.intBetween(30, 400), prng)).add('.\n \n');
  report.add(' FINDINGS:\n \n ');
  const sentences = labels.map((label) => POSITIVE[label]).filter((sentence) => sentence !== undefined);
  for (const [label, sentence] of Object.entries(NEGATIVE)) {
    if (!labels.includes(label) && !(label === 'Cardiomegaly' && labels.includes('Enlarged Cardiomediastinum')) && prng.chance(0.5)) sentences.push(sentence);
  }
  report.add(sentences.join(' ')).add('\n \n');
  report.add(' IMPRESSION:\n \n ');
  report.add(labels.includes('No Finding') ? 'No acute cardiopulmonary process.' : `${labels.map((label) => label.toLowerCase()).join(', ')}.`.replace(/^./, (first) => first.toUpperCase()));
  report.add('\n \n ');
  if (prng.chance(0.7)) {
    report.add('Findings were discussed with ').identifier('NAME', personName(prng, true)).add(' by telephone at ').identifier('PHONE', phoneNumber(prng));
    report.add(' on ').identifier('DATE', formattedDate(facts.studyDay, prng)).add(' at 10:45, by ').identifier('NAME', personName(prng, true)).add('.\n ');
  }
  report.add('Accession number: ').identifier('ACCESSION', facts.accession).add('. Reports faxed to ').identifier('FAX', phoneNumber(prng));
  if (prng.chance(0.5)) {
    const [city, state, zip] = prng.pick(CITIES);
    report.add(', ').identifier('ADDRESS', `${prng.intBetween(10, 9999)} ${prng.pick(STREETS)}, ${city}, ${state} ${zip}`);
  }
  report.add('.\n');
  return { text: report.text, phi: report.phi };
}
