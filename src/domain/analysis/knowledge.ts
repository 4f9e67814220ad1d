/**
 * 知识库 use cases: versioned entries (question, answer, policy basis, owner unit, valid-until),
 * BM25 search over segmented text, suggested answers for a ticket (直办), and the expiry job
 * that hides expired entries from suggestions and flags them to their owner unit.
 */
import { z } from 'zod';
import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import { AppError, notFound } from '../../shared/errors';
import { actorId, assertCan, type AnyActor } from '../../shared/authz';
import { recordAudit } from '../audit';
import { ticketsService } from '../tickets';
import { buildIndex, isExpired, searchEntries, shanghaiDate, type KnowledgeDoc } from './core/knowledge';
import type { Bm25Index } from './core/bm25';
import type { TextAnalyzerCache } from './text/analyzer';
import * as repo from './knowledge.repo';

export interface KnowledgeDeps {
  db: Db;
  clock: Clock;
  textAnalyzers: TextAnalyzerCache;
}

const ENTRY = { zh: '知识条目', en: 'Knowledge entry' };
const unitKey = z.string().regex(/^(department|subdistrict):[A-Za-z0-9_-]{1,40}$/, { message: 'owner unit: department:<code> or subdistrict:<code>' });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'a real date YYYY-MM-DD');

export const KnowledgeBody = z
  .object({
    question: z.string().trim().min(2).max(500),
    answer: z.string().trim().min(2).max(5000),
    policyBasis: z.string().trim().max(1000).default(''),
    ownerUnit: unitKey,
    categoryCode: z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/).nullable().default(null),
    keywords: z.array(z.string().trim().min(1).max(30)).max(20).default([]),
    validUntil: day.nullable().default(null),
  })
  .strict();
export type KnowledgeBody = z.infer<typeof KnowledgeBody>;

