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
  const nfkc = text.normalize('NFKC');
  let out = '';
  let space = false;
  for (const ch of nfkc) {
    const code = ch.codePointAt(0) ?? 0;
    if (code <= 0x20 || code === 0x3000 || code === 0xa0 || (code >= 0x2000 && code <= 0x200b) || code === 0x2028 || code === 0x2029 || code === 0xfeff) {
      space = out.length > 0;
      continue;
    }
    if (space) {
      out += ' ';
      space = false;
    }
    if (code >= 0x41 && code <= 0x5a) out += String.fromCharCode(code + 32);
    else out += T2S.get(ch) ?? ch;
  }
  return out;
}

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
