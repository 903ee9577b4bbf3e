// The word lists behind name detection, kept as data in ./data (see each file's $comment). They are
// evidence, never a verdict on their own: a name is scrubbed when a title, a label, a communication
// verb, a credential or a first-name + surname pair points at it.
import ambiguousNames from './data/ambiguous-names.json';
import firstNames from './data/first-names.json';
import nonNameWords from './data/non-name-words.json';
import surnames from './data/surnames.json';

const FIRST_NAMES: ReadonlySet<string> = new Set(firstNames.names);
const SURNAMES: ReadonlySet<string> = new Set(surnames.names);
const AMBIGUOUS: ReadonlySet<string> = new Set(ambiguousNames.names);
const NON_NAME_WORDS: ReadonlySet<string> = new Set(nonNameWords.words);

const key = (token: string) => token.toLowerCase().replace(/[’]/g, "'").replace(/\.$/, '');

export const isFirstName = (token: string) => FIRST_NAMES.has(key(token));
export const isSurname = (token: string) => SURNAMES.has(key(token));
/** A known name that is not also an everyday word (May, Mark, Hope, Brown …). */
export const isUnambiguousName = (token: string) =>
  (FIRST_NAMES.has(key(token)) || SURNAMES.has(key(token))) && !AMBIGUOUS.has(key(token));
/** Report vocabulary (anatomy, departments, section words, sentence starters): not part of a name. */
export const isNonNameWord = (token: string) => NON_NAME_WORDS.has(key(token));
/** Any listed name, everyday-word names included: weak evidence, used only beside a cue. */
export const isKnownName = (token: string) => FIRST_NAMES.has(key(token)) || SURNAMES.has(key(token)) || AMBIGUOUS.has(key(token));
