// Lead names as sources write them → the twelve standard leads. DICOM writes code meanings
// ("Lead I (Einthoven)", PS3.16 CID 3001), SCPECG codes (5.6.3-9-1 …) or MDC codes (2:1 …,
// ISO/IEEE 11073-10101 MDC_ECG_LEAD_*); WFDB writes free text (`I`, `aVR`, `V1`).

export const STANDARD_LEADS = ['I', 'II', 'III', 'AVR', 'AVL', 'AVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6'] as const;
export type StandardLead = (typeof STANDARD_LEADS)[number];

/** SCP-ECG lead codes (EN 1064 table, DICOM scheme SCPECG) for the twelve leads. */
const SCPECG: Readonly<Record<string, StandardLead>> = {
  '5.6.3-9-1': 'I', '5.6.3-9-2': 'II', '5.6.3-9-3': 'V1', '5.6.3-9-4': 'V2', '5.6.3-9-5': 'V3',
  '5.6.3-9-6': 'V4', '5.6.3-9-7': 'V5', '5.6.3-9-8': 'V6', '5.6.3-9-61': 'III', '5.6.3-9-62': 'AVR',
  '5.6.3-9-63': 'AVL', '5.6.3-9-64': 'AVF',
};

/** MDC lead codes: partition 2 term codes and their reference ids (MDC_ECG_LEAD_*). */
const MDC: Readonly<Record<string, StandardLead>> = {
  '2:1': 'I', '2:2': 'II', '2:3': 'V1', '2:4': 'V2', '2:5': 'V3', '2:6': 'V4', '2:7': 'V5', '2:8': 'V6',
  '2:61': 'III', '2:62': 'AVR', '2:63': 'AVL', '2:64': 'AVF',
  // Context-free codes: partition 2 × 2^16 + term code.
  '131073': 'I', '131074': 'II', '131075': 'V1', '131076': 'V2', '131077': 'V3', '131078': 'V4',
  '131079': 'V5', '131080': 'V6', '131133': 'III', '131134': 'AVR', '131135': 'AVL', '131136': 'AVF',
};

const STANDARD_SET: ReadonlySet<string> = new Set(STANDARD_LEADS);

/** A lead written as text: `Lead I (Einthoven)`, `lead aVR`, `V1`, `MDC_ECG_LEAD_AVF`, `avr`. */
export function standardLeadFromText(text: string): StandardLead | null {
  // An inverted lead (-aVR, Cabrera display) is not the lead itself.
  let name = text.trim().toUpperCase();
  name = name.replace(/\(.*?\)/g, ' ').replace(/^MDC_ECG_LEAD_/, '').replace(/^LEAD\b/, '').trim();
  if (name.startsWith('-')) return null;
  name = name.replace(/[\s_.-]+/g, '');
  // "aVR, augmented voltage, right" (newer CID 3001 meanings) keeps only its first part.
  name = name.split(',')[0];
  return STANDARD_SET.has(name) ? (name as StandardLead) : null;
}

/** A lead from a DICOM code: the scheme's code first, then the meaning's text. */
export function standardLeadFromCode(code: { codeValue?: string; codingSchemeDesignator?: string; codeMeaning?: string }): StandardLead | null {
  const scheme = code.codingSchemeDesignator?.trim().toUpperCase();
  const value = code.codeValue?.trim();
  if (value !== undefined) {
    if (scheme === 'SCPECG' && value in SCPECG) return SCPECG[value];
    if (scheme === 'MDC' && value in MDC) return MDC[value];
    if (scheme === undefined && value in SCPECG) return SCPECG[value];
  }
  if (code.codeMeaning !== undefined) {
    const fromMeaning = standardLeadFromText(code.codeMeaning);
    if (fromMeaning !== null) return fromMeaning;
  }
  return value !== undefined ? standardLeadFromText(value) : null;
}
