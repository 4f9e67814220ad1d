import type { Db } from '../../shared/db';
import { requireActor, type App } from '../../shared/http';
import { AuditQuery } from './contract';
import { listAudit } from './service';

export function auditRoutes(app: App, deps: { db: Db }) {
  app.get(
    '/api/v1/audit',
    { schema: { tags: ['audit'], summary: '审计日志 Audit log', querystring: AuditQuery } },
    async (req) => listAudit(deps, requireActor(req), req.query),
  );
}
