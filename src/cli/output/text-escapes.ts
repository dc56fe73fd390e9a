/**
 * How the CLI writes text from the store (node and type names, uris), which can hold
 * anything, where it would otherwise be read as something else: one rule for terminals
 * and one for Markdown, sharing what counts as invisible.
 */

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control and format characters: line breaks, ANSI escapes, bidi overrides (U+202E), zero-width ones. */
export const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;
const IS_INVISIBLE = /^[\p{Cc}\p{Cf}\u2028\u2029]$/u;

/** `c` as an escape a reader sees: \n, \x1b, \u202e, \u{e0001}. */
export function visibleEscape(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.codePointAt(0)!;
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`;
  return code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\u{${code.toString(16)}}`;
}

/** Left as they are in Markdown: nothing here is markup in GitHub's or GitLab's flavour. */
const SAFE = /^[\p{L}\p{N} .,/=+-]$/u;

/**
 * `text` as literal Markdown inline text, for a table cell or a pull-request comment. A
 * pipe would split a table cell, a backtick open code, a newline end the row, and HTML or
 * a link render as such: every character outside letters, digits, space and `.,/=+-` is
 * written as a numeric character reference (`|` is `&#124;`), which is never markup, is
 * not seen by table splitting and displays as the character itself. `:` is one too, so
 * `https://...` is not made a link, and `_`, so `_name_` is not set in italics. Control
 * and format characters (a newline, a bidi override that would show a name reversed to a
 * reviewer, a zero-width space) are shown as their escapes, as in terminal tables.
 */
export function markdownText(text: string): string {
  let out = '';
  for (const c of text) {
    if (IS_INVISIBLE.test(c)) out += markdownText(visibleEscape(c));
    else out += SAFE.test(c) ? c : `&#${c.codePointAt(0)!};`;
  }
  return out;
}
