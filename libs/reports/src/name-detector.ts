// Person names (patients, clinicians, family) in free-text reports. Reports name people in a few
// recurring ways, each with its own cue, which keeps clinical words — capitalized at a sentence start,
// or as departments — out of the scrub:
//   1. a title before the name: Dr. Smith, DR. JOHN SMITH, Mrs. O'Brien, NP Lee
//   2. a label before it: "Name: Smith, John", "Electronically signed by Jane Doe", "Attending: J. Roe"
//   3. a communication verb before it: "d/w Jane Doe", "per Smith", "called to John Carter at 10:00"
//   4. a credential after it: "Jane Doe, MD", "J. Roe R.N."
//   5. with no cue, a known first name followed by a surname ("John Carter was notified").
import { isFirstName, isKnownName, isNonNameWord, isSurname, isUnambiguousName } from './name-lexicon';
import type { PhiCandidate } from './phi-types';

const NAME_PRIORITY = 8;

// A name-shaped token: Smith, O'Brien, McDonald, Smith-Jones; or an initial (J. / J).
const TITLE_CASE = String.raw`[A-Z][a-z]*(?:['’]?[A-Z][a-z]+)*(?:-[A-Z][a-z]+)?`;
const UPPER_CASE = String.raw`[A-Z](?:['’]?[A-Z])+(?:-[A-Z]+)?`;
const INITIAL = String.raw`[A-Z]\.?`;

const STRONG_TITLES = String.raw`Dr|Drs|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof|Professor`;
const WEAK_TITLES = String.raw`NP|PA|RN|Nurse`;
// Labels ending in a preposition need no colon; noun labels do ("Attending: …", not "Attending physician …").
const BY_LABELS = String.raw`(?:electronically\s+)?(?:signed|dictated|transcribed|reviewed|read|verified|approved|performed|reported|confirmed|edited|interpreted|authenticated|entered|prepared|requested|ordered|referred|supervised|attested|cosigned|co-signed)\s+by`;
const COLON_LABELS = String.raw`name|patient(?:'s)?(?:\s+name)?|pt(?:\s+name)?|attending(?:\s+(?:physician|radiologist))?|radiologist|reading\s+radiologist|referring(?:\s+(?:physician|provider|doctor|md|clinician))?|ordering(?:\s+(?:physician|provider|md|clinician))?|requesting(?:\s+(?:physician|provider))?|physician|provider|clinician|technologist|tech|sonographer|resident|fellow|pcp|primary\s+care(?:\s+physician)?|cc|contact|emergency\s+contact|next\s+of\s+kin|nok|guardian|attn|attention|author|signer|interpreting\s+physician`;
// Relatives are named the same way ("son Michael at bedside", "wife Jane Doe called"), and so is the
// patient in running text ("Patient Lindqvist, Tomasz, MRN …").
const COMMUNICATION = String.raw`patient|pt\.?|by|son|daughter|wife|husband|spouse|partner|mother|father|sister|brother|niece|nephew|grandson|granddaughter|friend|hcp|health\s*care\s+proxy|d/w|w/|discussed\s+with|spoke\s+(?:with|to)|talked\s+(?:with|to)|called(?:\s+(?:to|in\s+to))?|paged|notified|informed|conveyed\s+to|communicated\s+to|relayed\s+to|reported\s+to|telephoned|per|c/w|confirmed\s+with|reviewed\s+with|consulted\s+with|ordered\s+by|referred\s+by|seen\s+by|evaluated\s+by|care\s+of|c/o`;
const ROLE_WORDS = String.raw`(?:(?:the|a|an)\s+)?(?:(?:covering|referring|ordering|primary|on-call|treating|attending|consulting|radiology|ed|er|icu|floor|night|day)\s+)*(?:nurse\s+practitioner|physician\s+assistant|charge\s+nurse|physician|provider|clinician|doctor|nurse|technologist|intern|resident|fellow|attending|house\s+officer|np|pa|rn|md)?,?\s*`;
const CREDENTIALS = String.raw`M\.D\.|MD|D\.O\.|DO|R\.N\.|RN|N\.P\.|NP|PA-C|PA|Ph\.D\.|PhD|RT\(R\)|RRT|RT|CRNA|FACR|MBBS|DNP|APRN|FNP|CNM|LPN|BSN|RDMS|RDCS`;
// Credentials that are also common report words ("PA and lateral", "DO not"): only after a comma.
const COMMA_ONLY_CREDENTIALS: ReadonlySet<string> = new Set(['PA', 'DO', 'RT']);

