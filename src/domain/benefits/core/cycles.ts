/**
 * Payment-cycle arithmetic, pure: the reference date of a month, the diff between two cycles'
 * entitlement lists (added / removed / changed, and why), totals.
 */
import type { Bilingual } from './rules';
import { yuan } from './explain';

export interface Entitlement {
  personId: string;
  nameMasked: string;
  streetCode: string | null;
  tierCode: string | null;
  amountFen: number;
  summary: Bilingual;
}

export interface Removal {
  personId: string;
  nameMasked: string;
  amountFen: number;
  reason: Bilingual;
  stopReason: string | null;
}

export interface CycleDiff {
  added: (Entitlement & { why: Bilingual })[];
  removed: Removal[];
  changed: { personId: string; nameMasked: string; before: { tierCode: string | null; amountFen: number }; after: { tierCode: string | null; amountFen: number }; why: Bilingual }[];
  unchanged: number;
  totals: { beforeFen: number; afterFen: number; deltaFen: number };
}

/** Eligibility for a month's cycle is decided on its first day. */
export function cycleRefDate(month: string): string {
  return `${month}-01`;
}

export function isMonth(s: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(s);
}

/**
 * The diff from cycle a (earlier) to cycle b (later). `removalReasons` are the reasons frozen with
 * b (persons of the cycle before b who left); a person without one gets a generic reason.
 */
export function diffCycles(a: Entitlement[], b: Entitlement[], removalReasons: Removal[] = []): CycleDiff {
  const before = new Map(a.map((e) => [e.personId, e]));
  const after = new Map(b.map((e) => [e.personId, e]));
  const reasons = new Map(removalReasons.map((r) => [r.personId, r]));
  const diff: CycleDiff = { added: [], removed: [], changed: [], unchanged: 0, totals: { beforeFen: 0, afterFen: 0, deltaFen: 0 } };
  for (const e of b) {
    diff.totals.afterFen += e.amountFen;
    const old = before.get(e.personId);
    if (!old) diff.added.push({ ...e, why: { zh: `新纳入：${e.summary.zh}`, en: `newly included: ${e.summary.en}` } });
    else if (old.amountFen !== e.amountFen || old.tierCode !== e.tierCode) {
      diff.changed.push({
        personId: e.personId,
        nameMasked: e.nameMasked,
        before: { tierCode: old.tierCode, amountFen: old.amountFen },
        after: { tierCode: e.tierCode, amountFen: e.amountFen },
        why: { zh: `${yuan(old.amountFen).zh} → ${yuan(e.amountFen).zh}：${e.summary.zh}`, en: `${yuan(old.amountFen).en} → ${yuan(e.amountFen).en}: ${e.summary.en}` },
      });
    } else diff.unchanged++;
  }
  for (const e of a) {
    diff.totals.beforeFen += e.amountFen;
    if (after.has(e.personId)) continue;
    const r = reasons.get(e.personId);
    diff.removed.push(r ?? { personId: e.personId, nameMasked: e.nameMasked, amountFen: e.amountFen, reason: { zh: '不在后一期名单中', en: 'not in the later cycle' }, stopReason: null });
  }
  diff.totals.deltaFen = diff.totals.afterFen - diff.totals.beforeFen;
  return diff;
}
