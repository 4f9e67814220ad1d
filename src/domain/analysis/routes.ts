/**
 * HTTP routes of the analysis module (classifier, suggestions, text). Thin: identify the actor,
 * call a service. The insights routes are registered from their own files.
 */
import { requireActor, type App } from '../../shared/http';
import { assertCan } from '../../shared/authz';
import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import type { TextAnalyzerCache } from './text/analyzer';
import { EmptyBody, ModelVersionParams, RunIdParams, SegmentBody, SettingsBody, TicketIdParams, TrainBody, TriageQuery } from './contract';
import * as models from './models';

export interface AnalysisDeps {
  db: Db;
  clock: Clock;
  textAnalyzers: TextAnalyzerCache;
}

export function analysisRoutes(app: App, deps: AnalysisDeps) {
  const tags = ['analysis'];
  app.post('/api/v1/analysis/segment', { schema: { tags, summary: '分词 Segment a text with the district dictionary', body: SegmentBody } }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'analysis.read');
    const analyzer = await deps.textAnalyzers.get(deps.db, actor.districtCode);
    const normalized = analyzer.normalize(req.body.text);
    return { normalized, tokens: analyzer.tokens(normalized, { normalized: true }) };
  });

  app.get('/api/v1/analysis/models', { schema: { tags, summary: '分类模型版本 Classifier versions, recent training runs, settings' } }, async (req) => models.listModels(deps, requireActor(req)));
  app.get('/api/v1/analysis/models/:version', { schema: { tags, summary: '模型版本详情（指标、混淆矩阵）Version detail with metrics and confusion matrix', params: ModelVersionParams } }, async (req) =>
    models.getModel(deps, requireActor(req), req.params.version),
  );
  app.post('/api/v1/analysis/models/train', { schema: { tags, summary: '重新训练（后台进行）Retrain in the background', body: TrainBody } }, async (req, reply) => {
    const { run } = await models.startTraining(deps, requireActor(req), { source: req.body.source, activate: req.body.activate, trigger: 'manual' });
    return reply.code(202).send({ run });
  });
  app.get('/api/v1/analysis/models/runs/:id', { schema: { tags, summary: '训练进度 Training progress', params: RunIdParams } }, async (req) => ({ run: await models.getRun(deps, requireActor(req), req.params.id) }));
  app.post('/api/v1/analysis/models/:version/activate', { schema: { tags, summary: '启用此版本 Activate this version', params: ModelVersionParams, body: EmptyBody } }, async (req) => ({
    model: await models.activateModel(deps, requireActor(req), req.params.version),
  }));
  app.post('/api/v1/analysis/models/rollback', { schema: { tags, summary: '回退到上一个启用的版本 Roll back to the previously active version', body: EmptyBody } }, async (req) => ({
    model: await models.rollbackModel(deps, requireActor(req)),
  }));
  app.post('/api/v1/analysis/settings', { schema: { tags, summary: '分类设置（人工分类阈值、重训周期）Classifier settings', body: SettingsBody } }, async (req) => ({
    settings: await models.saveSettings(deps, requireActor(req), req.body),
  }));
  app.get('/api/v1/analysis/tickets/:id/suggestions', { schema: { tags, summary: '分类 top-3 与派单建议 Top-3 categories and unit suggestion', params: TicketIdParams } }, async (req) =>
    models.ticketSuggestions(deps, requireActor(req), req.params.id),
  );
  app.get('/api/v1/analysis/triage', { schema: { tags, summary: '人工分类队列 Tickets below the confidence threshold', querystring: TriageQuery } }, async (req) =>
    models.triageQueue(deps, requireActor(req), req.query.limit),
  );
}