const TITLE_PATTERN = new RegExp(
  String.raw`\b(?<title>${STRONG_TITLES}|${WEAK_TITLES}|DR|DRS|MR|MRS|MS|DOCTOR|PROF|NURSE)(?:\.\s*|\s+)(?=[A-Z]|(?:van|von|de|der|den|del|della|di|da|du|la|le|al|bin|ibn|ten|ter)\s)`,
  'g',
);
const LABEL_PATTERN = new RegExp(String.raw`\b(?:${BY_LABELS}\s*:?\s*|(?:${COLON_LABELS})\s*:\s*)(?=[A-Z])`, 'gi');
const COMMUNICATION_PATTERN = new RegExp(
  String.raw`(?<![\w/])(?:${COMMUNICATION})\s+(?<role>${ROLE_WORDS})(?=[A-Z])`,
  'gi',
);
const CREDENTIAL_PATTERN = new RegExp(
  String.raw`\b(?<tokens>(?:(?:${TITLE_CASE}|${UPPER_CASE}|${INITIAL}),?\s+){0,3}(?:${TITLE_CASE}|${UPPER_CASE}))(?<comma>\s*,)?\s*(?<credential>${CREDENTIALS})(?![\w(])`,
  'g',
);
const PAIR_PATTERN = new RegExp(
  String.raw`\b(?<first>${TITLE_CASE})(?<comma>,)?\s+(?:(?<middle>${INITIAL})\s+)?(?<last>${TITLE_CASE})\b`,
  'g',
);

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly kind: 'title-case' | 'upper-case' | 'initial' | 'particle';
}

// Upper-case words first, then a dotted initial, so that "SMITH" is one token and "J." keeps its dot.
const TOKEN_AT = new RegExp(String.raw`(?:${UPPER_CASE}|[A-Z]\.|${TITLE_CASE})(?![A-Za-z0-9])`, 'y');
// Lower-case surname particles (van der Berg, de la Cruz), read only inside a name that a title or label
// introduced, and only when a capitalized part follows.
const PARTICLE_AT = /(?:van|von|de|der|den|del|della|di|da|du|la|le|al|bin|ibn|ten|ter)(?=[ \t]+(?:[a-z]+[ \t]+)?[A-Z])/y;
const TITLE_AT = /(?:Dr|Drs|Doctor|Mr|Mrs|Ms|Miss|Prof|DR|DRS|MR|MRS|MS)(?:\.\s*|\s+)(?=[A-Z])/y;

/** Position after a title ("Dr. ", "MRS "), or `position` when there is none. */
function skipTitle(text: string, position: number): number {
  TITLE_AT.lastIndex = position;
  return TITLE_AT.exec(text) === null ? position : TITLE_AT.lastIndex;
}

