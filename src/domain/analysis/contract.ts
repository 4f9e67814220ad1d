/**
 * 自动分析 (analysis) contract: zod schemas for the module's HTTP inputs and outputs.
 * Sections: text (segmentation), model (classifier versions), suggestions (top-3, unit). The
 * insights helper appends its own sections (duplicates, hot issues, knowledge, reply quality).
 */
import { z } from 'zod';

export const SegmentBody = z.object({ text: z.string().min(1).max(5000) }).strict();
export type SegmentBody = z.infer<typeof SegmentBody>;
