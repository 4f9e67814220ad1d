/**
 * Reading a boundary file a clerk exported from a map tool. Everything that can go wrong before
 * the import proper gets a sentence the clerk can act on: the file is missing, unreadable, a
 * folder, empty, too large, not UTF-8 (GBK exports are common), or not JSON — and then where.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from './errors';

export const MAX_GEOJSON_BYTES = 200 * 1024 * 1024;

export interface GeoJsonFile {
  path: string;
  bytes: number;
  collection: unknown;
  /** Set when the file was a bare array of Features, read as a FeatureCollection. */
  note?: { zh: string; en: string };
}

const fail = (code: string, zh: string, en: string, details?: unknown) => new CliError(code, { zh, en }, details);

export async function readGeoJsonFile(file: string, maxBytes = MAX_GEOJSON_BYTES): Promise<GeoJsonFile> {
  const full = path.resolve(file);
  let size: number;
  try {
    const s = await stat(full);
    if (s.isDirectory()) throw fail('not_a_file', `“${file}”是一个目录，不是文件`, `"${file}" is a directory, not a file`);
    if (!s.isFile()) throw fail('not_a_file', `“${file}”不是普通文件`, `"${file}" is not a regular file`);
    size = s.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw fsError(e, file);
  }
  if (size > maxBytes) {
    throw fail(
      'file_too_large',
      `文件过大（${mb(size)}），上限为 ${mb(maxBytes)}；请按街道或社区拆分后分批导入`,
      `The file is too large (${mb(size)}); the limit is ${mb(maxBytes)}. Split it (per subdistrict or community) and import the parts`,
      { bytes: size, limit: maxBytes },
    );
  }
  let buffer: Buffer;
  try {
    buffer = await readFile(full);
  } catch (e) {
    throw fsError(e, file);
  }
  let text: string;
  try {
    // fatal: reject bytes that are not UTF-8; a leading BOM is dropped.
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw fail(
      'not_utf8',
      `文件“${file}”不是 UTF-8 编码（可能是 GBK）；可先转换：iconv -f GBK -t UTF-8 原文件 > 新文件`,
      `The file "${file}" is not UTF-8 encoded (GBK?); convert it first: iconv -f GBK -t UTF-8 in > out`,
    );
  }
  if (!/\S/.test(text)) throw fail('file_empty', `文件“${file}”是空的`, `The file "${file}" is empty`);
  let collection: unknown;
  try {
    collection = JSON.parse(text);
  } catch (e) {
    const offset = findJsonErrorOffset(text);
    const where = offset === null ? null : lineAndColumn(text, offset);
    const reason = e instanceof Error ? e.message : String(e);
    if (!where) {
      throw fail('not_json', `文件“${file}”不是合法的 JSON：${reason}`, `The file "${file}" is not valid JSON: ${reason}`);
    }
    const excerpt = excerptAt(text, offset!);
    throw fail(
      'not_json',
      `文件“${file}”不是合法的 JSON：第 ${where.line} 行第 ${where.column} 列附近有错误：${excerpt}`,
      `The file "${file}" is not valid JSON: error at line ${where.line}, column ${where.column}: ${excerpt}`,
      { line: where.line, column: where.column, offset },
    );
  }
  if (Array.isArray(collection) && collection.length > 0 && collection.every((f) => isFeature(f))) {
    return {
      path: full,
      bytes: size,
      collection: { type: 'FeatureCollection', features: collection },
      note: {
        zh: '文件是 Feature 数组，按 FeatureCollection 读取',
        en: 'the file is an array of Features; read as a FeatureCollection',
      },
    };
  }
  return { path: full, bytes: size, collection };
}

const isFeature = (f: unknown) => !!f && typeof f === 'object' && (f as { type?: unknown }).type === 'Feature';

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

function fsError(e: unknown, file: string): CliError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return fail('file_not_found', `文件不存在：${file}`, `File not found: ${file}`);
  if (code === 'EACCES' || code === 'EPERM') {
    return fail('file_unreadable', `没有权限读取文件：${file}`, `Permission denied reading the file: ${file}`);
  }
  if (code === 'EISDIR') return fail('not_a_file', `“${file}”是一个目录，不是文件`, `"${file}" is a directory, not a file`);
  const message = e instanceof Error ? e.message : String(e);
  return fail('file_unreadable', `无法读取文件 ${file}：${message}`, `Cannot read the file ${file}: ${message}`);
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function excerptAt(text: string, offset: number): string {
  if (offset >= text.length) return '（文件意外结束 / unexpected end of file）';
  const from = Math.max(0, offset - 20);
  const snippet = text.slice(from, offset + 20).replace(/\s+/g, ' ');
  return `“${from > 0 ? '…' : ''}${snippet}…”`;
}

/**
 * The offset of the first JSON syntax error, or null if the text is valid JSON. V8's own
 * messages do not always give a position ("Unexpected token 'x', … is not valid JSON"), so
 * this small scanner finds it; it runs only after JSON.parse has failed.
 */
export function findJsonErrorOffset(text: string): number | null {
  let i = 0;
  const n = text.length;
  class Stop {
    constructor(readonly at: number) {}
  }
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) throw new Stop(i);
  };
  const string = () => {
    i++; // opening quote
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return;
      }
      if (c < 0x20) throw new Stop(i);
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) throw new Stop(i);
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else throw new Stop(i);
      } else i++;
    }
    throw new Stop(n);
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0].length === 0) throw new Stop(i);
    i += m[0].length;
  };
  const value = (depth: number): void => {
    if (depth > 10_000) throw new Stop(i);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new Stop(i);
        string();
        ws();
        if (text[i] !== ':') throw new Stop(i);
        i++;
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        throw new Stop(i);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        throw new Stop(i);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    throw new Stop(i);
  };
  try {
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value(0);
    ws();
    return i < n ? i : null;
  } catch (e) {
    if (e instanceof Stop) return Math.min(e.at, n);
    return null; // a stack overflow on absurd nesting: no position, the message still says "not JSON"
  }
}
