/**
 * Pure text helpers for Chinese citizen messages: normalisation, character n-grams and the
 * project's stop-word list. No segmentation here (jieba is native and lives in ../text/);
 * everything in this file is deterministic and allocation-light so the classifier can call it
 * on every message.
 */
import { STOP_WORDS } from './stopwords';
import { T2S } from './t2s';

export { STOP_WORDS };

/**
 * Normalise a message for analysis:
 * - full-width ASCII (ＡＢＣ１２３，！) → half-width, the ideographic space → a space (NFKC does both);
 * - Latin letters → lower case;
 * - the common traditional characters → simplified (a small table, not a full converter: it covers
 *   the characters that actually appear in 12345 messages written in traditional script);
 * - every run of whitespace → one space, trimmed.
 * Chinese punctuation that has no half-width twin (、。「」) is kept as it is.
 */
export function normalize(text: string): string {
  const parts: string[] = [];
  const buf = new Uint16Array(Math.min(text.length, 4096) + 2);
  let n = 0;
  let space = false;
  let any = false;
  const flush = () => {
    if (n > 0) parts.push(String.fromCharCode.apply(null, buf.subarray(0, n) as unknown as number[]));
    n = 0;
  };
  const push = (code: number) => {
    if (space) {
      if (any) {
        if (n >= buf.length - 1) flush();
        buf[n++] = 0x20;
      }
      space = false;
    }
    if (n >= buf.length - 1) flush();
    buf[n++] = code;
    any = true;
  };
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) {
      push(T2S_CODES[c - 0x4e00] || c);
      continue;
    }
    if (c < 0x80) {
      if (c <= 0x20 || c === 0x7f) space = true;
      else push(c >= 0x41 && c <= 0x5a ? c + 32 : c);
      continue;
    }
    if (c === 0x3000 || c === 0xa0 || c === 0x85 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0x202f || c === 0x205f) {
      space = true;
      continue;
    }
    if (c >= 0xff01 && c <= 0xff5e) {
      c -= 0xfee0;
      push(c >= 0x41 && c <= 0x5a ? c + 32 : c);
      continue;
    }
    // Surrogate pairs and CJK punctuation pass through; other compatibility characters go
    // through NFKC one by one (rare in messages, so the slow path costs little).
    if ((c >= 0xd800 && c <= 0xdfff) || (c >= 0x3001 && c <= 0x303f)) {
      push(c);
      continue;
    }
    const k = String.fromCharCode(c).normalize('NFKC');
    if (k.length === 1 && k.charCodeAt(0) === c) {
      push(c);
      continue;
    }
    // Re-normalise the decomposition (it may contain spaces, capitals or full-width forms).
    const sub = normalize(k);
    if (k.length > 0 && k.charCodeAt(0) <= 0x20) space = true;
    for (let j = 0; j < sub.length; j++) push(sub.charCodeAt(j));
    if (k.length > 0 && k.charCodeAt(k.length - 1) <= 0x20) space = true;
  }
  flush();
  return parts.join('');
}

/** T2S as a dense table over the CJK unified block: simplified code or 0. */
const T2S_CODES: Uint16Array = (() => {
  const t = new Uint16Array(0x9fff - 0x4e00 + 1);
  for (const [from, to] of T2S) {
    const f = from.charCodeAt(0);
    if (from.length === 1 && f >= 0x4e00 && f <= 0x9fff) t[f - 0x4e00] = to.charCodeAt(0);
  }
  return t;
})();

/** A Han character (CJK unified ideographs, extension A and the compatibility block). */
export function isHan(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0x20000 && c <= 0x2ffff);
}

/** A character that carries meaning in an n-gram: Han, a Latin letter or a digit. */
export function isWordChar(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return isHan(ch) || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/**
 * Split normalised text into runs of word characters; punctuation, spaces and symbols end a run,
 * so no n-gram spans a sentence boundary. Digit runs become a single '0' when `foldDigits` is set
 * (house numbers and phone numbers are noise for a classifier).
 */
export function wordRuns(text: string, foldDigits = false): string[] {
  const runs: string[] = [];
  let cur = '';
  let inDigits = false;
  for (const ch of text) {
    if (!isWordChar(ch)) {
      if (cur) runs.push(cur);
      cur = '';
      inDigits = false;
      continue;
    }
    const digit = ch >= '0' && ch <= '9';
    if (foldDigits && digit) {
      if (!inDigits) cur += '0';
      inDigits = true;
      continue;
    }
    inDigits = false;
    cur += ch;
  }
  if (cur) runs.push(cur);
  return runs;
}

/**
 * Character n-grams of the normalised text, in order, within word runs only (no n-gram crosses
 * punctuation). A run shorter than n contributes nothing. Counted in code points, so a character
 * outside the BMP is one character.
 */
export function charNgrams(text: string, n: number, opts: { normalized?: boolean; foldDigits?: boolean } = {}): string[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive integer');
  const src = opts.normalized ? text : normalize(text);
  const out: string[] = [];
  for (const run of wordRuns(src, opts.foldDigits ?? false)) {
    const chars = Array.from(run);
    for (let i = 0; i + n <= chars.length; i++) out.push(n === 1 ? chars[i]! : chars.slice(i, i + n).join(''));
  }
  return out;
}

/** True for a token that should not be a feature: a stop word, punctuation only, or empty. */
export function isStopToken(token: string): boolean {
  if (token.length === 0) return true;
  if (STOP_WORDS.has(token)) return true;
  for (const ch of token) if (isWordChar(ch)) return false;
  return true;
}

/**
 * Clean a segmenter's output: normalise nothing (the text was normalised before cutting), drop
 * stop words and punctuation, trim spaces, fold digit-only tokens to '0' when asked.
 */
export function filterTokens(raw: readonly string[], opts: { foldDigits?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const t0 of raw) {
    const t = t0.trim();
    if (isStopToken(t)) continue;
    if (opts.foldDigits && /^[0-9]+$/.test(t)) {
      out.push('0');
      continue;
    }
    out.push(t);
  }
  return out;
}

/**
 * Extra user-dictionary entries for a place name: the full name plus its short form without the
 * administrative suffix (湛山街道 → 湛山, 八大峡社区 → 八大峡, 香港中路 stays), as residents write
 * both. Short forms of one character are not added.
 */
export function placeNameVariants(name: string): string[] {
  const n = normalize(name).replace(/\s+/g, '');
  if (!n) return [];
  const out = new Set<string>([n]);
  for (const suffix of ['街道办事处', '街道办', '街道', '社区居委会', '居委会', '社区', '网格', '片区', '小区', '村']) {
    if (n.endsWith(suffix) && n.length - suffix.length >= 2) {
      out.add(n.slice(0, n.length - suffix.length));
      break;
    }
  }
  return [...out];
}
