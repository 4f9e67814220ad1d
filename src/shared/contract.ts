/** Schemas shared by every module's contract: paging, codes. */
import { z } from 'zod';

export const pageQuery = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(20),
  })
  .strict();

export const areaCode = z.string().regex(/^[0-9]{6,18}$/, { message: 'area code must be 6–18 digits' });
