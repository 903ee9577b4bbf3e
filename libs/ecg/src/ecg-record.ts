// The one in-memory shape every reader returns and normalizeEcg consumes: physical values per signal,
// at each signal's own rate, with what the source says about their integrity.
import type { StandardLead } from './lead-names';

/**
 * Whether the samples reproduced the source's own integrity check (WFDB header(5) checksum: the
 * 16-bit sum of a signal's samples). `absent`: the source states none (DICOM has none).
 */
export type ChecksumStatus = 'ok' | 'mismatch' | 'absent';

/** Whether the first stored sample equals the header's initial value (WFDB header(5)). */
export type InitialValueStatus = 'ok' | 'mismatch' | 'absent';

export interface EcgSignal {
  /** The name as the source writes it (WFDB description, DICOM code meaning or label). */
  readonly name: string;
  /** The standard 12-lead name, or null for anything else (MLII, PLETH, ABP…). */
  readonly lead: StandardLead | null;
  /** Physical units as the source writes them (`mV`, `uV`, `NU`, `mmHg`). */
  readonly units: string;
  /** Samples per second of this signal (frame rate × samples per frame). */
  readonly samplingFrequency: number;
  /** Physical values ((digital − baseline) / gain); NaN for invalid samples and gaps. */
  readonly physical: Float64Array;
  /** Physical values of the lowest and highest codes the ADC can give, for saturation flags. */
  readonly physicalRange: readonly [number, number] | null;
  readonly checksum: ChecksumStatus;
  readonly initialValue: InitialValueStatus;
}

export type EcgSourceFormat =
  | { readonly kind: 'wfdb'; readonly storageFormats: readonly number[]; readonly matlab: boolean; readonly segments: number }
  | {
      readonly kind: 'dicom-waveform';
      readonly sopClassUid: string;
      readonly multiplexGroupLabel: string;
      readonly sampleInterpretation: string;
    };

export interface EcgRecord {
  readonly source: EcgSourceFormat;
  readonly recordName: string;
  /** Frames per second of the record. */
  readonly samplingFrequency: number;
  /** Frames of the record (samples per signal at one sample per frame). */
  readonly numberOfSamples: number;
  readonly signals: readonly EcgSignal[];
  /** Free-text comments (WFDB `#` lines), kept for the caller; may hold identifiers. */
  readonly comments: readonly string[];
  /** Key–value pairs from the comments (`Age`, `Sex`, `Dx` …). */
  readonly info: Readonly<Record<string, string>>;
  readonly demographics: EcgDemographics;
}

export interface EcgDemographics {
  /** Years; null when unknown. */
  readonly age: number | null;
  readonly sex: 'M' | 'F' | null;
  /** Diagnosis codes as the source writes them (PhysioNet 2021 `#Dx:` SNOMED CT codes). */
  readonly diagnosisCodes: readonly string[];
}

function lookup(info: Readonly<Record<string, string>>, key: string): string | undefined {
  const wanted = key.toLowerCase();
  for (const [name, value] of Object.entries(info)) if (name.toLowerCase() === wanted) return value;
  return undefined;
}

function parseSex(value: string | undefined): 'M' | 'F' | null {
  const text = value?.trim().toLowerCase();
  if (text === 'm' || text === 'male') return 'M';
  if (text === 'f' || text === 'female') return 'F';
  return null;
}

function parseAge(value: string | undefined): number | null {
  const match = value === undefined ? null : /^\s*(\d+(?:\.\d+)?)\s*$/.exec(value);
  return match ? Number(match[1]) : null;
}

/**
 * Age, sex and diagnosis codes from WFDB comments: `#Age: 74` / `#Sex: Male` / `#Dx: a,b` (PhysioNet
 * 2021), `<age>: 25 <sex>: M` (PTB), or MIT-BIH's first comment `69 M …`.
 */
export function demographicsFromComments(comments: readonly string[], info: Readonly<Record<string, string>>): EcgDemographics {
  let age = parseAge(lookup(info, 'age'));
  let sex = parseSex(lookup(info, 'sex'));
  if (age === null && sex === null) {
    for (const comment of comments) {
      const mit = /^(\d{1,3})\s+([MF])\b/.exec(comment.trim());
      if (mit) {
        age = Number(mit[1]);
        sex = mit[2] === 'M' ? 'M' : 'F';
        break;
      }
    }
  }
  const dx = lookup(info, 'dx');
  const diagnosisCodes = dx === undefined ? [] : dx.split(',').map((code) => code.trim()).filter((code) => code !== '' && code.toLowerCase() !== 'unknown');
  return { age, sex, diagnosisCodes };
}
