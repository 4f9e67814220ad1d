/**
 * A small, strict XML writer and reader for GeoReport v2 documents (pure: no I/O).
 *
 * GeoReport v2 JSON is the "Spark convention" mapping of its XML: an object is an element with
 * one child element per field, a list is an element whose children all carry the list's item
 * name, `null` is an empty element. `XmlMapping` names the list items (and which leaves are
 * numbers or booleans) so one table drives both directions: `toXml` writes a response and
 * `fromXml` reads one back into the JSON value, which the tests validate with the very same
 * schema as the JSON response.
 *
 * The reader handles what the writer produces and what Open311 servers send: a declaration,
 * elements, attributes (ignored), text, CDATA, comments, the five predefined entities and
 * numeric character references. It rejects DTDs and malformed nesting.
 */

export type JsonLeaf = string | number | boolean | null;
export type JsonValue = JsonLeaf | JsonValue[] | { [key: string]: JsonValue };

export interface XmlMapping {
  /** List element name → item element name (`endpoints` → `endpoint`). */
  lists: Readonly<Record<string, string>>;
  /** `parent.field` leaves read back as numbers (`request.lat`, `error.code`). */
  numbers: ReadonlySet<string>;
  /** `parent.field` leaves read back as booleans (`service.metadata`). */
  booleans: ReadonlySet<string>;
}

// ---- writing ------------------------------------------------------------------------------------

/** Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/F). */
// eslint-disable-next-line no-control-regex
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML_CHAR, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // A bare CR would be normalised away by any parser: keep it as a reference.
    .replace(/\r/g, '&#13;');
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function assertName(name: string): void {
  if (!NAME.test(name) || /^xml/i.test(name)) throw new Error(`not an XML element name: ${name}`);
}

function writeElement(out: string[], name: string, value: JsonValue | undefined, map: XmlMapping, indent: string): void {
  assertName(name);
  if (value === null || value === undefined) {
    out.push(`${indent}<${name}/>`);
    return;
  }
  if (Array.isArray(value)) {
    const item = map.lists[name];
    if (!item) throw new Error(`no item name for list <${name}>`);
    if (value.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const v of value) writeElement(out, item, v, map, `${indent}  `);
    out.push(`${indent}</${name}>`);
    return;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) {
      out.push(`${indent}<${name}/>`);
      return;
    }
    out.push(`${indent}<${name}>`);
    for (const [k, v] of entries) writeElement(out, k, v, map, `${indent}  `);
    out.push(`${indent}</${name}>`);
    return;
  }
  const text = typeof value === 'string' ? value : String(value);
  out.push(text === '' ? `${indent}<${name}/>` : `${indent}<${name}>${escapeXml(text)}</${name}>`);
}

/** A whole UTF-8 document whose root element is `root` holding `value`. */
export function toXml(root: string, value: JsonValue, map: XmlMapping): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  writeElement(out, root, value, map, '');
  return `${out.join('\n')}\n`;
}

// ---- reading ------------------------------------------------------------------------------------

