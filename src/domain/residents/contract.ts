import { z } from 'zod';
import { pageQuery } from '../../shared/contract';
import { SPECIAL_STATUSES } from './facts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date: YYYY-MM-DD' });

export const SearchPersonsQuery = pageQuery
  .extend({
    name: z.string().trim().min(1).max(60).optional(),
    /** An exact 18-character ID number, looked up through the blind index; never echoed back. */
    idNumber: z.string().trim().regex(/^\d{17}[\dXx]$/, { message: 'idNumber: 18 characters' }).optional(),
    phone: z.string().trim().regex(/^[0-9+\- ]{5,20}$/).optional(),
    householdCode: z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/).optional(),
    gridCode: z.string().regex(/^[0-9]{6,18}$/).optional(),
    status: z.enum(SPECIAL_STATUSES).optional(),
  })
  .strict();
export type SearchPersonsQuery = z.infer<typeof SearchPersonsQuery>;

export const IdParams = z.object({ id: z.uuid() }).strict();

export const PersonQuery = z.object({ date: isoDate.optional() }).strict();

export const RevealBody = z
  .object({
    fields: z.array(z.enum(['id_number', 'phone'])).min(1).max(2),
    /** Why the full value is needed (recorded in the audit trail). */
    purpose: z.string().trim().min(4).max(200),
  })
  .strict();
export type RevealBody = z.infer<typeof RevealBody>;

export const ImportBody = z
  .object({
    fileName: z.string().trim().min(1).max(200).regex(/\.(csv|xlsx)$/i, { message: 'fileName: .csv or .xlsx' }),
    contentBase64: z.string().min(4).max(28_000_000).regex(/^[A-Za-z0-9+/]+={0,2}$/, { message: 'contentBase64: base64 text' }),
    effectiveOn: isoDate.optional(),
    dryRun: z.boolean().default(false),
    strict: z.boolean().default(false),
  })
  .strict();
export type ImportBody = z.infer<typeof ImportBody>;

export const CorrectionBody = z
  .object({
    personId: z.uuid(),
    field: z.enum(['income', 'status', 'household', 'disability', 'hukou', 'marital', 'death', 'moved_out', 'other']),
    note: z.string().trim().min(2).max(500),
    source: z.string().regex(/^[a-z][a-z0-9_]{1,40}$/).default('manual'),
    reference: z.string().max(100).optional(),
  })
  .strict();
export type CorrectionBody = z.infer<typeof CorrectionBody>;
