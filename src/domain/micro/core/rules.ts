/** Input rules of a proposal, pure: cost bounds, the local day, number format. */

/** 民生微实事 are small works: a proposal above 100万元 is not a micro project (ADR 0035). */
export const MAX_COST_FEN = 100_000_000;
export const MAX_PHOTOS = 3;

export type CostCheck = { ok: true } | { ok: false; reason: 'not_positive' | 'not_integer' | 'too_large' };

export function checkCost(fen: number): CostCheck {
  if (!Number.isFinite(fen) || !Number.isInteger(fen)) return { ok: false, reason: 'not_integer' };
  if (fen <= 0) return { ok: false, reason: 'not_positive' };
  if (fen > MAX_COST_FEN) return { ok: false, reason: 'too_large' };
  return { ok: true };
}

/** The local day (Asia/Shanghai, no daylight saving) of an instant, YYYY-MM-DD. */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** A real calendar day written YYYY-MM-DD. */
export function isLocalDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** 元 with two decimals for messages: 12345 分 → "123.45". */
export function yuan(fen: number): string {
  return (fen / 100).toFixed(2);
}
