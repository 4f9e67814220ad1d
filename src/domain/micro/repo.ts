/** All SQL of the micro module, on its own tables only. Staff lists are scoped in the query. */
import type { Queryable } from '../../shared/db';
import type { ProposalEvent, ProposalState } from './core/lifecycle';

export interface ProposalRow {
  id: string;
  district_code: string;
  number: string;
  title: string;
  description: string;
  lon: number | null;
  lat: number | null;
  address: string | null;
  area_code: string;
  community_code: string | null;
  subdistrict_code: string;
  area_path: string;
  estimated_cost_fen: number;
  proposer_phone: string;
  proposer_phone_hash: string;
  created_at: Date;
  is_demo: boolean;
  status: string;
  reason: string | null;
  merged_into: string | null;
  merged_into_number: string | null;
  round_id: string | null;
  selected_by_round: string | null;
  cost_fen: number;
  budget_line: string | null;
  project_item_id: string | null;
  accepted_on: string | null;
  design_on: string | null;
  construction_on: string | null;
  completed_on: string | null;
  last_seq: number;
  supports: number;
  merged_supports: number;
  photos: number;
}

const SELECT = `SELECT p.*, m.number AS merged_into_number,
    (SELECT count(*) FROM micro_supports s WHERE s.proposal_id = p.id) AS supports,
    (SELECT count(*) FROM micro_supports s JOIN micro_proposals c ON c.id = s.proposal_id WHERE c.merged_into = p.id) AS merged_supports,
    (SELECT count(*) FROM micro_photos f WHERE f.proposal_id = p.id) AS photos
  FROM micro_proposals p
  LEFT JOIN micro_proposals m ON m.id = p.merged_into`;

export async function nextNumber(q: Queryable, districtCode: string, year: number): Promise<string> {
  const [row] = await q.query<{ last: number }>(
    `INSERT INTO micro_number_counters (district_code, year, last) VALUES ($1, $2, 1)
     ON CONFLICT (district_code, year) DO UPDATE SET last = micro_number_counters.last + 1 RETURNING last`,
    [districtCode, year],
  );
  return `WS${year}-${String(row!.last).padStart(4, '0')}`;
}

export async function insertProposal(
  q: Queryable,
  p: {
    districtCode: string; number: string; title: string; description: string; lon: number | null; lat: number | null; address: string | null;
    areaCode: string; communityCode: string | null; subdistrictCode: string; areaPath: string; estimatedCostFen: number;
    proposerPhone: string; proposerPhoneHash: string; createdAt: Date; idempotencyKey: string | null; isDemo: boolean;
  },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO micro_proposals (district_code, number, title, description, lon, lat, address, area_code, community_code, subdistrict_code,
       area_path, estimated_cost_fen, proposer_phone, proposer_phone_hash, created_at, idempotency_key, is_demo, status, cost_fen, last_seq)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,'submitted',$12,1) RETURNING id`,
    [p.districtCode, p.number, p.title, p.description, p.lon, p.lat, p.address, p.areaCode, p.communityCode, p.subdistrictCode,
      p.areaPath, p.estimatedCostFen, p.proposerPhone, p.proposerPhoneHash, p.createdAt, p.idempotencyKey, p.isDemo],
  );
  return row!.id;
}

export async function findProposal(q: Queryable, districtCode: string, id: string): Promise<ProposalRow | undefined> {
  return (await q.query<ProposalRow & Record<string, unknown>>(`${SELECT} WHERE p.district_code = $1 AND p.id = $2`, [districtCode, id]))[0];
}

export async function findProposalByNumber(q: Queryable, districtCode: string, number: string): Promise<ProposalRow | undefined> {
  return (await q.query<ProposalRow & Record<string, unknown>>(`${SELECT} WHERE p.district_code = $1 AND p.number = $2`, [districtCode, number]))[0];
}

export async function findProposalIdByIdempotencyKey(q: Queryable, districtCode: string, key: string): Promise<{ id: string; proposer_phone_hash: string } | undefined> {
  return (await q.query<{ id: string; proposer_phone_hash: string }>(`SELECT id, proposer_phone_hash FROM micro_proposals WHERE district_code = $1 AND idempotency_key = $2`, [districtCode, key]))[0];
}

export async function lockProposal(q: Queryable, districtCode: string, id: string): Promise<{ id: string; last_seq: number; area_path: string } | undefined> {
  return (await q.query<{ id: string; last_seq: number; area_path: string }>(
    `SELECT id, last_seq, area_path FROM micro_proposals WHERE district_code = $1 AND id = $2 FOR UPDATE`,
    [districtCode, id],
  ))[0];
}

export interface ListFilter {
  districtCode: string;
  /** the actor's scope path; the public list passes the district path */
  scope: string;
  statuses?: readonly string[] | undefined;
  q?: string | undefined;
  subdistrictCode?: string | undefined;
  limit: number;
  offset: number;
}

export async function listProposals(q: Queryable, f: ListFilter): Promise<{ rows: ProposalRow[]; total: number }> {
  const where = [`p.district_code = $1`, `p.area_path LIKE $2 || '%'`];
  const params: unknown[] = [f.districtCode, f.scope];
  if (f.statuses?.length) {
    params.push(f.statuses);
    where.push(`p.status = ANY($${params.length}::text[])`);
  }
  if (f.subdistrictCode) {
    params.push(f.subdistrictCode);
    where.push(`p.subdistrict_code = $${params.length}`);
  }
  if (f.q) {
    params.push(`%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(p.title ILIKE $${params.length} OR p.number ILIKE $${params.length})`);
  }
  const whereSql = where.join(' AND ');
  const [count] = await q.query<{ n: number }>(`SELECT count(*) AS n FROM micro_proposals p WHERE ${whereSql}`, params);
  params.push(f.limit, f.offset);
  const rows = await q.query<ProposalRow & Record<string, unknown>>(
    `${SELECT} WHERE ${whereSql} ORDER BY p.created_at DESC, p.number DESC LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  return { rows, total: count?.n ?? 0 };
}

