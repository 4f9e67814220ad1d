import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { escapeXml, fromXml, parseXml, toXml, XmlSyntaxError, type JsonValue } from './xml';
import { XML_MAPPING } from './georeport';

describe('toXml', () => {
  it('writes a declaration, nested lists with item names, empty elements for null', () => {
    const xml = toXml('service_requests', [{ service_request_id: '20261123-000001', service_notice: 'a < b & "c"', account_id: null }], XML_MAPPING);
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<service_requests>',
        '  <request>',
        '    <service_request_id>20261123-000001</service_request_id>',
        '    <service_notice>a &lt; b &amp; &quot;c&quot;</service_notice>',
        '    <account_id/>',
        '  </request>',
        '</service_requests>',
        '',
      ].join('\n'),
    );
  });

  it('refuses a list without an item name and an invalid element name', () => {
    expect(() => toXml('things', [1], XML_MAPPING)).toThrow(/no item name/);
    expect(() => toXml('a b', 'x', XML_MAPPING)).toThrow(/element name/);
  });

  it('replaces characters XML cannot carry', () => {
    expect(escapeXml('a\u0000b\u0007c\uFFFEd\uD800e')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(escapeXml('tab\tnl\ncr\r')).toBe('tab\tnl\ncr&#13;');
  });
});

describe('parseXml', () => {
  it('reads entities, character references, CDATA and comments', () => {
    const el = parseXml('<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><a x="1"><b>&lt;&#x4E2D;&#25991;&gt;</b><c><![CDATA[<raw>]]></c><d/></a>');
    expect(el.name).toBe('a');
    expect(el.children.map((c) => [c.name, c.text])).toEqual([['b', '<中文>'], ['c', '<raw>'], ['d', '']]);
  });

  it.each([
    ['<a><b></a></b>'],
    ['<a>'],
    ['<a></a><b></b>'],
    ['text'],
    ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'],
    ['<a>&bogus;</a>'],
  ])('rejects %s', (doc) => {
    expect(() => parseXml(doc)).toThrow(XmlSyntaxError);
  });
});

describe('fromXml', () => {
  it('maps back lists, numbers, booleans and null by the mapping', () => {
    const xml = toXml('services', [{ service_code: '001', metadata: false, group: null }], XML_MAPPING);
    expect(fromXml(parseXml(xml), XML_MAPPING)).toEqual([{ service_code: '001', metadata: false, group: null }]);
    const req = toXml('service_requests', [{ service_request_id: '1', lat: 36.068, long: 120.36 }], XML_MAPPING);
    expect(fromXml(parseXml(req), XML_MAPPING)).toEqual([{ service_request_id: '1', lat: 36.068, long: 120.36 }]);
  });

  it('rejects a foreign element in a list and a field given twice', () => {
    expect(() => fromXml(parseXml('<services><request/></services>'), XML_MAPPING)).toThrow(/may hold only/);
    expect(() => fromXml(parseXml('<x><a>1</a><a>2</a></x>'), XML_MAPPING)).toThrow(/twice/);
  });

  it('round-trips any text through escape and parse', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const back = fromXml(parseXml(toXml('errors', [{ code: 400, description: s }], XML_MAPPING)), XML_MAPPING) as { description: JsonValue }[];
        const expected = s.replace(
          // eslint-disable-next-line no-control-regex
          /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
          '\uFFFD',
        );
        expect(back[0]!.description).toBe(expected === '' ? null : expected);
      }),
      { numRuns: 500 },
    );
  });
});
