/** HTTP routes of the knowledge base (知识库) and of the suggested answers on a ticket. */
import { z } from 'zod';
import { requireActor, type App } from '../../shared/http';
import * as kb from './knowledge';

const IdParams = z.object({ id: z.uuid() }).strict();

export function knowledgeRoutes(app: App, deps: kb.KnowledgeDeps) {
  const tags = ['knowledge'];
  app.get('/api/v1/knowledge', { schema: { tags, summary: '知识库列表或检索（BM25）List or search the knowledge base', querystring: kb.KnowledgeQuery } }, async (req) =>
    kb.listKnowledge(deps, requireActor(req), req.query),
  );
  app.get('/api/v1/knowledge/expired', { schema: { tags, summary: '已过期、已提醒责任单位的条目 Expired entries flagged to their owner' } }, async (req) =>
    kb.myExpiryFlags(deps, requireActor(req)),
  );
  app.post('/api/v1/knowledge/flag-expired', { schema: { tags, summary: '标记过期条目并提醒责任单位 Flag expired entries to their owners' } }, async (req) =>
    kb.flagExpiredKnowledge(deps, requireActor(req)),
  );
  app.get('/api/v1/knowledge/:id', { schema: { tags, summary: '知识条目及历史版本 An entry and its versions', params: IdParams } }, async (req) =>
    kb.getKnowledge(deps, requireActor(req), req.params.id),
  );
  app.post('/api/v1/knowledge', { schema: { tags, summary: '新增知识条目 Create an entry', body: kb.KnowledgeBody } }, async (req, reply) =>
    reply.code(201).send(await kb.createKnowledge(deps, requireActor(req), req.body)),
  );
  app.post('/api/v1/knowledge/:id/versions', { schema: { tags, summary: '修改（生成新版本）Edit: a new version', params: IdParams, body: kb.KnowledgeBody } }, async (req) =>
    kb.updateKnowledge(deps, requireActor(req), req.params.id, req.body),
  );
  app.post('/api/v1/knowledge/:id/retire', { schema: { tags, summary: '停用知识条目 Retire an entry', params: IdParams } }, async (req) =>
    kb.retireKnowledge(deps, requireActor(req), req.params.id),
  );
  app.get('/api/v1/analysis/tickets/:id/knowledge', { schema: { tags, summary: '诉求的知识库推荐答案（直办）Suggested answers for a ticket', params: IdParams } }, async (req) =>
    kb.suggestAnswers(deps, requireActor(req), req.params.id),
  );
}