export interface XmlElement {
  name: string;
  children: XmlElement[];
  /** The concatenated character data directly inside the element. */
  text: string;
}

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly at: number) {
    super(`${message} at ${at}`);
    this.name = 'XmlSyntaxError';
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(raw: string, at: number): string {
  return raw.replace(/&([^;&\s]{0,12});/g, (_m, ref: string) => {
    if (ref in ENTITIES) return ENTITIES[ref]!;
    const m = /^#(x[0-9A-Fa-f]{1,6}|[0-9]{1,7})$/.exec(ref);
    if (!m) throw new XmlSyntaxError(`unknown entity &${ref};`, at);
    const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    if (cp > 0x10ffff) throw new XmlSyntaxError(`bad character reference &${ref};`, at);
    return String.fromCodePoint(cp);
  });
}

/** Parse a document into its root element. Containers keep stray whitespace in `text`; `fromXml` ignores it. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const s = source.replace(/^\uFEFF/, '');
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(s.slice(i))![0].length;
      i += ws;
      if (s.startsWith('<?', i)) {
        const end = s.indexOf('?>', i);
        if (end < 0) throw new XmlSyntaxError('unterminated processing instruction', i);
        i = end + 2;
      } else if (s.startsWith('<!--', i)) {
        const end = s.indexOf('-->', i);
        if (end < 0) throw new XmlSyntaxError('unterminated comment', i);
        i = end + 3;
      } else return;
    }
  };
  skipMisc();
  if (s.startsWith('<!DOCTYPE', i)) throw new XmlSyntaxError('DTDs are not accepted', i);
  while (i < s.length) {
    if (stack.length === 0) {
      if (root) {
        skipMisc();
        if (i < s.length) throw new XmlSyntaxError('content after the root element', i);
        break;
      }
      if (s[i] !== '<') throw new XmlSyntaxError('expected the root element', i);
    }
    if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i);
      if (end < 0) throw new XmlSyntaxError('unterminated comment', i);
      i = end + 3;
    } else if (s.startsWith('<![CDATA[', i)) {
      const end = s.indexOf(']]>', i);
      if (end < 0 || stack.length === 0) throw new XmlSyntaxError('bad CDATA section', i);
      stack.at(-1)!.text += s.slice(i + 9, end);
      i = end + 3;
    } else if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i);
      if (end < 0) throw new XmlSyntaxError('unterminated processing instruction', i);
      i = end + 2;
    } else if (s.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(s.slice(i));
      const open = stack.pop();
      if (!m || !open || open.name !== m[1]) throw new XmlSyntaxError(`mismatched end tag ${m?.[1] ?? ''}`, i);
      i += m[0].length;
      if (stack.length === 0) root = open;
    } else if (s[i] === '<') {
      const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(s.slice(i));
      if (!m) throw new XmlSyntaxError('malformed start tag', i);
      const el: XmlElement = { name: m[1]!, children: [], text: '' };
      if (stack.length > 0) stack.at(-1)!.children.push(el);
      else if (root) throw new XmlSyntaxError('a second root element', i);
      i += m[0].length;
      if (m[3] === '/') {
        if (stack.length === 0) root = el;
      } else stack.push(el);
    } else {
      const end = s.indexOf('<', i);
      const raw = s.slice(i, end < 0 ? s.length : end);
      if (stack.length === 0) throw new XmlSyntaxError('text outside the root element', i);
      if (raw.includes(']]>')) throw new XmlSyntaxError(']]> in text', i);
      stack.at(-1)!.text += decodeEntities(raw, i);
      i = end < 0 ? s.length : end;
    }
  }
  if (stack.length > 0 || !root) throw new XmlSyntaxError('unclosed element', i);
  return root;
}

/**
 * The JSON value an element stands for, by the mapping: a list element gives an array (its
 * children must all be the item element), an element with children an object (no field twice),
 * a leaf its text — `null` when empty, a number or boolean where the mapping says so.
 */
export function fromXml(el: XmlElement, map: XmlMapping, parent = ''): JsonValue {
  const item = map.lists[el.name];
  if (item !== undefined) {
    if (el.text.trim() !== '') throw new Error(`<${el.name}> is a list but holds text`);
    return el.children.map((c) => {
      if (c.name !== item) throw new Error(`<${el.name}> may hold only <${item}>, found <${c.name}>`);
      return fromXml(c, map, el.name);
    });
  }
  if (el.children.length > 0) {
    if (el.text.trim() !== '') throw new Error(`<${el.name}> mixes text and elements`);
    const out: Record<string, JsonValue> = {};
    for (const c of el.children) {
      if (c.name in out) throw new Error(`<${el.name}> holds <${c.name}> twice`);
      out[c.name] = fromXml(c, map, el.name);
    }
    return out;
  }
  const text = el.text;
  if (text === '') return null;
  const key = `${parent}.${el.name}`;
  if (map.numbers.has(key)) {
    const n = Number(text.trim());
    if (!Number.isFinite(n) || text.trim() === '') throw new Error(`<${el.name}> is not a number: ${text}`);
    return n;
  }
  if (map.booleans.has(key)) {
    if (text.trim() === 'true') return true;
    if (text.trim() === 'false') return false;
    throw new Error(`<${el.name}> is not true or false: ${text}`);
  }
  return text;
}
