/**
 * The policy editor's state is the policy JSON itself (docs/POLICY-RULES.md): the form and the
 * JSON tab edit one object, so nothing the form does not know is ever lost — an unknown clause
 * stays in the object and is shown as a small JSON box. This module holds the few pure helpers:
 * immutable updates by path, 元 ↔ 分, the clause kinds, and which field a validation error names.
 *
 * The vocabulary (facts, operators, statuses and their bilingual labels) is imported from the
 * rule language itself, a pure core module, as the facilities what-if does (ADR 0042): one list,
 * so the editor cannot offer a fact the validator refuses.
 */
import { BOOL_FACTS, ENUM_FACTS, NUM_FACTS, NUM_OPS } from '../../../../src/domain/benefits/core/rules';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = { [k: string]: Json };
export type Draft = Obj;

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A path as the validator writes it: `eligibility.all[1].value` → ['eligibility','all',1,'value']. */
export function parsePath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

export function formatPath(parts: readonly (string | number)[]): string {
  return parts.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

export function getAt(root: Json | undefined, parts: readonly (string | number)[]): Json | undefined {
  let cur: Json | undefined = root;
  for (const p of parts) {
    if (typeof p === 'number') cur = Array.isArray(cur) ? cur[p] : undefined;
    else cur = isObj(cur) ? cur[p] : undefined;
  }
  return cur;
}

/** A copy of `root` with the value at `parts` replaced (`undefined` removes an object key). */
export function setAt(root: Json | undefined, parts: readonly (string | number)[], value: Json | undefined): Json {
  if (parts.length === 0) return value === undefined ? null : value;
  const [head, ...rest] = parts as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...root] : [];
    arr[head] = setAt(arr[head], rest, value);
    return arr;
  }
  const obj: Obj = isObj(root) ? { ...root } : {};
  const next = rest.length === 0 ? value : setAt(obj[head], rest, value);
  if (next === undefined) delete obj[head];
  else obj[head] = next;
  return obj;
}

/** 分 → 元 for an input box; 元 → 分 rounded to the 分 (floating point never leaks into a rule). */
export const fenToYuan = (fen: Json | undefined): number | null => (typeof fen === 'number' ? fen / 100 : null);
export const yuanToFen = (yuan: number | null): number | null => (yuan === null || !Number.isFinite(yuan) ? null : Math.round(yuan * 100));

// ---- clauses ---------------------------------------------------------------------------------

export const GROUP_KINDS = ['all', 'any', 'not'] as const;
export const LEAF_KINDS = ['num', 'enum', 'bool', 'status', 'receiving', 'since', 'householdCount', 'spouse'] as const;
export type ClauseKind = (typeof GROUP_KINDS)[number] | (typeof LEAF_KINDS)[number] | 'raw';

const CLAUSE_KEYS: Record<Exclude<ClauseKind, 'raw' | 'num' | 'enum' | 'bool'>, string[]> = {
  all: ['all'],
  any: ['any'],
  not: ['not'],
  status: ['status'],
  receiving: ['receiving'],
  since: ['since', 'unit', 'op', 'value', 'never'],
  householdCount: ['householdCount', 'op', 'value'],
  spouse: ['spouse'],
};

const only = (c: Obj, keys: string[]) => Object.keys(c).every((k) => k === 'label' || keys.includes(k));

/**
 * What the builder shows for a clause: its kind when the shape is one the builder edits, else
 * 'raw' (a JSON box) — a misspelt key or a fact the language does not know is shown, not dropped.
 */
export function clauseKind(c: Json | undefined): ClauseKind {
  if (!isObj(c)) return 'raw';
  // A number the officer has just cleared (null) is still a form field; a list or a text is not.
  const num = (v: Json | undefined) => v === null || typeof v === 'number';
  const numOp = (op: Json | undefined) => (NUM_OPS as readonly Json[]).includes(op ?? null);
  if (typeof c.fact === 'string') {
    if (!only(c, ['fact', 'op', 'value'])) return 'raw';
    if (c.fact in NUM_FACTS) return numOp(c.op) && num(c.value) ? 'num' : 'raw';
    if (c.fact in ENUM_FACTS) return (c.op === 'in' || c.op === 'notIn') && Array.isArray(c.value) && c.value.every((v) => typeof v === 'string') ? 'enum' : 'raw';
    if (c.fact in BOOL_FACTS) return c.op === '=' && typeof c.value === 'boolean' ? 'bool' : 'raw';
    return 'raw';
  }
  for (const [kind, keys] of Object.entries(CLAUSE_KEYS)) {
    if (!(keys[0]! in c)) continue;
    if (!only(c, keys)) return 'raw';
    if ((kind === 'all' || kind === 'any') && !Array.isArray(c[kind])) return 'raw';
    if ((kind === 'status' || kind === 'receiving') && typeof c[kind] !== 'string') return 'raw';
    if (kind === 'since' && !(typeof c.since === 'string' && (c.unit === 'days' || c.unit === 'months') && numOp(c.op) && num(c.value) && typeof c.never === 'boolean')) return 'raw';
    if (kind === 'householdCount' && !(numOp(c.op) && num(c.value))) return 'raw';
    return kind as ClauseKind;
  }
  return 'raw';
}

