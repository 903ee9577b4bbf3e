// Scores a report scrubber against reports with known identifiers (issue 5 "Done when"): per kind of
// identifier, recall (an identifier counts only when all of it is scrubbed AND a span of the right kind
// covers it) and precision (a scrubbed span counts when it touches an identifier of its kind), and the
// share of the tokens of the PHI-free sentences that survive. Only kinds and offsets are reported.
import { PHI_TYPES, type PhiSpan, type PhiType } from './phi-types';
import { scrubPhi, type ScrubbedReport } from './scrub-phi';

export interface TruthSpan {
  /** A placeholder kind (NAME, DATE, …) or a finer truth label: MRN, ACCESSION, ACCOUNT, SSN → ID. */
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

export interface ScrubberCase {
  readonly text: string;
  readonly phi: readonly TruthSpan[];
  /** [start, end) of sentences that hold no identifier: their tokens should all survive. */
  readonly phiFree?: readonly { readonly start: number; readonly end: number }[];
}

export type Scrubber = (text: string) => ScrubbedReport;

export interface TypeScore {
  /** Identifiers of this kind in the truth. */
  readonly support: number;
  /** Of them, scrubbed completely under a span of this kind. */
  readonly found: number;
  /** Spans of this kind the scrubber produced. */
  readonly predicted: number;
  /** Of them, touching an identifier of this kind. */
  readonly correct: number;
  /** null when nothing of this kind was predicted. */
  readonly precision: number | null;
  /** null when the truth holds none of this kind. */
  readonly recall: number | null;
}

export interface ScrubberEvaluation {
  readonly byType: Readonly<Record<PhiType, TypeScore>>;
  readonly overall: TypeScore;
  readonly survival: { readonly tokens: number; readonly survived: number; readonly rate: number | null };
  /** Identifiers not scrubbed as their kind: case index, kind, offsets (never the text). */
  readonly misses: readonly { readonly caseIndex: number; readonly type: PhiType; readonly start: number; readonly end: number }[];
}

const TRUTH_ALIASES: Readonly<Record<string, PhiType>> = {
  MRN: 'ID', ACCESSION: 'ID', ACCOUNT: 'ID', SSN: 'ID', RECORD: 'ID', MEDICAL_RECORD: 'ID',
  AGE_90_PLUS: 'AGE', STREET: 'ADDRESS', LOCATION: 'ADDRESS', HOSPITAL: 'INSTITUTION', PAGER: 'PHONE', WEB: 'URL',
};

export function truthType(label: string): PhiType {
  const upper = label.toUpperCase();
  if ((PHI_TYPES as readonly string[]).includes(upper)) return upper as PhiType;
  const alias = TRUTH_ALIASES[upper];
  if (alias === undefined) throw new RangeError(`unknown identifier type ${label}`);
  return alias;
}

/** A ZIP written inside an address counts for either kind; all other kinds must match exactly. */
function compatible(truth: PhiType, predicted: PhiType): boolean {
  if (truth === predicted) return true;
  return (truth === 'ADDRESS' && predicted === 'ZIP') || (truth === 'ZIP' && predicted === 'ADDRESS');
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }) => a.start < b.end && b.start < a.end;

const TOKEN = /[\p{L}\p{N}]+(?:[.'’/-][\p{L}\p{N}]+)*/gu;

export function evaluateScrubber(cases: readonly ScrubberCase[], scrubber: Scrubber = (text) => scrubPhi(text)): ScrubberEvaluation {
  const counts = Object.fromEntries(PHI_TYPES.map((t) => [t, { support: 0, found: 0, predicted: 0, correct: 0 }])) as Record<
    PhiType,
    { support: number; found: number; predicted: number; correct: number }
  >;
  const misses: { caseIndex: number; type: PhiType; start: number; end: number }[] = [];
  let tokens = 0;
  let survived = 0;

  cases.forEach((c, caseIndex) => {
    const result = scrubber(c.text);
    const truth = c.phi.map((t) => ({ type: truthType(t.type), start: t.start, end: t.end }));
    for (const t of truth) {
      const tally = counts[t.type];
      tally.support += 1;
      const touching = result.spans.filter((s) => overlaps(s, t));
      if (fullyCovered(c.text, identifyingPart(c.text, t), touching) && touching.some((s) => compatible(t.type, s.type))) tally.found += 1;
      else misses.push({ caseIndex, ...t });
    }
    for (const s of result.spans) {
      const tally = counts[s.type];
      tally.predicted += 1;
      if (truth.some((t) => overlaps(s, t) && compatible(t.type, s.type))) tally.correct += 1;
    }
    const outputTokens = new Map<string, number>();
    for (const m of result.text.matchAll(TOKEN)) outputTokens.set(m[0], (outputTokens.get(m[0]) ?? 0) + 1);
    for (const sentence of c.phiFree ?? []) {
      for (const m of c.text.slice(sentence.start, sentence.end).matchAll(TOKEN)) {
        tokens += 1;
        const at = { start: sentence.start + m.index, end: sentence.start + m.index + m[0].length };
        const left = outputTokens.get(m[0]) ?? 0;
        // A token survives when no span scrubbed it and the output still holds it.
        if (left > 0 && !result.spans.some((s) => overlaps(s, at))) {
          survived += 1;
          outputTokens.set(m[0], left - 1);
        }
      }
    }
  });

  const score = (t: { support: number; found: number; predicted: number; correct: number }): TypeScore => ({
    ...t,
    precision: t.predicted === 0 ? null : t.correct / t.predicted,
    recall: t.support === 0 ? null : t.found / t.support,
  });
  const total = { support: 0, found: 0, predicted: 0, correct: 0 };
  for (const t of Object.values(counts)) {
    total.support += t.support;
    total.found += t.found;
    total.predicted += t.predicted;
    total.correct += t.correct;
  }
  const byType = Object.fromEntries(PHI_TYPES.map((t) => [t, score(counts[t])])) as Record<PhiType, TypeScore>;
  return { byType, overall: score(total), survival: { tokens, survived, rate: tokens === 0 ? null : survived / tokens }, misses };
}

// A title or credential written inside a truth NAME span ("Dr. Maria Okafor", "Jane Doe, MD") does not
// identify anyone; a scrubber that keeps it ("Dr. [NAME]") has still removed the name.
const LEADING_TITLE = /^(?:(?:Dr|Drs|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor)\.?\s+)/i;
const TRAILING_CREDENTIAL = /,?\s+(?:M\.D\.|MD|D\.O\.|DO|R\.N\.|RN|N\.P\.|NP|PA-C|PA|Ph\.D\.|PhD)$/;

function identifyingPart(text: string, truth: { type: PhiType; start: number; end: number }): { start: number; end: number } {
  if (truth.type !== 'NAME') return truth;
  const written = text.slice(truth.start, truth.end);
  const lead = LEADING_TITLE.exec(written)?.[0].length ?? 0;
  const trail = TRAILING_CREDENTIAL.exec(written.slice(lead))?.[0].length ?? 0;
  return lead + trail >= written.length ? truth : { start: truth.start + lead, end: truth.end - trail };
}

/** Every non-space character of the identifier lies inside some scrubbed span. */
function fullyCovered(text: string, truth: { start: number; end: number }, spans: readonly PhiSpan[]): boolean {
  for (let i = truth.start; i < truth.end; i += 1) {
    if (/\s/.test(text[i])) continue;
    if (!spans.some((s) => s.start <= i && i < s.end)) return false;
  }
  return true;
}
