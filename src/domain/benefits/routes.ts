import { requireActor, type App } from '../../shared/http';
import * as C from './contract';
import * as service from './service';
import * as cycles from './cycles';

export function benefitsRoutes(app: App, deps: service.BenefitsDeps) {
  const tags = ['benefits'];
  app.get('/api/v1/benefits/policies', { schema: { tags, summary: '政策列表 Current policies' } }, async (req) => ({ items: await service.listPolicies(deps, requireActor(req)) }));
  app.get('/api/v1/benefits/policies/export', { schema: { tags, summary: '导出政策 JSON Export the policies as JSON' } }, async (req) => service.exportPolicies(deps, requireActor(req)));
  app.get('/api/v1/benefits/policies/:code', { schema: { tags, summary: '政策及其版本 A policy and its versions', params: C.CodeParams } }, async (req) => service.getPolicy(deps, requireActor(req), req.params.code));
  app.post('/api/v1/benefits/policies', { schema: { tags, summary: '保存政策（新版本）Save a policy as a new version', body: C.PolicyBody } }, async (req, reply) =>
    reply.code(201).send({ policy: await service.savePolicy(deps, requireActor(req), req.body.policy) }),
  );
  app.post('/api/v1/benefits/policies/check', { schema: { tags, summary: '校验政策 Validate a policy (errors with paths)', body: C.PolicyBody } }, async (req) => {
    requireActor(req);
    const r = service.checkPolicy(req.body.policy);
    return r.ok ? { ok: true, errors: [] } : { ok: false, errors: r.errors };
  });
  app.post('/api/v1/benefits/policies/preview', { schema: { tags, summary: '实时匹配人数 Live "who matches" count of a draft', body: C.PreviewBody } }, async (req) =>
    service.previewCount(deps, requireActor(req), req.body.policy, req.body.date),
  );
  app.post('/api/v1/benefits/policies/import', { schema: { tags, summary: '导入政策 JSON Import policies (all or nothing)', body: C.ImportBody } }, async (req) => service.importPolicies(deps, requireActor(req), req.body));
  app.post('/api/v1/benefits/match', { schema: { tags, summary: '政策找人：比对 Run the policies over the registry', body: C.MatchBody } }, async (req) =>
    service.runMatch(deps, requireActor(req), { date: req.body.date, ...(req.body.policy ? { policy: req.body.policy } : {}) }),
  );
  app.get('/api/v1/benefits/runs', { schema: { tags, summary: '比对记录 Match runs' } }, async (req) => ({ items: await service.listRuns(deps, requireActor(req)) }));
  app.get('/api/v1/benefits/run', { schema: { tags, summary: '一次比对（默认最新）A match run (latest by default)', querystring: C.RunQuery } }, async (req) => service.getRun(deps, requireActor(req), req.query.run ?? null));
  app.get('/api/v1/benefits/results', { schema: { tags, summary: '沉默少数 / 停发名单 / 在领 The lists of a run', querystring: C.ResultsQuery } }, async (req) => service.listResults(deps, requireActor(req), { runId: req.query.run, policy: req.query.policy, category: req.query.category, limit: req.query.limit, offset: req.query.offset }));
  app.get('/api/v1/benefits/explain', { schema: { tags, summary: '一人一策说明 Every policy explained for one person', querystring: C.ExplainQuery } }, async (req) =>
    service.explainPerson(deps, requireActor(req), req.query.person, req.query.date),
  );
  app.post('/api/v1/benefits/worklists', { schema: { tags, summary: '生成走访任务 Visits for the 沉默少数', body: C.WorklistBody } }, async (req) =>
    service.createWorklist(deps, requireActor(req), { runId: req.body.runId, ...(req.body.policy ? { policy: req.body.policy } : {}) }),
  );
  app.get('/api/v1/benefits/visits', { schema: { tags, summary: '走访清单（本人网格）Visits in your scope', querystring: C.VisitsQuery } }, async (req) =>
    service.listVisits(deps, requireActor(req), { ...(req.query.status ? { status: req.query.status } : {}), limit: req.query.limit, offset: req.query.offset }),
  );
  app.get('/api/v1/benefits/visits/progress', { schema: { tags, summary: '走访进度（街道、网格）Visit progress by street and grid' } }, async (req) => service.visitProgress(deps, requireActor(req)));
  app.post('/api/v1/benefits/visits/:id/outcome', { schema: { tags, summary: '记录走访结果 Record a visit outcome', params: C.IdParams, body: C.OutcomeBody } }, async (req) =>
    service.recordVisitOutcome(deps, requireActor(req), req.params.id, { outcome: req.body.outcome, ...(req.body.reason ? { reason: req.body.reason } : {}) }),
  );
  app.get('/api/v1/benefits/cycles', { schema: { tags, summary: '发放批次 Payment cycles', querystring: C.CyclesQuery } }, async (req) => ({ items: await cycles.listCycles(deps, requireActor(req), req.query.policy) }));
  app.post('/api/v1/benefits/cycles', { schema: { tags, summary: '编制发放批次 Prepare a monthly cycle', body: C.CycleBody } }, async (req, reply) => reply.code(201).send({ cycle: await cycles.prepareCycle(deps, requireActor(req), req.body) }));
  app.get('/api/v1/benefits/cycles/diff', { schema: { tags, summary: '两期差异 Diff of two cycles', querystring: C.DiffQuery } }, async (req) => cycles.diff(deps, requireActor(req), req.query.from, req.query.to));
  app.get('/api/v1/benefits/cycles/totals', { schema: { tags, summary: '发放统计 Totals by policy, street and month', querystring: C.TotalsQuery } }, async (req) => cycles.totals(deps, requireActor(req), req.query.from, req.query.to));
  app.get('/api/v1/benefits/cycles/:id', { schema: { tags, summary: '批次明细 A cycle and its entitlements', params: C.IdParams } }, async (req) => cycles.getCycle(deps, requireActor(req), req.params.id));
  app.post('/api/v1/benefits/cycles/:id/review', { schema: { tags, summary: '审核 Review', params: C.IdParams } }, async (req) => ({ cycle: await cycles.reviewCycle(deps, requireActor(req), req.params.id) }));
  app.post('/api/v1/benefits/cycles/:id/approve', { schema: { tags, summary: '审批并冻结（双人）Approve and freeze (two persons)', params: C.IdParams } }, async (req) => ({
    cycle: await cycles.approveCycle(deps, requireActor(req), req.params.id),
  }));
  app.get('/api/v1/benefits/cycles/:id/publicity', { schema: { tags, summary: '公示名单（姓名脱敏）Publicity list, names masked', params: C.IdParams } }, async (req) => cycles.publicity(deps, requireActor(req), req.params.id));
  app.get('/api/v1/benefits/cycles/:id/export.xlsx', { schema: { tags, summary: '导出发放批次 Excel Payment batch as Excel', params: C.IdParams } }, async (req, reply) => {
    const r = await cycles.exportBatch(deps, requireActor(req), req.params.id);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${r.fileName}"`)
      .send(r.buffer);
  });
}
