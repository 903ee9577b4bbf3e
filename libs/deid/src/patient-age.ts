// Patient's Age under the "Retain Patient Characteristics Option" (PS3.15 Annex E.3.9), with ages over
// 89 aggregated as HIPAA Safe Harbor requires (45 CFR §164.514(b)(2)(i)(C)): the data set keeps a VR-valid
// AS "090Y" (AS cannot say "90+"), the metadata says "90+".

export const AGE_CAP_YEARS = 90;

export interface RetainedAge {
  /** A valid AS value (nnnD, nnnW, nnnM, nnnY; PS3.5 §6.2), "090Y" for every age of 90 years or more. */
  readonly as: string;
  /** Whole years, at most 90. */
  readonly years: number;
  /** For the metadata: whole years as text, or "90+". */
  readonly label: string;
}

const UNIT_YEARS: Readonly<Record<string, number>> = { D: 1 / 365.25, W: 7 / 365.25, M: 1 / 12, Y: 1 };

/** The retained form of an AS value; undefined when the value is not a valid age (it is then removed). */
export function retainAge(value: string): RetainedAge | undefined {
  const match = /^(\d{3})([DWMY])$/.exec(value.trim());
  if (match === null) return undefined;
  const count = Number(match[1]);
  const years = Math.floor(count * (UNIT_YEARS[match[2] ?? 'Y'] ?? 1));
  if (years >= AGE_CAP_YEARS) return { as: '090Y', years: AGE_CAP_YEARS, label: '90+' };
  return { as: value.trim(), years, label: String(years) };
}
