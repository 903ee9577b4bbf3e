// Invented radiology reports for the scrubber's tests: every kind of identifier is inserted at a known
// offset, in each of the ways reports write it, between PHI-free clinical sentences. All names,
// numbers and places are made up; the builder records where each one went, so the truth is exact.
import type { ScrubberCase, TruthSpan } from './scrubber-evaluation';

type Piece = string | readonly [type: string, value: string];

class ReportBuilder {
  text = '';
  readonly phi: TruthSpan[] = [];
  readonly phiFree: { start: number; end: number }[] = [];

  /** Writes pieces; a [type, value] piece is an inserted identifier. */
  write(...pieces: Piece[]): this {
    for (const piece of pieces) {
      if (typeof piece === 'string') this.text += piece;
      else {
        this.phi.push({ type: piece[0], start: this.text.length, end: this.text.length + piece[1].length });
        this.text += piece[1];
      }
    }
    return this;
  }

  /** Writes a sentence that holds no identifier: its tokens must survive scrubbing. */
  clean(sentence: string): this {
    this.phiFree.push({ start: this.text.length, end: this.text.length + sentence.length });
    this.text += sentence;
    return this;
  }

  build(): ScrubberCase {
    return { text: this.text, phi: [...this.phi], phiFree: [...this.phiFree] };
  }
}

export const PHI_FREE_FINDINGS: readonly string[] = [
  'No acute cardiopulmonary process.',
  'There is no focal consolidation, pleural effusion or pneumothorax.',
  'The cardiomediastinal silhouette is within normal limits.',
  'Mild cardiomegaly is unchanged since the prior study.',
  'A 3.2 cm nodule is seen in the right upper lobe.',
  'Compression deformity of T10 and degenerative change at L1-L2 and C7.',
  'Endotracheal tube terminates 5 cm above the carina.',
  'Right internal jugular central venous catheter ends in the mid SVC.',
  'AP and lateral views of the chest were obtained.',
  'Patient received 5 mg of IV morphine and 40 mg furosemide before imaging.',
  'Left PICC line tip projects over the cavoatrial junction.',
  'Sternotomy wires and mediastinal clips are intact.',
  'Small bilateral pleural effusions with bibasilar atelectasis.',
  'Moderate pulmonary edema has improved compared to the previous radiograph.',
  'Sinus rhythm with first degree AV block and left axis deviation.',
  'Nasogastric tube courses below the diaphragm with its tip in the stomach.',
  'Chest PA and lateral demonstrates hyperinflation consistent with COPD.',
  'Dual-lead pacemaker with leads in the right atrium and right ventricle.',
  'Healed fractures of the left 5th through 7th ribs.',
  'Recommend follow-up CT chest in 3 months to assess the 8 mm nodule.',
  'Markedly tortuous aorta with calcification of the aortic knob.',
  'The lungs are clear bilaterally without evidence of pneumonia.',
  'Heart size is normal and there is no vascular congestion.',
  'QRS duration 96 ms, QTc 440 ms, PR interval 180 ms.',
];

const PEOPLE = [
  ['John', 'Carter'], ['Emily', 'Nguyen'], ['Robert', 'Oconnor'], ['Maria', 'Gonzalez'], ['David', 'Kowalski'],
  ['Susan', 'Whitfield'], ['James', 'Abernathy'], ['Linda', 'Tanaka'], ['Michael', "O'Brien"], ['Patricia', 'Delacroix'],
  ['Thomas', 'Lindqvist'], ['Karen', 'Smith-Jones'],
] as const;

/** Dates in every written form, each with its truth value for the date-shift tests. */
export const DATE_FORMS: readonly string[] = [
  '01/02/2023', '1/2/23', '2023-01-02', 'Jan 2, 2023', '2 January 2023', 'January 2023', '01-02-2023',
  '02.01.2023', '03/15/2023 10:15 AM', '2022-11-30T08:45:00', 'March 7th, 2021', '05-Feb-2020', 'Sept. 9, 2019',
  'December 31, 1999', '12/31/99', '2024-02-29',
];