export const KnowledgeQuery = z
  .object({
    q: z.string().trim().max(500).optional(),
    includeExpired: z.enum(['true', 'false']).default('true'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

function entryView(r: repo.EntryRow, today: string) {
  return {
    id: r.id,
    version: r.version,
    question: r.question,
    answer: r.answer,
    policyBasis: r.policy_basis,
    ownerUnit: r.owner_unit,
    categoryCode: r.category_code,
    keywords: r.keywords,
    validUntil: r.valid_until,
    expired: isExpired(r.valid_until, today),
    flaggedAt: r.flagged_at ? new Date(r.flagged_at).toISOString() : null,
    retired: r.retired,
    isDemo: r.is_demo,
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}
export type KnowledgeEntryView = ReturnType<typeof entryView>;

// ---- the search index, per district, rebuilt when the knowledge base changes ------------------

const indexCache = new WeakMap<object, Map<string, { stamp: string; index: Bm25Index; rows: repo.EntryRow[]; docs: Map<string, KnowledgeDoc> }>>();

async function loadIndex(deps: KnowledgeDeps, districtCode: string) {
  let byDistrict = indexCache.get(deps.db);
  if (!byDistrict) indexCache.set(deps.db, (byDistrict = new Map()));
  const stamp = await repo.stamp(deps.db, districtCode);
  const hit = byDistrict.get(districtCode);
  if (hit && hit.stamp === stamp) return hit;
  const analyzer = await deps.textAnalyzers.get(deps.db, districtCode);
  const rows = await repo.listEntries(deps.db, districtCode, { includeRetired: false });
  const docs = new Map<string, KnowledgeDoc>(
    rows.map((r) => [r.id, { id: r.id, question: r.question, answer: r.answer, keywords: r.keywords, validUntil: r.valid_until, retired: r.retired }]),
  );
  const entry = { stamp, index: buildIndex([...docs.values()], (t) => analyzer.tokens(t)), rows, docs };
  byDistrict.set(districtCode, entry);
  return entry;
}

async function search(deps: KnowledgeDeps, districtCode: string, text: string, opts: { limit: number; includeExpired: boolean; minScore?: number }) {
  const { index, rows, docs } = await loadIndex(deps, districtCode);
  const analyzer = await deps.textAnalyzers.get(deps.db, districtCode);
  const today = shanghaiDate(deps.clock());
  const hits = searchEntries(index, docs, analyzer.tokens(text), { today, limit: opts.limit, includeExpired: opts.includeExpired, ...(opts.minScore !== undefined ? { minScore: opts.minScore } : {}) });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return hits.map((h) => ({ entry: entryView(byId.get(h.id)!, today), score: h.score, relative: h.relative, matched: h.matched }));
}

// ---- use cases --------------------------------------------------------------------------------

/** The knowledge base, or a search in it. Expired entries are listed (marked) unless excluded. */
export async function listKnowledge(deps: KnowledgeDeps, actor: AnyActor, query: z.infer<typeof KnowledgeQuery>) {
  assertCan(actor, 'knowledge.read');
  const includeExpired = query.includeExpired === 'true';
  if (query.q) return { items: await search(deps, actor.districtCode, query.q, { limit: query.limit, includeExpired }) };
  const today = shanghaiDate(deps.clock());
  const rows = await repo.listEntries(deps.db, actor.districtCode, { includeRetired: false });
  return {
    items: rows
      .map((r) => entryView(r, today))
      .filter((e) => includeExpired || !e.expired)
      .slice(0, query.limit)
      .map((entry) => ({ entry, score: null, relative: null, matched: [] as string[] })),
  };
}

export async function getKnowledge(deps: KnowledgeDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'knowledge.read');
  const row = await repo.findEntry(deps.db, actor.districtCode, id);
  if (!row) throw notFound(ENTRY);
  const versions = await repo.listVersions(deps.db, actor.districtCode, id);
  return {
    entry: entryView(row, shanghaiDate(deps.clock())),
    versions: versions.map((v) => ({ version: v.version, question: v.question, answer: v.answer, policyBasis: v.policy_basis, ownerUnit: v.owner_unit, validUntil: v.valid_until, createdAt: new Date(v.created_at).toISOString() })),
  };
}

function versionInput(b: KnowledgeBody): repo.VersionInput {
  return { question: b.question, answer: b.answer, policyBasis: b.policyBasis, ownerUnit: b.ownerUnit, categoryCode: b.categoryCode, keywords: b.keywords, validUntil: b.validUntil };
}

export async function createKnowledge(deps: KnowledgeDeps, actor: AnyActor, body: KnowledgeBody, opts: { isDemo?: boolean } = {}) {
  assertCan(actor, 'knowledge.manage');
  const id = await deps.db.transaction(async (tx) => {
    const id = await repo.insertEntry(tx, actor.districtCode, versionInput(body), actorId(actor), deps.clock(), opts.isDemo ?? false);
    await recordAudit(tx, deps.clock, actor, { action: 'knowledge.create', targetType: 'knowledge_entry', targetId: id });
    return id;
  });
  return getKnowledge(deps, actor, id);
}

/** An edit is a new version; the old one stays readable in the history. An open expiry flag is resolved. */
export async function updateKnowledge(deps: KnowledgeDeps, actor: AnyActor, id: string, body: KnowledgeBody) {
  assertCan(actor, 'knowledge.manage');
  await deps.db.transaction(async (tx) => {
    const cur = await repo.lockEntry(tx, actor.districtCode, id);
    if (!cur) throw notFound(ENTRY);
    if (cur.retired) throw new AppError('conflict', { zh: '该条目已停用，不能修改', en: 'This entry is retired and cannot be edited' });
    const version = cur.current_version + 1;
    await repo.insertVersion(tx, actor.districtCode, id, version, versionInput(body), actorId(actor), deps.clock());
    await repo.setCurrentVersion(tx, id, version, deps.clock());
    await recordAudit(tx, deps.clock, actor, { action: 'knowledge.update', targetType: 'knowledge_entry', targetId: id, detail: { version } });
  });
  return getKnowledge(deps, actor, id);
}

export async function retireKnowledge(deps: KnowledgeDeps, actor: AnyActor, id: string) {
  assertCan(actor, 'knowledge.manage');
  await deps.db.transaction(async (tx) => {
    const cur = await repo.lockEntry(tx, actor.districtCode, id);
    if (!cur) throw notFound(ENTRY);
    if (!cur.retired) await repo.retire(tx, id, deps.clock());
    await recordAudit(tx, deps.clock, actor, { action: 'knowledge.retire', targetType: 'knowledge_entry', targetId: id });
  });
  return getKnowledge(deps, actor, id);
}

/**
 * Suggested answers for a ticket (直办): the best valid entries for its title and content. Shown
 * first on consultation tickets; a weak match (below a fixed BM25 floor) is not suggested.
 */
export async function suggestAnswers(deps: KnowledgeDeps, actor: AnyActor, ticketId: string) {
  assertCan(actor, 'knowledge.read');
  const { ticket } = await ticketsService.getTicket(deps, actor, ticketId);
  const items = await search(deps, actor.districtCode, `${ticket.title} ${ticket.title} ${ticket.content}`, { limit: 3, includeExpired: false, minScore: 2 });
  return { ticketId, ticketType: ticket.type, items };
}

/** The expiry job: flags expired entries to their owners once per version. Run nightly and by CLI. */
export async function flagExpiredKnowledge(deps: Pick<KnowledgeDeps, 'db' | 'clock'>, actor: AnyActor) {
  assertCan(actor, 'knowledge.manage');
  return deps.db.transaction(async (tx) => {
    const flagged = await repo.flagExpired(tx, actor.districtCode, shanghaiDate(deps.clock()), deps.clock());
    for (const f of flagged) {
      await recordAudit(tx, deps.clock, actor, { action: 'knowledge.expiry_flag', targetType: 'knowledge_entry', targetId: f.entry_id, detail: { owner: f.owner_unit } });
    }
    return { flagged: flagged.length, owners: [...new Set(flagged.map((f) => f.owner_unit))].sort() };
  });
}

/** Expired entries flagged to the actor's own unit(s) (a handler), or all of them (a manager). */
export async function myExpiryFlags(deps: KnowledgeDeps, actor: AnyActor) {
  assertCan(actor, 'knowledge.read');
  const units = ticketsService.unitsOf(actor);
  const canManage = actor.kind === 'system' || (['dispatcher', 'admin'] as string[]).includes(actor.role);
  const rows = await repo.listEntries(deps.db, actor.districtCode, { includeRetired: false, ownerUnits: canManage ? null : units });
  const today = shanghaiDate(deps.clock());
  return { items: rows.filter((r) => r.flagged_at !== null).map((r) => entryView(r, today)) };
}