/** A fresh clause of a kind, for the "add" menu and for changing a clause's kind. */
export function newClause(kind: Exclude<ClauseKind, 'raw'>): Obj {
  switch (kind) {
    case 'all':
    case 'any':
      return { [kind]: [] };
    case 'not':
      return { not: { fact: 'age', op: '>=', value: 70 } };
    case 'num':
      return { fact: 'age', op: '>=', value: 70 };
    case 'enum':
      return { fact: 'hukouType', op: 'in', value: ['local'] };
    case 'bool':
      return { fact: 'hasDisability', op: '=', value: true };
    case 'status':
      return { status: 'dibao' };
    case 'receiving':
      return { receiving: 'dibao' };
    case 'since':
      return { since: 'dibao', unit: 'months', op: '>=', value: 6, never: true };
    case 'householdCount':
      return { householdCount: { status: 'living_alone' }, op: '>=', value: 1 };
    case 'spouse':
      return { spouse: { fact: 'hukouType', op: 'in', value: ['local'] } };
  }
}

/**
 * Change a clause's kind, keeping what can be kept: all ↔ any keep their members, a clause turned
 * into a group becomes its first member, a group turned into `not` negates itself; the label stays.
 */
export function changeKind(c: Json | undefined, kind: Exclude<ClauseKind, 'raw'>): Obj {
  const from = clauseKind(c);
  const label: Obj = isObj(c) && c.label !== undefined ? { label: c.label } : {};
  const body = isObj(c) ? Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'label')) : null;
  if (kind === 'all' || kind === 'any') {
    if (from === 'all' || from === 'any') return { [kind]: (c as Obj)[from]!, ...label };
    if (from === 'not') return { [kind]: [(c as Obj).not!], ...label };
    return { [kind]: body ? [body] : [], ...label };
  }
  if (kind === 'not') {
    if (from === 'not') return c as Obj;
    return { not: body ?? newClause('num'), ...label };
  }
  return { ...newClause(kind), ...label };
}

// ---- errors next to their fields ---------------------------------------------------------------

export interface RuleError {
  path: string;
  zh: string;
  en: string;
}

const CHILD_KEYS = ['all', 'any', 'not', 'householdCount', 'spouse'];

/** Every path at which the form shows a field or a clause, for the policy as it is now. */
export function fieldPaths(d: Json): Set<string> {
  const out = new Set<string>(['code', 'name', 'kind', 'benefitCode', 'legalBasis', 'effectiveFrom', 'effectiveTo', 'monthlyFen', 'inKind', 'eligibility', 'exclusions', 'tiers']);
  const walk = (c: Json | undefined, path: string) => {
    out.add(path);
    const kind = clauseKind(c);
    if (kind === 'raw' || !isObj(c)) return;
    for (const k of CHILD_KEYS) {
      const v = c[k];
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}.${k}[${i}]`));
      else if (v !== undefined && k in c) walk(v, `${path}.${k}`);
    }
  };
  if (!isObj(d)) return out;
  if (d.eligibility !== undefined) walk(d.eligibility, 'eligibility');
  if (Array.isArray(d.exclusions)) d.exclusions.forEach((x, i) => walk(x, `exclusions[${i}]`));
  if (Array.isArray(d.tiers)) {
    d.tiers.forEach((t, i) => {
      for (const f of ['', '.code', '.name', '.monthlyFen', '.topUp']) out.add(`tiers[${i}]${f}`);
      if (isObj(t) && t.when !== undefined) walk(t.when, `tiers[${i}].when`);
    });
  }
  return out;
}

/**
 * Group the validator's errors by the field or clause that shows them: the longest prefix of the
 * error's path that the form shows (`eligibility.all[1].value` → the clause `eligibility.all[1]`,
 * `tiers[0].topUp.toFen` → the tier's amount). The rest (`$`, `version`, unknown top-level keys)
 * go in a list under the form.
 */
export function placeErrors(errors: readonly RuleError[], d: Json): { at: Map<string, RuleError[]>; elsewhere: RuleError[] } {
  const paths = fieldPaths(d);
  const at = new Map<string, RuleError[]>();
  const elsewhere: RuleError[] = [];
  for (const e of errors) {
    const parts = parsePath(e.path);
    let owner: string | null = null;
    for (let n = parts.length; n > 0 && owner === null; n--) {
      const p = formatPath(parts.slice(0, n));
      if (paths.has(p)) owner = p;
    }
    if (owner === null || e.path === '$' || e.path.startsWith('$.')) elsewhere.push(e);
    else at.set(owner, [...(at.get(owner) ?? []), e]);
  }
  return { at, elsewhere };
}

/** A new policy: the smallest one the validator accepts once a code and names are filled in. */
export function blankPolicy(effectiveFrom: string): Draft {
  return {
    code: '',
    name: { zh: '', en: '' },
    kind: 'monthly',
    legalBasis: '',
    effectiveFrom,
    effectiveTo: null,
    eligibility: { all: [{ fact: 'hukouType', op: 'in', value: ['local'] }] },
    exclusions: [],
    tiers: [],
    monthlyFen: 10000,
    inKind: null,
  };
}
