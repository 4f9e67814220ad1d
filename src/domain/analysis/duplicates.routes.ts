/** HTTP routes of duplicates (疑似重复) and reply quality (答复质量) on one ticket. */
import { z } from 'zod';
import { requireActor, type App } from '../../shared/http';
import { suggestDuplicates, type DuplicatesDeps } from './duplicates';
import { ReplyScoreBody, scoreDraftReply } from './reply';

const IdParams = z.object({ id: z.uuid() }).strict();

export function duplicatesRoutes(app: App, deps: DuplicatesDeps) {
  const tags = ['analysis'];
  app.get('/api/v1/analysis/tickets/:id/duplicates', { schema: { tags, summary: '疑似重复诉求及依据 Likely duplicates with evidence', params: IdParams } }, async (req) =>
    suggestDuplicates(deps, requireActor(req), req.params.id),
  );
  app.post('/api/v1/analysis/tickets/:id/reply-score', { schema: { tags, summary: '答复质量检查（发送前）Score a draft reply', params: IdParams, body: ReplyScoreBody } }, async (req) =>
    scoreDraftReply(deps, requireActor(req), req.params.id, req.body),
  );
}
