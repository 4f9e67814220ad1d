/**
 * 民生微实事 over HTTP on a real database: a resident proposes (phone code → token), another
 * supports, the street screens and accepts, design → construction → acceptance are recorded and
 * everyone is notified; bad input is refused with zh/en messages and nothing is half-saved;
 * each staff endpoint climbs 401 → 400 → 403 → 200.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, testApp, type TestApp } from '../../../test/helpers/app';
import type { LoggingSmsSender } from '../tickets';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ now: '2026-11-23T01:00:00Z' });
});
afterAll(() => t.close());

const csrf = { 'x-minsheng-csrf': '1' };
const sms = () => t.deps.sms as LoggingSmsSender;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5c5e3a40000000049454e44ae426082', 'hex');
const CELL = '370202001001001'; // a grid cell of the first street (the street admin's)

/** Phone code → token, through the tickets module's public code endpoint. */
async function residentToken(phone: string): Promise<string> {
  t.clock.advance(61_000); // the code endpoint allows one code a minute per phone
  const sent = await t.app.inject({ method: 'POST', url: '/api/v1/public/verification-codes', headers: csrf, payload: { phone } });
  expect(sent.statusCode, sent.body).toBe(202);
  const code = /(\d{6})/.exec(sms().sent.filter((s) => s.phone === phone).at(-1)!.text)![1]!;
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/sessions', headers: csrf, payload: { phone, code } });
  expect(res.statusCode, res.body).toBe(201);
  return json<{ token: string }>(res).token;
}