const PHONES = ['(617) 555-0123', '617-555-0142', '617.555.0190', '+1 617 555 0177', '(508) 555-0111 x2345'];
const FAXES = ['617-555-0199', '(617) 555-0166'];
const EMAILS = ['jcarter@example.org', 'emily.nguyen@radiology.example.com', 'reading.room+cxr@example.edu'];
const URLS = ['https://portal.example.org/report?id=5521', 'www.example-imaging.com', 'http://pacs.example.net/viewer'];
const STREETS = ['123 Main Street, Apt 4B, Boston, MA', '77 Elm Ave, Cambridge, MA', '4500 North Lake Shore Drive, Chicago, IL'];
const ZIPS = ['02115', '02139-4307', '60640'];
const MRNS = ['1234567', '00493821', 'M8812345'];
const ACCESSIONS = ['E12345678', '55190023', 'CXR-2023-004411'];
const AGES = ['92', '95', '101', '90'];
const INSTITUTIONS = ["St. Mary's Hospital", 'Beth Israel Deaconess Medical Center', 'Lakeside General Hospital', 'Mayo Clinic'];

/** `count` reports, deterministic: report i draws its identifiers by index. */
export function inventedReports(count: number): ScrubberCase[] {
  const cases: ScrubberCase[] = [];
  for (let i = 0; i < count; i += 1) {
    const pick = <T>(list: readonly T[], k = 0): T => list[(i + k) % list.length];
    const [first, last] = pick(PEOPLE);
    const [first2, last2] = pick(PEOPLE, 5);
    const [first3, last3] = pick(PEOPLE, 9);
    const finding = (k: number) => pick(PHI_FREE_FINDINGS, k * 7);
    const b = new ReportBuilder();
    b.write('                                 FINAL REPORT\n');
    b.write(' EXAMINATION:  CHEST (PA AND LAT)\n\n');
    b.write(' INDICATION:  ', ['REDACTED', '___'], 'F with dyspnea. ', ['AGE', pick(AGES)], '-year-old woman, aged ', ['AGE', pick(AGES, 1)], '.\n\n');
    b.write(' TECHNIQUE:  Chest PA and lateral\n\n');
    b.write(' COMPARISON:  Chest radiograph from ', ['DATE', pick(DATE_FORMS)], ' and ', ['DATE', pick(DATE_FORMS, 3)], '.\n\n');
    b.write(' FINDINGS:  \n \n ');
    b.clean(finding(0)).write(' ').clean(finding(1)).write(' ').clean(finding(2)).write('\n \n');
    b.write(' IMPRESSION:  \n \n ');
    b.clean(finding(3)).write(' ');
    switch (i % 4) {
      case 0:
        b.write('Findings discussed with Dr. ', ['NAME', `${first} ${last}`], ' by telephone on ', ['DATE', pick(DATE_FORMS, 5)], '.');
        break;
      case 1:
        b.write('Findings d/w ', ['NAME', `${first} ${last}`], ' at 10:15 on ', ['DATE', pick(DATE_FORMS, 6)], '.');
        break;
      case 2:
        b.write('Results called to ', ['NAME', `${first} ${last}`], ', NP at ', ['PHONE', pick(PHONES)], '.');
        break;
      default:
        b.write('DR. ', ['NAME', `${first.toUpperCase()} ${last.toUpperCase()}`], ' was paged (pager ', ['PHONE', `${55000 + i}`], ').');
    }
    b.write(' ');
    b.clean(finding(4));
    b.write('\n\n Ms. ', ['NAME', last2], ' (', ['EMAIL', pick(EMAILS)], ') requested a copy; fax ', ['FAX', pick(FAXES)], '.');
    b.write('\n Images available at ', ['URL', pick(URLS)], ' .');
    b.write('\n Patient: ', ['NAME', `${last3.toUpperCase()}, ${first3.toUpperCase()}`], '   MRN: ', ['MRN', pick(MRNS)], '   Accession #: ', ['ACCESSION', pick(ACCESSIONS)]);
    b.write('\n Home: ', ['ADDRESS', pick(STREETS)], ' ', ['ZIP', pick(ZIPS)], '. Phone ', ['PHONE', pick(PHONES, 2)], '.');
    b.write('\n Transferred from ', ['INSTITUTION', pick(INSTITUTIONS)], ' on ', ['DATE', pick(DATE_FORMS, 8)], '. Age ', ['AGE', pick(AGES, 2)], '.');
    b.write('\n Electronically signed by ', ['NAME', `${first2} ${last2}`], ', MD on ', ['DATE', pick(DATE_FORMS, 11)], '\n');
    cases.push(b.build());
  }
  return cases;
}
