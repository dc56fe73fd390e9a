/**
 * The CSV export: RFC 4180 quoting and spreadsheet formula neutralisation, with the
 * hardening issue's hostile strings.
 */
import { describe, expect, it } from 'vitest';
import { HOSTILE_TEXT } from '../../test/hardening/fuzz-operations';
import { csvField, toCsv } from '../src/views/csv';
import { parseCsv } from '../../test/explorer/record-view-checks';

describe('csv', () => {
  it('quotes per RFC 4180 and reads back every hostile string unchanged (but for a formula guard)', () => {
    const names = [...HOSTILE_TEXT, 'a,b', 'say "hi"', 'two\nlines', 'cr\rlf\r\n', '<img src=x onerror="window.__pwned=1">'];
    const text = toCsv([['name', 'n'], ...names.map((n, i) => [n, i])]);
    const back = parseCsv(text);
    expect(back[0]).toEqual(['name', 'n']);
    expect(back.slice(1).map((r) => r[0])).toEqual(names.map((n) => (/^[=+\-@\t\r]/.test(n) ? `'${n}` : n)));
    expect(back.slice(1).map((r) => Number(r[1]))).toEqual(names.map((_, i) => i));
  });

  it('neutralises a leading =, +, -, @, tab or CR in text so a spreadsheet shows it instead of computing it', () => {
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvField('+1+1')).toBe("'+1+1");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('a=1')).toBe('a=1');
    // a number is a number: a negative distance or count stays summable
    expect(csvField(-1)).toBe('-1');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(true)).toBe('true');
  });

  it('ends every record with CRLF and quotes only where needed', () => {
    expect(toCsv([['a', 'b c', 'd,e'], ['"', '', 'x\ny']])).toBe('a,b c,"d,e"\r\n"""",,"x\ny"\r\n');
  });
});
