import { z } from 'zod';
import { requireActor, type App } from '../../shared/http';
import { ACT_SEGMENTS, STAFF_ACTS } from './core/lifecycle';
import { MAX_PHOTOS } from './core/rules';
import { ActBodies, BallotBody, CreateRoundBody, IdParams, NumberParams, ProposeBody, PublicListQuery, RESIDENT_HEADER, SessionBody, StaffListQuery } from './contract';
import * as service from './service';

const PHOTO_BODY_LIMIT = MAX_PHOTOS * 7 * 1024 * 1024 + 64 * 1024;

/** Residents' pages: no account; a phone code buys a token sent in the x-resident-token header. */
export function publicMicroRoutes(app: App, deps: service.MicroDeps) {
  const tags = ['micro-public'];
  const resident = (req: { headers: Record<string, unknown> }) => service.residentOf(deps, req.headers[RESIDENT_HEADER]);
  const maybeResident = async (req: { headers: Record<string, unknown> }) => (req.headers[RESIDENT_HEADER] ? resident(req) : null);

  app.post('/api/v1/public/micro/sessions', { schema: { tags, summary: '手机验证码确认身份 Confirm a phone (code from /public/verification-codes)', body: SessionBody } }, async (req, reply) =>
    reply.code(201).send(await service.startResidentSession(deps, req.body.phone, req.body.code)),
  );
  app.get('/api/v1/public/micro/me', { schema: { tags, summary: '我的提议、支持与通知 My proposals, supports and notices' } }, async (req) =>
    service.myActivity(deps, await resident(req)),
  );
  app.get('/api/v1/public/micro/proposals', { schema: { tags, summary: '微实事提议 Micro-project proposals', querystring: PublicListQuery } }, async (req) =>
    service.publicList(deps, req.query),
  );
  app.post('/api/v1/public/micro/proposals', { bodyLimit: PHOTO_BODY_LIMIT, schema: { tags, summary: '提出微实事 Propose a micro project', body: ProposeBody } }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const r = await service.propose(deps, await resident(req), req.body, typeof key === 'string' ? key : null);
    return reply.code(r.replayed ? 200 : 201).send({ proposal: r.proposal });
  });
  app.get('/api/v1/public/micro/proposals/:number', { schema: { tags, summary: '提议详情与进度 A proposal and its steps', params: NumberParams } }, async (req) =>
    service.publicProposal(deps, req.params.number, await maybeResident(req)),
  );
  app.get(
    '/api/v1/public/micro/proposals/:number/photos/:photoId',
    { schema: { tags, summary: '提议照片 A photo', params: z.object({ number: NumberParams.shape.number, photoId: z.uuid() }).strict() } },
    async (req, reply) => {
      const f = await service.photoOf(deps, req.params.number, req.params.photoId);
      return reply.type(f.mimeType).header('content-disposition', `inline; filename="${encodeURIComponent(f.fileName)}"`).header('cache-control', 'public, max-age=86400').send(f.content);
    },
  );
  app.post('/api/v1/public/micro/proposals/:number/supports', { schema: { tags, summary: '支持提议（每人一次）Support a proposal (once per person)', params: NumberParams } }, async (req, reply) =>
    reply.code(201).send(await service.support(deps, await resident(req), req.params.number)),
  );
  app.get('/api/v1/public/micro/places', { schema: { tags, summary: '街道与社区 Streets and communities to pick from' } }, async (_req, reply) =>
    reply.header('cache-control', 'public, max-age=600').send(await service.publicPlaces(deps)),
  );
  app.get('/api/v1/public/micro/rounds', { schema: { tags, summary: '票决轮次 Vote rounds' } }, async () => service.publicRounds(deps));
  app.get('/api/v1/public/micro/rounds/:id', { schema: { tags, summary: '票决轮次与候选 A vote round and its ballot', params: IdParams } }, async (req) =>
    service.publicRound(deps, req.params.id, await maybeResident(req)),
  );
  app.post('/api/v1/public/micro/rounds/:id/ballots', { schema: { tags, summary: '投票（每人一票）Vote (one ballot per person)', params: IdParams, body: BallotBody } }, async (req, reply) =>
    reply.code(201).send(await service.castBallot(deps, await resident(req), req.params.id, req.body.proposalIds)),
  );
}

/** The street's workbench: screening, stages, vote rounds (micro.screen, scoped to the street). */
export function microRoutes(app: App, deps: service.MicroDeps) {
  const tags = ['micro'];
  app.get('/api/v1/micro/proposals', { schema: { tags, summary: '辖区微实事提议 Proposals in your scope', querystring: StaffListQuery } }, async (req) =>
    service.listProposals(deps, requireActor(req), req.query),
  );
  app.get('/api/v1/micro/proposals/:id', { schema: { tags, summary: '提议详情 A proposal, its log and allowed acts', params: IdParams } }, async (req) =>
    service.getProposal(deps, requireActor(req), req.params.id),
  );
  for (const act of STAFF_ACTS) {
    app.post(
      `/api/v1/micro/proposals/:id/${ACT_SEGMENTS[act]}`,
      { schema: { tags, summary: act, params: IdParams, body: ActBodies[act] as z.ZodType } },
      async (req) => service.actOnProposal(deps, requireActor(req), req.params.id, act, req.body as never),
    );
  }
  app.get('/api/v1/micro/rounds', { schema: { tags, summary: '票决轮次 Vote rounds in your scope' } }, async (req) => service.listRounds(deps, requireActor(req)));
  app.post('/api/v1/micro/rounds', { schema: { tags, summary: '发起票决 Open a vote round', body: CreateRoundBody } }, async (req, reply) =>
    reply.code(201).send(await service.createRound(deps, requireActor(req), req.body)),
  );
  app.get('/api/v1/micro/rounds/:id', { schema: { tags, summary: '票决轮次 A vote round', params: IdParams } }, async (req) => service.getRound(deps, requireActor(req), req.params.id));
  app.get('/api/v1/micro/rounds/:id/tally', { schema: { tags, summary: '计票 The count (so far, or final)', params: IdParams } }, async (req) =>
    service.tallyRound(deps, requireActor(req), req.params.id),
  );
  app.post('/api/v1/micro/rounds/:id/close', { schema: { tags, summary: '结束票决并计票 Close the round and tally', params: IdParams, body: z.object({}).strict().optional() } }, async (req) =>
    service.closeRound(deps, requireActor(req), req.params.id),
  );
}
