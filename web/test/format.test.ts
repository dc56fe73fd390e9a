/** How the record views turn server values into text and link targets. */
import { describe, expect, it } from 'vitest';
import { displayName, formatPath, formatValue, safeHttpHref } from '../src/views/format';

describe('format', () => {
  it('links only http(s) URIs: javascript:, data:, other schemes and relative text stay text', () => {
    expect(safeHttpHref('https://example.com/a?b=1')).toBe('https://example.com/a?b=1');
    expect(safeHttpHref('http://host/x')).toBe('http://host/x');
    for (const uri of ['javascript:alert(1)', 'JavaScript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>1</script>',
      'gs://taxi/model', 's3://b/k', 'file:///etc/passwd', '//evil.example/x', '/relative', '', null, undefined]) {
      expect(safeHttpHref(uri)).toBeNull();
    }
  });

  it('writes event paths as the API gives them, JSON values as indented text, unnamed nodes by id', () => {
    expect(formatPath([{ key: 'examples', index: null }, { index: 0, key: null }, { key: 'b', index: null }])).toBe('examples[0].b');
    expect(formatPath([])).toBe('—');
    expect(formatValue({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(formatValue('<b>x</b>')).toBe('<b>x</b>');
    expect(formatValue(0)).toBe('0');
    expect(formatValue(null)).toBe('—');
    expect(displayName({ id: '7', name: null })).toBe('#7');
    expect(displayName({ id: '7', name: '' })).toBe('#7');
    expect(displayName({ id: '7', name: 'm' })).toBe('m');
  });
});
