/**
 * TextAnalyzer: segmentation (jieba, native), normalisation and stop words for one district.
 * The district's place names (街道, 社区, roads) and its category terms are added to jieba's user
 * dictionary, so 湛山街道 or 占道经营 stay one token. Built once per district (the base dictionary
 * takes ~0.2 s to load) and held by TextAnalyzerCache.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import type { Queryable } from '../../../shared/db';
import { areasService } from '../../areas';
import { feed as ticketsFeed } from '../../tickets';
import { charNgrams, filterTokens, normalize, placeNameVariants } from '../core/text';
import { ROADS_BY_DISTRICT } from './roads';

export interface AnalyzerDictionary {
  /** Place names: areas, roads, landmarks. */
  places: readonly string[];
  /** Category names and other domain terms. */
  terms: readonly string[];
}

/** Frequency given to user words: high enough that jieba prefers them over splitting. */
const USER_WORD_FREQ = 200000;

export class TextAnalyzer {
  private readonly jieba: Jieba;
  readonly userWords: readonly string[];

  constructor(dictionary: AnalyzerDictionary = { places: [], terms: [] }) {
    this.jieba = Jieba.withDict(dict);
    const words = new Set<string>();
    for (const p of dictionary.places) for (const v of placeNameVariants(p)) words.add(v);
    for (const t of dictionary.terms) {
      const n = normalize(t).replace(/\s+/g, '');
      if (n.length >= 2) words.add(n);
    }
    this.userWords = [...words].sort();
    const lines = this.userWords
      .filter((w) => !/\s/.test(w))
      .map((w) => `${w} ${USER_WORD_FREQ} ${dictionary.places.some((p) => placeNameVariants(p).includes(w)) ? 'ns' : 'n'}`);
    if (lines.length) this.jieba.loadDict(Buffer.from(lines.join('\n') + '\n', 'utf8'));
  }

  normalize(text: string): string {
    return normalize(text);
  }

  /** Segment normalised text; raw jieba output including stop words and punctuation. */
  cut(text: string, normalized = false): string[] {
    const src = normalized ? text : normalize(text);
    return src ? this.jieba.cut(src, true) : [];
  }

  /** Words of the text: normalised, segmented, stop words and punctuation removed. */
  tokens(text: string, opts: { normalized?: boolean; foldDigits?: boolean } = {}): string[] {
    return filterTokens(this.cut(text, opts.normalized ?? false), { foldDigits: opts.foldDigits ?? false });
  }

  charNgrams(text: string, n: number): string[] {
    return charNgrams(text, n);
  }
}

/** Loads a district's dictionary from the areas and tickets modules. */
export async function loadDictionary(q: Queryable, districtCode: string): Promise<AnalyzerDictionary> {
  const places: string[] = [];
  for (const level of ['subdistrict', 'community'] as const) {
    for (const a of await areasService.listAreaRows(q, districtCode, level)) places.push(a.name);
  }
  places.push(...(ROADS_BY_DISTRICT[districtCode] ?? []));
  const terms = (await ticketsFeed.listCatalogue(q, districtCode)).map((c) => c.name);
  return { places, terms };
}

/** One analyzer per district, built on first use. */
export class TextAnalyzerCache {
  private readonly loaded = new Map<string, Promise<TextAnalyzer>>();

  get(q: Queryable, districtCode: string): Promise<TextAnalyzer> {
    let p = this.loaded.get(districtCode);
    if (!p) {
      p = loadDictionary(q, districtCode).then((d) => new TextAnalyzer(d));
      this.loaded.set(districtCode, p);
      p.catch(() => this.loaded.delete(districtCode));
    }
    return p;
  }

  /** Drop a district's analyzer (after its areas or categories change). */
  invalidate(districtCode: string): void {
    this.loaded.delete(districtCode);
  }
}
