/**
 * 自动分析 (analysis) contract: zod schemas for the module's HTTP inputs and outputs.
 * Sections: text (segmentation), model (classifier versions), suggestions (top-3, unit). The
 * insights helper appends its own sections (duplicates, hot issues, knowledge, reply quality).
 */
import { z } from 'zod';

export const SegmentBody = z.object({ text: z.string().min(1).max(5000) }).strict();
export type SegmentBody = z.infer<typeof SegmentBody>;

// ---- model versions and suggestions --------------------------------------------------------------

export const ModelVersionParams = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) }).strict();
export const TicketIdParams = z.object({ id: z.uuid() }).strict();
export const RunIdParams = z.object({ id: z.uuid() }).strict();
export const TrainBody = z
  .object({
    source: z.enum(['tickets', 'demo']).default('tickets'),
    activate: z.boolean().default(false),
  })
  .strict();
export type TrainBody = z.infer<typeof TrainBody>;
export const EmptyBody = z.object({}).strict().optional();
export const SettingsBody = z
  .object({
    triageThreshold: z.number().gt(0).lt(1),
    retrainEveryDays: z.number().int().min(1).max(365).optional(),
    minNewLabels: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();
export const TriageQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