export async function countByStatus(q: Queryable, districtCode: string, scope: string): Promise<Record<string, number>> {
  const rows = await q.query<{ status: string; n: number }>(
    `SELECT status, count(*) AS n FROM micro_proposals WHERE district_code = $1 AND area_path LIKE $2 || '%' GROUP BY status`,
    [districtCode, scope],
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

// ---- events and the projection ----------------------------------------------------------------

export interface EventRow {
  seq: number;
  kind: string;
  at: Date;
  actor_id: string | null;
  actor_role: string | null;
  actor_name: string | null;
  data: Record<string, unknown>;
}

export async function listEvents(q: Queryable, proposalId: string): Promise<EventRow[]> {
  return q.query<EventRow & Record<string, unknown>>(
    `SELECT e.seq, e.kind, e.at, e.actor_id, e.actor_role, u.display_name AS actor_name, e.data
       FROM micro_proposal_events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.proposal_id = $1 ORDER BY e.seq`,
    [proposalId],
  );
}

export function toDomainEvent(e: EventRow): ProposalEvent {
  return { ...(e.data as object), kind: e.kind, at: new Date(e.at).toISOString(), actorId: e.actor_id } as ProposalEvent;
}

export async function appendEvent(
  q: Queryable,
  e: { districtCode: string; proposalId: string; seq: number; event: ProposalEvent; actorRole: string | null },
): Promise<void> {
  const { kind, at, actorId, ...data } = e.event;
  await q.query(
    `INSERT INTO micro_proposal_events (district_code, proposal_id, seq, kind, at, actor_id, actor_role, data) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
    [e.districtCode, e.proposalId, e.seq, kind, at, actorId, e.actorRole, JSON.stringify(data)],
  );
}

export async function saveProjection(q: Queryable, id: string, s: ProposalState, lastSeq: number): Promise<void> {
  await q.query(
    `UPDATE micro_proposals SET status = $2, reason = $3, merged_into = $4, round_id = $5, selected_by_round = $6,
        cost_fen = COALESCE($7, estimated_cost_fen), budget_line = $8, project_item_id = $9,
        accepted_on = $10, design_on = $11, construction_on = $12, completed_on = $13, last_seq = $14
      WHERE id = $1`,
    [id, s.status, s.reason, s.mergedInto, s.roundId, s.selectedByRound, s.costFen, s.budgetLine, s.projectItemId,
      s.acceptedOn, s.designOn, s.constructionOn, s.completedOn, lastSeq],
  );
}

// ---- supports ----------------------------------------------------------------------------------

/** Inserts the support; false when this phone already supports the proposal (the primary key). */
export async function insertSupport(q: Queryable, s: { districtCode: string; proposalId: string; phoneHash: string; phone: string; at: Date; isDemo?: boolean }): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO micro_supports (district_code, proposal_id, supporter_phone_hash, supporter_phone, created_at, is_demo)
     VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT (proposal_id, supporter_phone_hash) DO NOTHING RETURNING 1`,
    [s.districtCode, s.proposalId, s.phoneHash, s.phone, s.at, s.isDemo ?? false],
  );
  return rows.length === 1;
}

export async function hasSupported(q: Queryable, proposalId: string, phoneHash: string): Promise<boolean> {
  return (await q.query(`SELECT 1 FROM micro_supports WHERE proposal_id = $1 AND supporter_phone_hash = $2`, [proposalId, phoneHash])).length > 0;
}

/**
 * Who is told about a proposal's steps: its proposer and supporters, and those of the proposals
 * merged into it. One row per phone; a proposer who also supports counts as proposer.
 */
export async function listRecipients(q: Queryable, proposalId: string): Promise<{ phone: string; phone_hash: string; role: 'proposer' | 'supporter' }[]> {
  return q.query(
    `SELECT DISTINCT ON (phone_hash) phone, phone_hash, role FROM (
        SELECT p.proposer_phone AS phone, p.proposer_phone_hash AS phone_hash, 'proposer' AS role, 0 AS o
          FROM micro_proposals p WHERE p.id = $1 OR p.merged_into = $1
        UNION ALL
        SELECT s.supporter_phone, s.supporter_phone_hash, 'supporter', 1
          FROM micro_supports s JOIN micro_proposals p ON p.id = s.proposal_id WHERE p.id = $1 OR p.merged_into = $1
      ) r ORDER BY phone_hash, o`,
    [proposalId],
  );
}

// ---- photos ------------------------------------------------------------------------------------

export async function insertPhoto(
  q: Queryable,
  p: { districtCode: string; proposalId: string; fileName: string; mimeType: string; sizeBytes: number; sha256: string; content: Buffer; createdAt: Date },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO micro_photos (district_code, proposal_id, file_name, mime_type, size_bytes, sha256, content, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
    [p.districtCode, p.proposalId, p.fileName, p.mimeType, p.sizeBytes, p.sha256, p.content, p.createdAt],
  );
  return row!.id;
}

export async function listPhotos(q: Queryable, proposalId: string) {
  return q.query<{ id: string; file_name: string; mime_type: string; size_bytes: number }>(
    `SELECT id, file_name, mime_type, size_bytes FROM micro_photos WHERE proposal_id = $1 ORDER BY created_at, id`,
    [proposalId],
  );
}

export async function getPhoto(q: Queryable, proposalId: string, photoId: string) {
  return (await q.query<{ file_name: string; mime_type: string; content: Uint8Array }>(
    `SELECT file_name, mime_type, content FROM micro_photos WHERE proposal_id = $1 AND id = $2`,
    [proposalId, photoId],
  ))[0];
}

// ---- resident tokens -------------------------------------------------------------------------

export async function insertResidentToken(q: Queryable, t: { tokenHash: string; districtCode: string; phone: string; phoneHash: string; createdAt: Date; expiresAt: Date }) {
  await q.query(
    `INSERT INTO micro_resident_tokens (token_hash, district_code, phone, phone_hash, created_at, expires_at) VALUES ($1,$2,$3,$4,$5,$6)`,
    [t.tokenHash, t.districtCode, t.phone, t.phoneHash, t.createdAt, t.expiresAt],
  );
}

export async function findResidentToken(q: Queryable, districtCode: string, tokenHash: string, now: Date) {
  return (await q.query<{ phone: string; phone_hash: string; expires_at: Date }>(
    `SELECT phone, phone_hash, expires_at FROM micro_resident_tokens WHERE district_code = $1 AND token_hash = $2 AND expires_at > $3`,
    [districtCode, tokenHash, now],
  ))[0];
}

export async function purgeResidentTokens(q: Queryable, now: Date): Promise<void> {
  await q.query(`DELETE FROM micro_resident_tokens WHERE expires_at <= $1`, [now]);
}

// ---- notifications ----------------------------------------------------------------------------

export async function insertNotifications(
  q: Queryable,
  n: { districtCode: string; proposalId: string; eventSeq: number; text: string; at: Date; recipients: { phone: string; phone_hash: string; role: string }[] },
): Promise<number> {
  if (n.recipients.length === 0) return 0;
  const rows = await q.query(
    `INSERT INTO micro_notifications (district_code, proposal_id, event_seq, recipient_phone_hash, recipient_phone, recipient_role, text, created_at)
     SELECT $1, $2, $3, r.phone_hash, r.phone, r.role, $4, $5
       FROM jsonb_to_recordset($6::jsonb) AS r(phone text, phone_hash text, role text)
     ON CONFLICT (proposal_id, event_seq, recipient_phone_hash) DO NOTHING RETURNING 1`,
    [n.districtCode, n.proposalId, n.eventSeq, n.text, n.at, JSON.stringify(n.recipients)],
  );
  return rows.length;
}

export async function claimPendingNotifications(q: Queryable, districtCode: string, limit: number, proposalId: string | null) {
  return q.query<{ id: number; recipient_phone: string; text: string }>(
    `SELECT id, recipient_phone, text FROM micro_notifications
      WHERE district_code = $1 AND status <> 'sent' AND attempts < 5 AND ($3::uuid IS NULL OR proposal_id = $3)
      ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [districtCode, limit, proposalId],
  );
}

export async function markNotification(q: Queryable, id: number, ok: boolean, at: Date): Promise<void> {
  await q.query(
    `UPDATE micro_notifications SET status = $2, attempts = attempts + 1, sent_at = CASE WHEN $2 = 'sent' THEN $3::timestamptz ELSE sent_at END WHERE id = $1`,
    [id, ok ? 'sent' : 'failed', at],
  );
}

/** Per event of a proposal: how many were told, and how many messages have gone out. */
export async function notificationCounts(q: Queryable, proposalId: string) {
  return q.query<{ event_seq: number; recipients: number; sent: number }>(
    `SELECT event_seq, count(*) AS recipients, count(*) FILTER (WHERE status = 'sent') AS sent
       FROM micro_notifications WHERE proposal_id = $1 GROUP BY event_seq`,
    [proposalId],
  );
}

export async function listNotificationsFor(q: Queryable, districtCode: string, phoneHash: string, limit: number) {
  return q.query<{ id: number; number: string; title: string; text: string; status: string; created_at: Date; kind: string }>(
    `SELECT n.id, p.number, p.title, n.text, n.status, n.created_at, e.kind
       FROM micro_notifications n
       JOIN micro_proposals p ON p.id = n.proposal_id
       JOIN micro_proposal_events e ON e.proposal_id = n.proposal_id AND e.seq = n.event_seq
      WHERE n.district_code = $1 AND n.recipient_phone_hash = $2
      ORDER BY n.created_at DESC, n.id DESC LIMIT $3`,
    [districtCode, phoneHash, limit],
  );
}

export async function listMine(q: Queryable, districtCode: string, phoneHash: string) {
  return q.query<{ number: string; title: string; status: string; role: string }>(
    `SELECT p.number, p.title, p.status, 'proposer' AS role FROM micro_proposals p WHERE p.district_code = $1 AND p.proposer_phone_hash = $2
     UNION ALL
     SELECT p.number, p.title, p.status, 'supporter' FROM micro_supports s JOIN micro_proposals p ON p.id = s.proposal_id
      WHERE s.district_code = $1 AND s.supporter_phone_hash = $2
     ORDER BY number DESC`,
    [districtCode, phoneHash],
  );
}

// ---- vote rounds ------------------------------------------------------------------------------

export interface RoundRow {
  id: string;
  district_code: string;
  title: string;
  area_code: string;
  area_path: string;
  budget_fen: number;
  min_items: number;
  max_items: number;
  status: 'open' | 'closed';
  opened_at: Date;
  closed_at: Date | null;
  result: unknown;
  ballots: number;
}

const ROUND_SELECT = `SELECT r.*, (SELECT count(*) FROM micro_ballots b WHERE b.round_id = r.id) AS ballots FROM micro_rounds r`;

export async function insertRound(
  q: Queryable,
  r: { districtCode: string; title: string; areaCode: string; areaPath: string; budgetFen: number; minItems: number; maxItems: number; openedAt: Date; createdBy: string | null; isDemo?: boolean },
): Promise<string> {
  const [row] = await q.query<{ id: string }>(
    `INSERT INTO micro_rounds (district_code, title, area_code, area_path, budget_fen, min_items, max_items, status, opened_at, created_by, is_demo)
     VALUES ($1,$2,$3,$4,$5,$6,$7,'open',$8,$9,$10) RETURNING id`,
    [r.districtCode, r.title, r.areaCode, r.areaPath, r.budgetFen, r.minItems, r.maxItems, r.openedAt, r.createdBy, r.isDemo ?? false],
  );
  return row!.id;
}

export async function addRoundProposal(q: Queryable, roundId: string, proposalId: string, costFen: number): Promise<void> {
  await q.query(`INSERT INTO micro_round_proposals (round_id, proposal_id, cost_fen) VALUES ($1,$2,$3)`, [roundId, proposalId, costFen]);
}

export async function findRound(q: Queryable, districtCode: string, id: string): Promise<RoundRow | undefined> {
  return (await q.query<RoundRow & Record<string, unknown>>(`${ROUND_SELECT} WHERE r.district_code = $1 AND r.id = $2`, [districtCode, id]))[0];
}

export async function lockRound(q: Queryable, districtCode: string, id: string): Promise<RoundRow | undefined> {
  await q.query(`SELECT 1 FROM micro_rounds WHERE district_code = $1 AND id = $2 FOR UPDATE`, [districtCode, id]);
  return findRound(q, districtCode, id);
}

export async function listRounds(q: Queryable, districtCode: string, scope: string, status: 'open' | 'closed' | null): Promise<RoundRow[]> {
  return q.query<RoundRow & Record<string, unknown>>(
    `${ROUND_SELECT} WHERE r.district_code = $1 AND r.area_path LIKE $2 || '%' AND ($3::text IS NULL OR r.status = $3) ORDER BY r.opened_at DESC`,
    [districtCode, scope, status],
  );
}

export async function listRoundProposals(q: Queryable, roundId: string) {
  return q.query<{ id: string; number: string; title: string; cost_fen: number; created_at: Date; status: string; supports: number }>(
    `SELECT p.id, p.number, p.title, rp.cost_fen, p.created_at, p.status,
            (SELECT count(*) FROM micro_supports s WHERE s.proposal_id = p.id) AS supports
       FROM micro_round_proposals rp JOIN micro_proposals p ON p.id = rp.proposal_id
      WHERE rp.round_id = $1 ORDER BY p.number`,
    [roundId],
  );
}

/** Inserts the ballot; false when this phone has voted in the round already (the primary key). */
export async function insertBallot(q: Queryable, b: { roundId: string; districtCode: string; phoneHash: string; at: Date; choices: readonly string[] }): Promise<boolean> {
  const rows = await q.query(
    `INSERT INTO micro_ballots (round_id, district_code, voter_phone_hash, cast_at) VALUES ($1,$2,$3,$4)
     ON CONFLICT (round_id, voter_phone_hash) DO NOTHING RETURNING 1`,
    [b.roundId, b.districtCode, b.phoneHash, b.at],
  );
  if (rows.length === 0) return false;
  await q.query(
    `INSERT INTO micro_ballot_choices (round_id, voter_phone_hash, proposal_id) SELECT $1, $2, unnest($3::uuid[])`,
    [b.roundId, b.phoneHash, b.choices],
  );
  return true;
}

export async function hasVoted(q: Queryable, roundId: string, phoneHash: string): Promise<boolean> {
  return (await q.query(`SELECT 1 FROM micro_ballots WHERE round_id = $1 AND voter_phone_hash = $2`, [roundId, phoneHash])).length > 0;
}

export async function listBallots(q: Queryable, roundId: string): Promise<string[][]> {
  const rows = await q.query<{ choices: string[] }>(
    `SELECT array_agg(proposal_id::text ORDER BY proposal_id) AS choices FROM micro_ballot_choices WHERE round_id = $1 GROUP BY voter_phone_hash`,
    [roundId],
  );
  return rows.map((r) => r.choices);
}

export async function closeRound(q: Queryable, id: string, at: Date, result: unknown): Promise<void> {
  await q.query(`UPDATE micro_rounds SET status = 'closed', closed_at = $2, result = $3 WHERE id = $1`, [id, at, JSON.stringify(result)]);
}

/** Demo only: notices of generated history are marked sent without sending (no real phones). */
export async function markDemoNotificationsSent(q: Queryable, proposalId: string, at: Date): Promise<void> {
  await q.query(`UPDATE micro_notifications SET status = 'sent', attempts = 1, sent_at = $2 WHERE proposal_id = $1 AND status = 'pending'`, [proposalId, at]);
}
