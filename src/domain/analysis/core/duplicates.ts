/**
 * Likely duplicates of a new ticket among open tickets nearby: the same complaint reported again
 * (often by a neighbour) within a few days. The score mixes how alike the texts are with how
 * close the two reports are in space and time; every proposal carries its evidence — shared
 * words, distance, time gap and each part of the score — so the dispatcher decides, not the model.
 *
 * Text similarity is the larger of two fast measures:
 *  - MinHash over character bigrams (robust to segmentation and to small edits: a re-posted
 *    complaint), an estimate of the Jaccard similarity of the bigram sets;
 *  - TF-IDF cosine over segmented words (robust to re-wording: a neighbour's own words).
 */
import { charShingles, cosine, haversineMetres, minhashSimilarity, sharedTerms, tfidf, type MinHasher } from './similarity';

export interface DuplicateDoc {
  id: string;
  title: string;
  content: string;
  createdAt: Date;
  lon: number | null;
  lat: number | null;
  gridCellCode: string | null;
  communityCode: string | null;
  categoryCode: string | null;
}

export interface DuplicateParams {
  /** Candidates older than this (hours before the new ticket) are not proposed. */
  windowHours: number;
  /** Beyond this distance two located tickets are not the same thing. */
  radiusMetres: number;
  /** A proposal needs at least this text similarity … */
  minText: number;
  /** … and at least this overall score. */
  minScore: number;
  limit: number;
}

export const DEFAULT_DUPLICATE_PARAMS: DuplicateParams = {
  windowHours: 14 * 24,
  radiusMetres: 800,
  minText: 0.4,
  minScore: 0.5,
  limit: 5,
};

export interface DuplicateEvidence {
  id: string;
  score: number;
  textScore: number;
  minhash: number;
  cosine: number;
  sharedWords: string[];
  distanceMetres: number | null;
  sameGridCell: boolean;
  sameCommunity: boolean;
  sameCategory: boolean;
  timeGapHours: number;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** 1 in the same place, falling linearly to 0 at the radius; without coordinates, by area. */
export function proximity(a: DuplicateDoc, b: DuplicateDoc, radius: number): { p: number; distance: number | null } {
  if (a.lon !== null && a.lat !== null && b.lon !== null && b.lat !== null) {
    const d = haversineMetres(a.lon, a.lat, b.lon, b.lat);
    return { p: Math.max(0, 1 - d / radius), distance: d };
  }
  if (a.gridCellCode && a.gridCellCode === b.gridCellCode) return { p: 0.8, distance: null };
  if (a.communityCode && a.communityCode === b.communityCode) return { p: 0.5, distance: null };
  return { p: 0, distance: null };
}

/**
 * Ranks the candidates for `target`. `tokenize` segments text into content words; `idf` weighs
 * them (document frequencies of the district's recent tickets, or uniform).
 */
export function findDuplicates(
  target: DuplicateDoc,
  candidates: readonly DuplicateDoc[],
  deps: { tokenize: (text: string) => string[]; idf: (term: string) => number; hasher: MinHasher },
  params: DuplicateParams = DEFAULT_DUPLICATE_PARAMS,
): DuplicateEvidence[] {
  const text = (d: DuplicateDoc) => `${d.title} ${d.title} ${d.content}`;
  const tSig = deps.hasher.signature(charShingles(`${target.title}${target.content}`, 2));
  const tVec = tfidf(deps.tokenize(text(target)), deps.idf);
  const out: DuplicateEvidence[] = [];
  for (const c of candidates) {
    if (c.id === target.id) continue;
    const gapHours = Math.abs(target.createdAt.getTime() - c.createdAt.getTime()) / 3_600_000;
    if (gapHours > params.windowHours) continue;
    const { p, distance } = proximity(target, c, params.radiusMetres);
    if (distance !== null && distance > params.radiusMetres) continue;
    const mh = minhashSimilarity(tSig, deps.hasher.signature(charShingles(`${c.title}${c.content}`, 2)));
    const cVec = tfidf(deps.tokenize(text(c)), deps.idf);
    const cos = cosine(tVec, cVec);
    const textScore = Math.max(mh, cos);
    if (textScore < params.minText) continue;
    const recency = 1 - gapHours / params.windowHours;
    const sameCategory = !!target.categoryCode && target.categoryCode === c.categoryCode;
    // Text dominates: two different problems at one door are not duplicates.
    const score = 0.6 * textScore + 0.25 * p + 0.1 * recency + 0.05 * (sameCategory ? 1 : 0);
    if (score < params.minScore) continue;
    out.push({
      id: c.id,
      score: round(score),
      textScore: round(textScore),
      minhash: round(mh),
      cosine: round(cos),
      sharedWords: sharedTerms(tVec, cVec, 8),
      distanceMetres: distance === null ? null : Math.round(distance),
      sameGridCell: !!target.gridCellCode && target.gridCellCode === c.gridCellCode,
      sameCommunity: !!target.communityCode && target.communityCode === c.communityCode,
      sameCategory,
      timeGapHours: round(gapHours, 1),
    });
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).slice(0, params.limit);
}
