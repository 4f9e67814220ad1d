import { z } from 'zod';
import { pageQuery } from '../../shared/contract';

export const AuditQuery = pageQuery
  .extend({
    action: z.string().trim().min(1).max(60).regex(/^[a-z_.]+$/).optional(),
    actorId: z.uuid().optional(),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;
