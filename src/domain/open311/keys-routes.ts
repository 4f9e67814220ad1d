/**
 * Open311 API keys for the administrators (JSON, under /api/v1 like every staff endpoint): list,
 * issue — the key is shown once, only its hash is kept — and revoke. The Open311 protocol routes
 * themselves live in routes.ts.
 */
import { z } from 'zod';
import { requireActor, type App } from '../../shared/http';
import * as service from './service';

const KeyBody = z.object({ label: z.string().trim().min(1).max(100) }).strict();
const KeyParams = z.object({ id: z.uuid() });

export function open311KeyRoutes(app: App, deps: service.Open311Deps) {
  const tags = ['open311'];
  app.get('/api/v1/open311/keys', { schema: { tags, summary: 'Open311 接口密钥 API keys (admin)' } }, async (req) => ({
    items: await service.listApiKeys(deps, requireActor(req)),
  }));
  app.post('/api/v1/open311/keys', { schema: { tags, summary: '签发接口密钥（只显示一次）Issue an API key (shown once)', body: KeyBody } }, async (req, reply) =>
    reply.code(201).send({ key: await service.createApiKey(deps, requireActor(req), req.body.label) }),
  );
  app.post('/api/v1/open311/keys/:id/revoke', { schema: { tags, summary: '停用接口密钥 Revoke an API key', params: KeyParams } }, async (req) => {
    await service.revokeApiKey(deps, requireActor(req), req.params.id);
    return { revoked: true };
  });
}