const rh = (token: string) => ({ ...csrf, 'x-resident-token': token });
const proposal = (over: Record<string, unknown> = {}) => ({
  title: '小区门口加装休息座椅',
  description: '公交站旁没有座椅，老人候车只能站着。',
  place: { areaCode: CELL, address: '香港中路 1 号门口' },
  estimatedCostFen: 1_200_000,
  photos: [{ fileName: '现场.png', contentBase64: PNG.toString('base64') }],
  ...over,
});
const count = async (table: string) => (await t.deps.db.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n;

describe('a micro project from proposal to acceptance', () => {
  let number = '';
  let id = '';
  let proposerToken = '';
  let supporterToken = '';

  it('a verified resident proposes; bad input is refused and nothing is saved', async () => {
    // No token, a wrong code: refused.
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/proposals', headers: csrf, payload: proposal() })).statusCode).toBe(401);
    const wrong = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/sessions', headers: csrf, payload: { phone: '13900000001', code: '000000' } });
    expect(wrong.statusCode).toBe(400);

    proposerToken = await residentToken('13900000001');
    const before = { proposals: await count('micro_proposals'), photos: await count('micro_photos'), events: await count('micro_proposal_events') };
    const refused = async (over: Record<string, unknown>, status: number, zh: RegExp) => {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/proposals', headers: rh(proposerToken), payload: proposal(over) });
      expect(res.statusCode, res.body).toBe(status);
      const err = json<{ error: { zh: string; en: string } }>(res).error;
      expect(err.zh).toMatch(zh);
      expect(err.en.length).toBeGreaterThan(5);
    };
    await refused({ estimatedCostFen: 0 }, 400, /大于 0/);
    await refused({ estimatedCostFen: -500 }, 400, /大于 0/);
    await refused({ estimatedCostFen: 100_000_001 }, 400, /不能超过/);
    await refused({ estimatedCostFen: 12.5 }, 400, /.+/);
    await refused({ title: '   ' }, 400, /.+/);
    await refused({ photos: [{ fileName: 'x.png', contentBase64: Buffer.from('GIF89a-not-a-photo').toString('base64') }] }, 415, /JPEG、PNG 或 WebP/);
    const big = Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]);
    await refused({ photos: [{ fileName: 'big.png', contentBase64: big.toString('base64') }] }, 413, /5 MB/);
    // A good first photo and a bad second one: the whole proposal is refused.
    await refused({ photos: [{ fileName: 'a.png', contentBase64: PNG.toString('base64') }, { fileName: 'b.txt', contentBase64: Buffer.from('hello world').toString('base64') }] }, 415, /第 2 张/);
    await refused({ place: { areaCode: '999999999' } }, 400, /不是本区/);
    await refused({ place: { lon: 116.4, lat: 39.9 } }, 404, /不在本区/);
    expect({ proposals: await count('micro_proposals'), photos: await count('micro_photos'), events: await count('micro_proposal_events') }).toEqual(before);

    const res = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/proposals', headers: { ...rh(proposerToken), 'idempotency-key': 'micro-propose-0001' }, payload: proposal() });
    expect(res.statusCode, res.body).toBe(201);
    const p = json<{ proposal: { id: string; number: string; status: string; photos: number; place: { subdistrictCode: string } } }>(res).proposal;
    expect(p).toMatchObject({ status: 'submitted', photos: 1, place: { subdistrictCode: '370202001' } });
    expect(JSON.stringify(json(res))).not.toContain('13900000001');
    number = p.number;
    id = p.id;
    // A retry with the same key gives the same proposal, not a second one.
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/proposals', headers: { ...rh(proposerToken), 'idempotency-key': 'micro-propose-0001' }, payload: proposal() });
    expect(json<{ proposal: { number: string } }>(again).proposal.number).toBe(number);
    expect(await count('micro_proposals')).toBe(before.proposals + 1);
  });

  it('a point is placed in its grid cell through the locator', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/proposals', headers: rh(proposerToken), payload: proposal({ title: '路口加装反光镜', place: { lon: 120.36, lat: 36.068 }, photos: [] }) });
    expect(res.statusCode, res.body).toBe(201);
    const p = json<{ proposal: { place: { areaCode: string; subdistrictCode: string } } }>(res).proposal;
    expect(p.place.areaCode).toMatch(/^370202\d{9}$/);
  });

  it('another resident supports once; twice and self-support are refused', async () => {
    supporterToken = await residentToken('13900000002');
    const url = `/api/v1/public/micro/proposals/${number}/supports`;
    expect((await t.app.inject({ method: 'POST', url, headers: csrf })).statusCode).toBe(401);
    const ok = await t.app.inject({ method: 'POST', url, headers: rh(supporterToken) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(json<{ proposal: { supports: number }; me: { hasSupported: boolean } }>(ok)).toMatchObject({ proposal: { supports: 1 }, me: { hasSupported: true } });
    const twice = await t.app.inject({ method: 'POST', url, headers: rh(supporterToken) });
    expect(twice.statusCode).toBe(409);
    expect(json<{ error: { zh: string } }>(twice).error.zh).toContain('已经支持过');
    expect((await t.app.inject({ method: 'POST', url, headers: rh(proposerToken) })).statusCode).toBe(409);
    // The database itself refuses a second support by the same phone.
    await expect(
      t.deps.db.query(`INSERT INTO micro_supports (district_code, proposal_id, supporter_phone_hash, supporter_phone, created_at) SELECT district_code, proposal_id, supporter_phone_hash, supporter_phone, created_at FROM micro_supports WHERE proposal_id = $1`, [id]),
    ).rejects.toThrow();
  });

  it('staff endpoints climb 401 → 400 → 403 → 200', async () => {
    const url = `/api/v1/micro/proposals/${id}/accept`;
    const body = { reason: '居民需求迫切，予以采纳', date: '2026-11-23' };
    expect((await t.app.inject({ method: 'POST', url, headers: csrf, payload: body })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url, headers: await t.as('street-admin'), payload: { date: '2026-11-23' } })).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url, headers: await t.as('dispatcher'), payload: body })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/micro/proposals', headers: await t.as('leader') })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/micro/proposals' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/micro/proposals?status=nope', headers: await t.as('admin') })).statusCode).toBe(400);
    const list = await t.app.inject({ url: '/api/v1/micro/proposals', headers: await t.as('street-admin') });
    expect(list.statusCode).toBe(200);
    const item = json<{ items: { id: string; proposerPhone: string }[] }>(list).items.find((x) => x.id === id)!;
    expect(item.proposerPhone).toBe('139****0001');
  });

  it('the street screens and moves it through the stages; out of order is 409 naming the allowed acts', async () => {
    const act = async (seg: string, payload: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${id}/${seg}`, headers: await t.as('street-admin'), payload });
    const early = await act('start-design', { date: '2026-11-23' });
    expect(early.statusCode).toBe(409);
    expect(json<{ error: { zh: string; en: string } }>(early).error.zh).toMatch(/现在可以：采纳、合并、不予采纳/);
    expect((await act('accept', { reason: '居民需求迫切', date: '2026-12-30' })).statusCode).toBe(400); // a future date
    const accepted = await act('accept', { reason: '居民需求迫切，予以采纳', date: '2026-11-20' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(json<{ allowedActs: string[] }>(accepted).allowedActs).toEqual(['startDesign', 'link']);
    expect((await act('start-design', { date: '2026-11-19' })).statusCode).toBe(400); // before the previous stage
    expect((await act('complete-acceptance', { date: '2026-11-23' })).statusCode).toBe(409);
    expect((await act('link', { budgetLine: '2026年民生微实事专项', projectItemId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(400);
    expect((await act('link', { budgetLine: '2026年民生微实事专项', projectItemId: null })).statusCode).toBe(200);
    expect((await act('start-design', { date: '2026-11-21', note: '施工图设计' })).statusCode).toBe(200);
    expect((await act('start-construction', { date: '2026-11-22', note: '' })).statusCode).toBe(200);
    const done = await act('complete-acceptance', { date: '2026-11-23', note: '联合验收合格' });
    expect(done.statusCode, done.body).toBe(200);
    expect(json<{ proposal: { status: string; stages: Record<string, string> }; allowedActs: string[] }>(done)).toMatchObject({
      proposal: { status: 'completed', stages: { acceptedOn: '2026-11-20', designOn: '2026-11-21', constructionOn: '2026-11-22', completedOn: '2026-11-23' } },
      allowedActs: [],
    });
    expect((await act('reject', { reason: '太晚了', date: '2026-11-23' })).statusCode).toBe(409);
  });

  it('proposer and supporter were told at each stage (SMS log, notices table, public page)', async () => {
    for (const phone of ['13900000001', '13900000002']) {
      const texts = sms().sent.filter((s) => s.phone === phone && s.text.includes(number)).map((s) => s.text);
      expect(texts).toHaveLength(4);
      expect(texts.join('\n')).toMatch(/采纳[\s\S]*设计[\s\S]*开工[\s\S]*验收/);
    }
    const page = json<{ timeline: { kind: string; date: string | null; notified: number }[]; proposal: { status: string } }>(
      await t.app.inject({ url: `/api/v1/public/micro/proposals/${number}` }),
    );
    expect(page.proposal.status).toBe('completed');
    expect(page.timeline.filter((e) => e.notified === 2).map((e) => e.kind)).toEqual(['accepted', 'design_started', 'construction_started', 'completed']);
    const me = json<{ notifications: { kind: string; status: string }[] }>(await t.app.inject({ url: '/api/v1/public/micro/me', headers: rh(supporterToken) }));
    expect(me.notifications.map((n) => n.kind)).toEqual(['completed', 'construction_started', 'design_started', 'accepted']);
    expect(me.notifications.every((n) => n.status === 'sent')).toBe(true);
    // The public page shows no phone number.
    expect(JSON.stringify(page)).not.toMatch(/1390000000/);
  });
});

describe('vote rounds', () => {
  it('a round within the budget: rules checked, one ballot per resident, over the maximum refused, tally within budget', async () => {
    const admin = await t.as('street-admin');
    const token = await residentToken('13900000011');
    const ids: string[] = [];
    for (const [i, cost] of [3_000_000, 2_000_000, 4_000_000].entries()) {
      const r = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/proposals', headers: rh(token), payload: proposal({ title: `候选项目 ${i + 1}`, estimatedCostFen: cost, photos: [] }) });
      const pid = json<{ proposal: { id: string } }>(r).proposal.id;
      await t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${pid}/accept`, headers: admin, payload: { reason: '进入票决', date: '2026-11-23' } });
      ids.push(pid);
    }
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/micro/rounds', headers: admin, payload: { title: '2026 香港中路街道微实事票决', areaCode: '370202001', budgetFen: 5_000_000, minItems: 2, maxItems: 1, proposalIds: ids } });
    expect(bad.statusCode).toBe(400);
    const outside = await t.app.inject({ method: 'POST', url: '/api/v1/micro/rounds', headers: admin, payload: { title: '跨街道', areaCode: '370202002', budgetFen: 5_000_000, minItems: 1, maxItems: 2, proposalIds: ids } });
    expect(outside.statusCode).toBe(403);
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/micro/rounds', headers: admin, payload: { title: '2026 香港中路街道微实事票决', areaCode: '370202001', budgetFen: 5_000_000, minItems: 1, maxItems: 2, proposalIds: ids } });
    expect(created.statusCode, created.body).toBe(201);
    const roundId = json<{ round: { id: string } }>(created).round.id;
    // While in the round, a proposal waits for the tally.
    const design = await t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${ids[0]}/start-design`, headers: admin, payload: { date: '2026-11-23' } });
    expect(design.statusCode).toBe(409);

    const vote = async (tok: string, proposalIds: string[]) => t.app.inject({ method: 'POST', url: `/api/v1/public/micro/rounds/${roundId}/ballots`, headers: rh(tok), payload: { proposalIds } });
    const over = await vote(token, ids);
    expect(over.statusCode).toBe(400);
    expect(json<{ error: { zh: string } }>(over).error.zh).toContain('最多只能选 2 项');
    expect((await vote(token, [ids[0]!, ids[2]!])).statusCode).toBe(201);
    expect((await vote(token, [ids[1]!])).statusCode).toBe(409);
    for (const [k, choice] of [[ids[0]!], [ids[2]!], [ids[1]!, ids[2]!]].entries()) {
      expect((await vote(await residentToken(`1390000002${k}`), choice)).statusCode).toBe(201);
    }
    // votes: #1 → 2, #2 → 1, #3 → 3; budget 50 000 元: #3 (40 000) fits, #1 (30 000) does not, #2 (20 000) does not.
    const closed = await t.app.inject({ method: 'POST', url: `/api/v1/micro/rounds/${roundId}/close`, headers: admin, payload: {} });
    expect(closed.statusCode, closed.body).toBe(200);
    const tally = json<{ final: boolean; tally: { spentFen: number; lines: { id: string; votes: number; selected: boolean }[] } }>(closed).tally;
    expect(tally.spentFen).toBeLessThanOrEqual(5_000_000);
    expect(tally.lines.map((l) => [l.votes, l.selected])).toEqual([[3, true], [2, false], [1, false]]);
    const statuses = await t.deps.db.query<{ id: string; status: string }>(`SELECT id, status FROM micro_proposals WHERE id = ANY($1::uuid[])`, [ids]);
    expect(Object.fromEntries(statuses.map((s) => [s.id, s.status]))).toEqual({ [ids[0]!]: 'not_selected', [ids[1]!]: 'not_selected', [ids[2]!]: 'accepted' });
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${ids[2]}/start-design`, headers: admin, payload: { date: '2026-11-23' } })).statusCode).toBe(200);
    expect((await vote(await residentToken('13900000031'), [ids[0]!])).statusCode).toBe(409);
  });
});

