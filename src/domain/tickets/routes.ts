import { z } from 'zod';
import { requireActor, type App } from '../../shared/http';
import { ACTS, ACT_SEGMENTS } from './core/lifecycle';
import { AttachmentBody, CategoryBody, CreateTicketBody, ListTicketsQuery, RouteBody, TicketIdParams, TimeLimitBody } from './contract';
import * as service from './service';
import * as repo from './repo';
import * as stats from './stats';
import { statsWorkbook } from './stats-export';
import { STAT_DIMENSIONS } from './stats';


export function ticketsRoutes(app: App, deps: service.TicketsDeps & { districtCode: string }) {
  const tags = ['tickets'];
  app.post('/api/v1/tickets', { schema: { tags, summary: '登记诉求 Record a ticket (hotline, patrol, supervision)', body: CreateTicketBody } }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const r = await service.createTicket(deps, requireActor(req), deps.districtCode, req.body, { idempotencyKey: typeof key === 'string' ? key : null });
    return reply.code(r.replayed ? 200 : 201).send({ ticket: r.ticket });
  });
  app.get('/api/v1/tickets', { schema: { tags, summary: '诉求列表 Tickets in your scope or unit', querystring: ListTicketsQuery } }, async (req) =>
    service.listTickets(deps, requireActor(req), req.query),
  );
  app.get('/api/v1/tickets/categories', { schema: { tags, summary: '诉求分类 The category catalogue' } }, async (req) => {
    const actor = requireActor(req);
    const rows = await repo.listCategories(deps.db, actor.districtCode);
    return { items: rows.map((c) => ({ code: c.code, parentCode: c.parent_code, level: c.level, name: c.name, nameEn: c.name_en, active: c.active, autoDispatch: c.auto_dispatch })) };
  });
  app.post('/api/v1/tickets/categories', { schema: { tags, summary: '新增或修改分类 Save a category (admin)', body: CategoryBody } }, async (req) => ({
    category: await service.saveCategory(deps, requireActor(req), req.body),
  }));
  app.get('/api/v1/tickets/routing', { schema: { tags, summary: '派单目录与办理时限 Routing table and time limits' } }, async (req) =>
    service.listRoutingTable(deps, requireActor(req)),
  );
  app.post('/api/v1/tickets/routing/routes', { schema: { tags, summary: '设置派单规则 Set a route (admin)', body: RouteBody } }, async (req) => ({
    route: await service.saveRoute(deps, requireActor(req), req.body),
  }));
  app.post('/api/v1/tickets/routing/time-limits', { schema: { tags, summary: '设置办理时限 Set a time limit (admin)', body: TimeLimitBody } }, async (req) => ({
    timeLimit: await service.saveTimeLimit(deps, requireActor(req), req.body),
  }));
  app.get('/api/v1/tickets/:id/nearby', { schema: { tags, summary: '附近的未办结诉求（疑似重复）Open tickets nearby (likely duplicates)', params: TicketIdParams } }, async (req) =>
    service.nearbyOpenTickets(deps, requireActor(req), req.params.id),
  );
  app.get(
    '/api/v1/tickets/stats',
    {
      schema: {
        tags,
        summary: '三率统计 Response, resolution and satisfaction rates with raw counts',
        querystring: z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), by: z.enum(STAT_DIMENSIONS).default('subdistrict'), live: z.enum(['true', 'false']).optional() }).strict(),
      },
    },
    async (req) => stats.ticketStats(deps, requireActor(req), { from: req.query.from, to: req.query.to, by: req.query.by, ...(req.query.live ? { live: req.query.live === 'true' } : {}) }),
  );
  app.get(
    '/api/v1/tickets/stats.xlsx',
    {
      schema: {
        tags,
        summary: '三率统计导出 Excel Rates as an Excel workbook',
        querystring: z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), by: z.enum(STAT_DIMENSIONS).default('subdistrict') }).strict(),
      },
    },
    async (req, reply) => {
      const figures = await stats.ticketStats(deps, requireActor(req), { from: req.query.from, to: req.query.to, by: req.query.by });
      const file = `minsheng-stats-${req.query.from}-${req.query.to}-${req.query.by}.xlsx`;
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${file}"`)
        .send(await statsWorkbook(figures));
    },
  );
  app.get(
    '/api/v1/tickets/stats/trend',
    { schema: { tags, summary: '分类环比同比 Month-on-month and year-on-year per category', querystring: z.object({ month: z.string().regex(/^\d{4}-\d{2}$/) }).strict() } },
    async (req) => stats.categoryTrend(deps, requireActor(req), { month: req.query.month }),
  );
  app.get('/api/v1/tickets/:id', { schema: { tags, summary: '诉求详情与时间线 A ticket and its timeline', params: TicketIdParams } }, async (req) =>
    service.getTicket(deps, requireActor(req), req.params.id),
  );
  app.get('/api/v1/tickets/:id/contact', { schema: { tags, summary: '诉求人联系方式（留痕）Requester contact (audited)', params: TicketIdParams } }, async (req) =>
    service.revealRequesterContact(deps, requireActor(req), req.params.id),
  );
  app.get('/api/v1/tickets/:id/dispatch-suggestions', { schema: { tags, summary: '派单建议 Dispatch suggestions with reasons', params: TicketIdParams } }, async (req) =>
    service.suggestDispatch(deps, requireActor(req), req.params.id),
  );
  app.post(
    '/api/v1/tickets/:id/attachments',
    {
      bodyLimit: 8 * 1024 * 1024,
      schema: { tags, summary: '上传照片（base64）Attach a photo (JPEG/PNG/WebP, ≤ 5 MB)', params: TicketIdParams, body: AttachmentBody },
    },
    async (req, reply) => reply.code(201).send({ attachment: await service.addAttachment(deps, requireActor(req), req.params.id, req.body) }),
  );
  app.get(
    '/api/v1/tickets/:id/attachments/:attachmentId',
    { schema: { tags, summary: '照片 A photo', params: z.object({ id: z.uuid(), attachmentId: z.uuid() }).strict() } },
    async (req, reply) => {
      const a = await service.getAttachment(deps, requireActor(req), req.params.id, req.params.attachmentId);
      return reply
        .type(a.mimeType)
        .header('content-disposition', `inline; filename="${encodeURIComponent(a.fileName)}"`)
        .header('cache-control', 'private, max-age=3600')
        .send(a.content);
    },
  );
  for (const act of ACTS) {
    const body = service.ActBodies[act] as z.ZodType;
    app.post(
      `/api/v1/tickets/:id/${ACT_SEGMENTS[act]}`,
      { schema: { tags, summary: `${act}`, params: TicketIdParams, body } },
      async (req) => service.actOnTicket(deps, requireActor(req), req.params.id, act, req.body as never),
    );
  }
}
