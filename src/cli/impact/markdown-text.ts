/**
 * Text from the store (node and type names, uris) made safe for Markdown that GitHub,
 * GitLab and the like render: a name can hold anything, and in a pull-request comment a
 * pipe would split a table cell, a backtick open code, a newline end the row, and HTML or
 * a link render as such. Every character outside letters, digits, space and `.,/=+-`
 * is written as a numeric character reference (`|` is `&#124;`): references are never
 * markup, table splitting does not see them, and they display as the character itself.
 * Nearly the server's rule for Mermaid labels (LineageGraph.mermaid); `:` is a reference
 * too, so that a name like `https://...` is not made a link, and `_` so that `_name_` is
 * not set in italics. Control and format characters (newlines, bidi overrides, zero-width
 * spaces) become one space each: a row is one line, and a reviewer must read what is there.
 */

const SAFE = /[\p{L}\p{N} .,/=+-]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;

/** `text` as literal Markdown inline text (see the module comment). */
export function markdownText(text: string): string {
  let out = '';
  for (const c of text) {
    if (INVISIBLE.test(c)) out += ' ';
    else out += SAFE.test(c) ? c : `&#${c.codePointAt(0)!};`;
  }
  return out;
}