describe('demo data', () => {
  it('has the seeds\' 14 proposals, 3 in design, labelled demo', async () => {
    const rows = await t.deps.db.query<{ status: string; n: number }>(`SELECT status, count(*) AS n FROM micro_proposals WHERE is_demo GROUP BY status ORDER BY status`);
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    expect(by).toEqual({ submitted: 6, accepted: 1, design: 3, construction: 1, completed: 1, merged: 1, rejected: 1 });
    const phones = await t.deps.db.query<{ p: string }>(`SELECT proposer_phone AS p FROM micro_proposals WHERE is_demo UNION ALL SELECT supporter_phone FROM micro_supports WHERE is_demo`);
    expect(phones.every((r) => r.p.startsWith('100'))).toBe(true);
  });
});

describe('supports racing', () => {
  it('the same phone supporting five times at once lands exactly one support', async () => {
    const proposer = await residentToken('13900000041');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/proposals', headers: rh(proposer), payload: proposal({ title: '并发支持测试', photos: [] }) });
    const number = json<{ proposal: { number: string } }>(created).proposal.number;
    const token = await residentToken('13900000042');
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.app.inject({ method: 'POST', url: `/api/v1/public/micro/proposals/${number}/supports`, headers: rh(token) })),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409]);
    const rows = await t.deps.db.query<{ n: number }>(`SELECT count(*) AS n FROM micro_supports s JOIN micro_proposals p ON p.id = s.proposal_id WHERE p.number = $1`, [number]);
    expect(rows[0]!.n).toBe(1);
  });

  it('a notice whose SMS fails is kept and sent on the next delivery', async () => {
    const sender = sms();
    const admin = await t.as('street-admin');
    const token = await residentToken('13900000051');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/proposals', headers: rh(token), payload: proposal({ title: '短信失败重试', photos: [] }) });
    const id = json<{ proposal: { id: string } }>(created).proposal.id;
    const original = sender.send.bind(sender);
    sender.send = async () => {
      throw new Error('gateway down');
    };
    try {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${id}/accept`, headers: admin, payload: { reason: '采纳', date: '2026-11-23' } });
      expect(res.statusCode).toBe(200); // the act stands; the notice waits
    } finally {
      sender.send = original;
    }
    const pending = await t.deps.db.query<{ status: string }>(`SELECT status FROM micro_notifications WHERE proposal_id = $1`, [id]);
    expect(pending.map((p) => p.status)).toEqual(['failed']);
    const { microService } = await import('./index');
    expect(await microService.deliverNotifications(t.deps)).toMatchObject({ sent: 1, failed: 0 });
    expect(sender.sent.at(-1)!.text).toContain('已被街道采纳');
  });
});

describe('links', () => {
  it('an accepted proposal links to a budget line and a 民生实事 item (looked up through the projects module)', async () => {
    // A demo programme item (the projects module seeds it with the demo district); read-only here.
    const [item] = await t.deps.db.query<{ id: string; title: string }>(`SELECT id, title FROM project_items WHERE district_code = '370202' ORDER BY code LIMIT 1`);
    expect(item, 'the demo district has 民生实事 items').toBeDefined();
    const token = await residentToken('13900000061');
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/public/micro/proposals', headers: rh(token), payload: proposal({ title: '关联实事项目', photos: [] }) });
    const { id, number } = json<{ proposal: { id: string; number: string } }>(created).proposal;
    const admin = await t.as('street-admin');
    // Not before acceptance.
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${id}/link`, headers: admin, payload: { budgetLine: '2026年民生微实事专项', projectItemId: item!.id } })).statusCode).toBe(409);
    await t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${id}/accept`, headers: admin, payload: { reason: '采纳', date: '2026-11-23', costFen: 900_000 } });
    const linked = await t.app.inject({ method: 'POST', url: `/api/v1/micro/proposals/${id}/link`, headers: admin, payload: { budgetLine: '2026年民生微实事专项', projectItemId: item!.id } });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(json<{ proposal: { budgetLine: string; projectItemId: string; costFen: number } }>(linked).proposal).toMatchObject({ budgetLine: '2026年民生微实事专项', projectItemId: item!.id, costFen: 900_000 });
    const page = json<{ timeline: { kind: string; projectItemTitle: string | null }[] }>(await t.app.inject({ url: `/api/v1/public/micro/proposals/${number}` }));
    expect(page.timeline.find((e) => e.kind === 'linked')?.projectItemTitle).toContain(item!.title);
  });
});