/** Reads up to `max` name tokens from `position`: "Smith", "John Q. Smith", "Smith, John", "SMITH, JOHN M". */
function readNameTokens(text: string, position: number, max: number, allowUpper: boolean, strongCue = false): Token[] {
  const keepInitial = strongCue;
  const tokens: Token[] = [];
  let at = position;
  let commaUsed = false;
  while (tokens.length < max) {
    TOKEN_AT.lastIndex = at;
    PARTICLE_AT.lastIndex = at;
    // A particle may open a name only after a strong cue ("Dr. van der Berg"); inside one it always may.
    const particle = strongCue || tokens.length > 0 ? PARTICLE_AT.exec(text) : null;
    const m = particle ?? TOKEN_AT.exec(text);
    if (m === null) break;
    const raw = m[0];
    const kind: Token['kind'] =
      particle !== null ? 'particle' : /^[A-Z]\.?$/.test(raw) ? 'initial' : /^[A-Z'’-]+$/.test(raw) ? 'upper-case' : 'title-case';
    if (kind === 'upper-case' && !allowUpper) break;
    // A word before a colon is the next field's label ("SMITH, JOHN  MRN: …"), not a name.
    if (text[at + raw.length] === ':') break;
    tokens.push({ text: raw, start: at, end: at + raw.length, kind });
    at += raw.length;
    // Continue over one space, or one "Last, First" comma; a wider gap or a line end ends the field.
    const gap = /^(?:,[ \t]?|[ \t])/.exec(text.slice(at, at + 2));
    if (gap === null) break;
    if (gap[0].startsWith(',')) {
      if (commaUsed) break;
      commaUsed = true;
    }
    at += gap[0].length;
  }
  // Drop trailing report words ("Dr. Smith Radiology") and a dangling initial-less tail.
  // A trailing bare capital is a word ("A", "I") unless the cue is strong ("JOHNSON, ROBERT A MD").
  const droppable = (t: Token) =>
    t.kind === 'particle' || (t.kind === 'initial' ? !keepInitial && /^[A-Z]$/.test(t.text) : isNonNameWord(t.text));
  while (tokens.length > 1 && droppable(tokens[tokens.length - 1])) tokens.pop();
  return tokens;
}

function spanOf(tokens: readonly Token[]): PhiCandidate {
  return { type: 'NAME', start: tokens[0].start, end: tokens[tokens.length - 1].end, priority: NAME_PRIORITY };
}

function isNameShaped(token: Token): boolean {
  return (token.kind === 'title-case' || token.kind === 'upper-case') && !isNonNameWord(token.text);
}

/** Names found by every cue, possibly overlapping (the scrubber keeps the longest). */
export function findNames(text: string): PhiCandidate[] {
  const found: PhiCandidate[] = [];
  const lowercaseWords = new Set(text.match(/\b[a-z][a-z'’-]+\b/g) ?? []);
  const usedAsWord = (token: Token) => lowercaseWords.has(token.text.toLowerCase());

  // 1. Titles. A title written as a title (Dr., Mrs, Prof) names whoever follows; bare upper-case or
  // role titles (MS Contin, MR angiography, PA chest, NP) need a follower that is a known name.
  for (const m of text.matchAll(TITLE_PATTERN)) {
    const title = m.groups?.title ?? '';
    const dotted = m[0].startsWith(`${title}.`);
    const strong = new RegExp(`^(?:${STRONG_TITLES})$`).test(title) || (dotted && !/^(?:PA|NP|RN)$/.test(title));
    const tokens = readNameTokens(text, m.index + m[0].length, 5, true, strong);
    if (tokens.length === 0 || (tokens[0].kind === 'initial' && tokens.length === 1)) continue;
    if (strong) {
      if ((tokens[0].kind === 'title-case' || tokens[0].kind === 'upper-case') && isNonNameWord(tokens[0].text)) continue;
      // "Drs. Hayes and Ortiz": each further name after "and" or a comma.
      if (/^(?:Drs|DRS)$/.test(title)) found.push(...furtherNames(text, tokens[tokens.length - 1].end));
    } else {
      const known = tokens.some((t) => isUnambiguousName(t.text));
      if (!known || !tokens.every((t) => t.kind === 'initial' || isNameShaped(t))) continue;
    }
    found.push(spanOf(tokens));
  }

  // 2. Labels: whatever name-shaped text the label introduces.
  for (const m of text.matchAll(LABEL_PATTERN)) {
    const named = readNameTokens(text, skipTitle(text, m.index + m[0].length), 5, true, true);
    if (named.length === 0 || (named.length === 1 && isNonNameWord(named[0].text))) continue;
    if (named.every((t) => isNonNameWord(t.text))) continue;
    found.push(spanOf(named));
  }

  // 3. Communication verbs: two name-shaped tokens, or one known name.
  for (const m of text.matchAll(COMMUNICATION_PATTERN)) {
    const tokens = readNameTokens(text, skipTitle(text, m.index + m[0].length), 5, false);
    if (tokens.length === 0 || !isNameShaped(tokens[0])) continue;
    const nameTokens = tokens.filter((t) => t.kind === 'initial' || t.kind === 'particle' || isNameShaped(t));
    if (nameTokens.length !== tokens.length) continue;
    const words = tokens.filter((t) => t.kind === 'title-case' || t.kind === 'upper-case');
    // After a role word ("the covering nurse Lee", "Nurse Practitioner Lee") one name-shaped word is enough.
    const afterRole = /(?:practitioner|assistant|physician|provider|clinician|doctor|nurse|technologist|intern|resident|fellow|officer|np|pa|rn|md),?\s*$/i.test(m.groups?.role ?? '');
    // "by" and "patient" also precede title-case phrases ("Caused by Staphylococcus Aureus"): there the
    // name must be written "Last, First" or hold a known name.
    const weakCue = /^(?:patient|pt\.?|by)\b/i.test(m[0]);
    const commaForm = text.slice(tokens[0].end, tokens[0].end + 1) === ',';
    if (weakCue && !afterRole && !commaForm && !tokens.some((t) => isKnownName(t.text))) continue;
    if (words.length >= 2 || afterRole || isUnambiguousName(tokens[0].text) || (!usedAsWord(tokens[0]) && /^(?:d\/w|per|paged|notified|called)/i.test(m[0]) && words.length === 1 && isSurname(tokens[0].text))) {
      found.push(spanOf(tokens));
    }
  }

  // 4. Credentials after the name.
  for (const m of text.matchAll(CREDENTIAL_PATTERN)) {
    const credential = m.groups?.credential ?? '';
    const hasComma = m.groups?.comma !== undefined;
    if (COMMA_ONLY_CREDENTIALS.has(credential) && !hasComma) continue;
    const tokensText = m.groups?.tokens ?? '';
    let tokens = readNameTokens(text, m.index, 4, hasComma || /\./.test(credential), true).filter((t) => t.end <= m.index + tokensText.length);
    // Sentence-initial and report words before the name are not part of it ("Reviewed John Smith, MD").
    while (tokens.length > 0 && tokens[0].kind !== 'initial' && isNonNameWord(tokens[0].text)) tokens = tokens.slice(1);
    while (tokens.length > 0 && tokens[0].kind === 'initial' && tokens.length > 1 && isNonNameWord(tokens[1].text)) tokens = tokens.slice(2);
    if (tokens.length === 0 || !tokens.every((t) => t.kind === 'initial' || isNameShaped(t))) continue;
    const words = tokens.filter((t) => t.kind === 'title-case' || t.kind === 'upper-case');
    if (words.length === 0) continue;
    if (words.length === 1 && !hasComma && !isUnambiguousName(words[0].text) && tokens.length === 1) continue;
    found.push(spanOf(tokens));
  }

  // 5. A known first name with a surname, or a surname with a known first name ("Smith, John").
  // Pairs overlap ("Patient John Doe": "Patient John" fails, "John Doe" must still be tried).
  PAIR_PATTERN.lastIndex = 0;
  for (let m = PAIR_PATTERN.exec(text); m !== null; m = PAIR_PATTERN.exec(text)) {
    PAIR_PATTERN.lastIndex = m.index + (m.groups?.first ?? ' ').length;
    const first = m.groups?.first ?? '';
    const last = m.groups?.last ?? '';
    if (isNonNameWord(first) || isNonNameWord(last)) continue;
    const lastLower = lowercaseWords.has(last.toLowerCase());
    const firstLower = lowercaseWords.has(first.toLowerCase());
    const comma = m.groups?.comma !== undefined;
    const forward = !comma && isFirstName(first) && isUnambiguousName(first) && !lastLower;
    const backward = isSurname(first) && isUnambiguousName(first) && isFirstName(last) && !firstLower;
    const bySurname = !comma && isSurname(last) && isUnambiguousName(last) && isFirstName(first) && !firstLower;
    if (forward || backward || bySurname) found.push({ type: 'NAME', start: m.index, end: m.index + m[0].length, priority: NAME_PRIORITY });
  }
  return found;
}

const FURTHER_NAME = /^(?:\s*,\s*|\s+and\s+|\s*&\s*)/;

/** The names after the first in "Drs. Hayes, Ortiz and Lee". */
function furtherNames(text: string, position: number): PhiCandidate[] {
  const more: PhiCandidate[] = [];
  let at = position;
  for (;;) {
    const joint = FURTHER_NAME.exec(text.slice(at, at + 8));
    if (joint === null) break;
    const tokens = readNameTokens(text, at + joint[0].length, 3, true, true);
    if (tokens.length === 0 || !tokens.some(isNameShaped)) break;
    more.push(spanOf(tokens));
    at = tokens[tokens.length - 1].end;
  }
  return more;
}
