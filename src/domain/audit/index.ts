export { recordAudit, listAudit, type AuditRecord } from './service';
export { AuditQuery } from './contract';
export { auditRoutes } from './routes';
