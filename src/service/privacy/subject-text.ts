/**
 * Free text tied to a data subject (an erasure request's reason, an item's note) is stored
 * in clear, so it must not carry the subject's identifier, in any spelling: "Anna.Z@Example.org",
 * "anna z example org" and "ANNA-Z@EXAMPLE.ORG" are the same person. Text and identifier are
 * compared folded: compatibility forms and accents removed, lower case, only letters and
 * digits kept. The identifier itself is stored nowhere, so a request keeps a print of it
 * (a keyed hash of the folded identifier and its folded length) to check text given later.
 */
import { InvalidArgumentError } from '../../graph/errors.js';
import type { SubjectTextPrint } from '../../graph/privacy-store.js';
import type { SubjectKey } from './subject-key.js';

/** Text as it is compared with an identifier: NFKD without marks, lower case, letters and digits only. */
export const foldText = (text: string): string =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** Domain separation: a print never equals the registration hash of some other identifier. */
const PRINT_PREFIX = 'subject-text:';

/** The print of an identifier, or null when it folds to nothing (it is then checked as written only). */
export function subjectTextPrint(key: SubjectKey, subjectId: string): SubjectTextPrint | null {
  const folded = foldText(subjectId);
  return folded.length === 0 ? null : { hash: key.hash(PRINT_PREFIX + folded), length: folded.length };
}

/** The refusal; it names the field and the rule, never the identifier or the text. */
const carriesIdentifier = (field: string): InvalidArgumentError => new InvalidArgumentError(
  `${field} must not contain the data subject's identifier (compared ignoring case, spaces, punctuation and accents): free text is stored in clear`,
  field,
);

/** Refuses `text` (BAD_USER_INPUT on `field`) when it holds `subjectId`, as written or folded. */
export function requireFreeOfSubjectId(text: string, subjectId: string, field: string): void {
  const folded = foldText(subjectId);
  if (text.includes(subjectId) || (folded.length > 0 && foldText(text).includes(folded))) throw carriesIdentifier(field);
}

/**
 * Refuses `text` when any stretch of it, folded, has the print's hash: one keyed hash per
 * position of the folded text (4,096 at most for the longest text), each of the print's length.
 */
export function requireFreeOfPrint(text: string, print: SubjectTextPrint | null, key: SubjectKey | null, field: string): void {
  if (print === null || key === null) return;
  const folded = foldText(text);
  for (let i = 0; i + print.length <= folded.length; i += 1) {
    if (key.hash(PRINT_PREFIX + folded.slice(i, i + print.length)) === print.hash) throw carriesIdentifier(field);
  }
}
