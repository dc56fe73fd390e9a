/**
 * The CLI's output module on its own: the default format (table on a terminal, JSON when
 * piped), and what tables, CSV and markdown make of hostile cell values.
 */
import { describe, expect, it } from 'vitest';
import { chooseFormat, markdownCell, renderCsv, renderMarkdown, renderTable, terminalText } from '../../src/cli/output/output.js';

describe('the output formats', () => {
  it('defaults to a table on a terminal and to JSON when piped, and refuses a format the command does not offer', () => {
    expect(chooseFormat(undefined, ['table', 'json'], true)).toBe('table');
    expect(chooseFormat(undefined, ['table', 'json'], false)).toBe('json');
    expect(chooseFormat(undefined, ['json', 'dot'], true)).toBe('json');
    expect(chooseFormat('dot', ['table', 'json', 'dot'], false)).toBe('dot');
    expect(() => chooseFormat('svg', ['table', 'json'], true)).toThrow('--format must be one of table, json, got "svg"');
  });

  it('keeps a markdown row one row: markup as character references, newlines and invisibles as visible escapes', () => {
    expect(markdownCell('a|b\nc\r\nd')).toBe('a&#124;b&#92;nc&#92;r&#92;nd');
    expect(markdownCell('<img src=x onerror=alert(1)> & **bold** `code` [link](javascript:x)')).toBe(
      '&#60;img src=x onerror=alert&#40;1&#41;&#62; &#38; &#42;&#42;bold&#42;&#42; &#96;code&#96; &#91;link&#93;&#40;javascript&#58;x&#41;',
    );
    expect(markdownCell('back\\slash')).toBe('back&#92;slash');
    // A bidi override would show "gpj.exe" as "exe.jpg" to a reviewer; an escape sequence and a zero-width space show as escapes.
    expect(markdownCell('model\u202egpj.exe\u001b[31m\u200b\t')).toBe('model&#92;u202egpj.exe&#92;x1b&#91;31m&#92;u200b&#92;t');
    expect(markdownCell(null)).toBe('-');
    expect(renderMarkdown({ columns: ['NAME', 'A|B'], rows: [['x|y', 1], [null, true]] })).toBe(
      '| NAME | A&#124;B |\n| --- | --- |\n| x&#124;y | 1 |\n| - | true |\n',
    );
  });

  it('writes CSV a spreadsheet will not run: formula-leading text prefixed, quotes and newlines quoted', () => {
    expect(renderCsv({ columns: ['NAME', 'N'], rows: [['=HYPERLINK("http://x")', -1], ['+1', 2], ['-x', 3], ['@SUM(A1)', 4], ['a,"b"\nc', 5], [null, 6]] })).toBe(
      'NAME,N\n"\'=HYPERLINK(""http://x"")",-1\n\'+1,2\n\'-x,3\n\'@SUM(A1),4\n"a,""b""\nc",5\n,6\n',
    );
  });

  it('shows control characters in table cells as escapes, so no value redraws the terminal or breaks a row', () => {
    expect(terminalText('red\u001b[31m\nnext\u2028\u0000')).toBe('red\\x1b[31m\\nnext\\u2028\\x00');
    expect(terminalText('model\u202egpj.exe\u200d\u{e0001}')).toBe('model\\u202egpj.exe\\u200d\\u{e0001}');
    const table = renderTable({ columns: ['A'], rows: [['x\ny']] });
    expect(table.split('\n').filter((l) => l.startsWith('│'))).toEqual(['│ A    │', '│ x\\ny │']);
  });
});
