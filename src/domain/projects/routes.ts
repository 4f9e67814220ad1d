/** HTTP for 民生实事: thin — identify the actor, call the service. */
import { requireActor, type App } from '../../shared/http';
import { CloseBody, CreateProgrammeBody, DateQuery, IdParams, ImportBody, ItemBody, RatingBody, ReportBody, ReturnBody, SummaryQuery, YearParams } from './contract';
import * as service from './service';
import * as exporter from './export';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function projectsRoutes(app: App, deps: service.ProjectsDeps) {
  const tags = ['projects'];
  app.get('/api/v1/projects/programmes', { schema: { tags, summary: '年度民生实事列表 Programmes by year' } }, async (req) => service.listProgrammes(deps, requireActor(req)));
  app.post('/api/v1/projects/programmes', { schema: { tags, summary: '新建年度民生实事 Create a year’s programme (admin)', body: CreateProgrammeBody } }, async (req, reply) =>
    reply.code(201).send({ programme: await service.createProgramme(deps, requireActor(req), req.body) }),
  );
  app.get('/api/v1/projects/programmes/:year', { schema: { tags, summary: '年度民生实事及进度 A programme with derived progress and status', params: YearParams, querystring: DateQuery } }, async (req) =>
    service.getProgramme(deps, requireActor(req), req.params.year, req.query.date),
  );
  app.post('/api/v1/projects/programmes/:year/items', { schema: { tags, summary: '新增实事项目 Add an item (admin)', params: YearParams, body: ItemBody } }, async (req, reply) =>
    reply.code(201).send({ item: await service.saveItem(deps, requireActor(req), req.params.year, req.body, { mustBeNew: true }) }),
  );
  app.put('/api/v1/projects/programmes/:year/items', { schema: { tags, summary: '修改实事项目（按编号）Edit an item by its code (admin)', params: YearParams, body: ItemBody } }, async (req) => ({
    item: await service.saveItem(deps, requireActor(req), req.params.year, req.body, { mustExist: true }),
  }));
  app.get('/api/v1/projects/programmes/:year/items.xlsx', { schema: { tags, summary: '导出事项与目标 Export items and targets (the import template)', params: YearParams } }, async (req, reply) =>
    reply
      .type(XLSX)
      .header('content-disposition', `attachment; filename="minsheng-projects-${req.params.year}.xlsx"`)
      .send(await exporter.exportItems(deps, requireActor(req), req.params.year)),
  );
  app.post(
    '/api/v1/projects/programmes/:year/import',
    { bodyLimit: 12 * 1024 * 1024, schema: { tags, summary: '导入事项与目标（全部成功或全部不导入）Import items and targets, all or nothing (admin)', params: YearParams, body: ImportBody } },
    async (req) => exporter.importItems(deps, requireActor(req), req.params.year, Buffer.from(req.body.contentBase64, 'base64'), { dryRun: req.body.dryRun }),
  );
  app.get('/api/v1/projects/summary', { schema: { tags, summary: '民生实事进度汇总 The summary at a date', querystring: SummaryQuery } }, async (req) =>
    service.summary(deps, requireActor(req), req.query.year, req.query.date),
  );
  app.get('/api/v1/projects/summary.xlsx', { schema: { tags, summary: '进度汇总 Excel The summary as a workbook', querystring: SummaryQuery } }, async (req, reply) => {
    const s = await service.summary(deps, requireActor(req), req.query.year, req.query.date);
    return reply.type(XLSX).header('content-disposition', `attachment; filename="minsheng-projects-summary-${s.year}-${s.date}.xlsx"`).send(await exporter.summaryWorkbook(s));
  });
  app.get('/api/v1/projects/summary.pdf', { schema: { tags, summary: '进度汇总 PDF The summary as a PDF', querystring: SummaryQuery } }, async (req, reply) => {
    const s = await service.summary(deps, requireActor(req), req.query.year, req.query.date);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="minsheng-projects-summary-${s.year}-${s.date}.pdf"`).send(await exporter.summaryPdf(s));
  });
  app.get('/api/v1/projects/items/:id', { schema: { tags, summary: '实事项目详情、报告与历史 An item, its reports and history', params: IdParams, querystring: DateQuery } }, async (req) =>
    service.getItem(deps, requireActor(req), req.params.id, req.query.date),
  );
  app.post(
    '/api/v1/projects/items/:id/reports',
    { bodyLimit: 32 * 1024 * 1024, schema: { tags, summary: '报告进度（附照片或PDF）Report progress with evidence', params: IdParams, body: ReportBody } },
    async (req, reply) => reply.code(201).send({ report: await service.reportProgress(deps, requireActor(req), req.params.id, req.body) }),
  );
  app.post('/api/v1/projects/items/:id/close', { schema: { tags, summary: '关闭事项 Close an item (admin)', params: IdParams, body: CloseBody } }, async (req) =>
    service.closeItem(deps, requireActor(req), req.params.id, req.body),
  );
  app.post('/api/v1/projects/reports/:id/return', { schema: { tags, summary: '退回报告以更正 Return a report for correction (admin)', params: IdParams, body: ReturnBody } }, async (req) =>
    service.returnReport(deps, requireActor(req), req.params.id, req.body.reason),
  );
  app.get('/api/v1/projects/files/:id', { schema: { tags, summary: '佐证材料 An evidence file', params: IdParams } }, async (req, reply) => {
    const f = await service.getFile(deps, requireActor(req), req.params.id);
    return reply.type(f.mimeType).header('content-disposition', `inline; filename="${encodeURIComponent(f.fileName)}"`).header('cache-control', 'private, max-age=3600').send(f.content);
  });
}

/** The public page's endpoints: no session. */
export function publicProjectsRoutes(app: App, deps: service.PublicDeps) {
  const tags = ['public'];
  app.get('/api/v1/public/projects/:year', { schema: { tags, summary: '民生实事公开 The published programme with progress', params: YearParams } }, async (req) =>
    service.publicProgramme(deps, req.params.year),
  );
  app.get('/api/v1/public/projects/files/:id', { schema: { tags, summary: '佐证照片 An evidence photo', params: IdParams } }, async (req, reply) => {
    const f = await service.publicFile(deps, req.params.id);
    return reply.type(f.mimeType).header('content-disposition', `inline; filename="${encodeURIComponent(f.fileName)}"`).header('cache-control', 'public, max-age=3600').send(f.content);
  });
  app.post('/api/v1/public/projects/items/:id/ratings', { schema: { tags, summary: '评价已完成的实事 Rate a completed item', params: IdParams, body: RatingBody } }, async (req, reply) =>
    reply.code(201).send({ rating: await service.rateItem(deps, req.params.id, req.body) }),
  );
}
