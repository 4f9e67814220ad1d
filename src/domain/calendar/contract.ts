import { z } from 'zod';
import { DAY_KINDS, isCalendarDate, parseInstant } from './core/working-time';

/** The largest counts a deadline may ask for: about four years of working days or hours. */
export const MAX_WORKING_DAYS = 1000;
export const MAX_WORKING_HOURS = 8000;
/** Overrides are entered for years around now; the range keeps typos (20245) out. */
export const OVERRIDE_YEARS = { from: 2000, to: 2100 } as const;

export const OverrideKind = z.enum(DAY_KINDS);
export type OverrideKind = z.infer<typeof OverrideKind>;

export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date: YYYY-MM-DD' })
  .refine(isCalendarDate, { message: 'date: not a real calendar date' })
  .refine((d) => Number(d.slice(0, 4)) >= OVERRIDE_YEARS.from && Number(d.slice(0, 4)) <= OVERRIDE_YEARS.to, {
    message: `date: the year must be ${OVERRIDE_YEARS.from}–${OVERRIDE_YEARS.to}`,
  });

/**
 * A receipt time: ISO 8601 with Z or an offset, or a Shanghai local date / date-time without one
 * ("2024-09-28", "2024-09-28T16:30").
 */
export const InstantText = z
  .string()
  .max(40)
  .refine((s) => parseInstant(s) !== null, {
    message: 'from: an ISO 8601 date-time (2024-09-28T16:30:00+08:00) or a Shanghai local date (2024-09-28)',
  });

export const DeadlineQuery = z
  .object({
    from: InstantText,
    workingDays: z.coerce.number().int().min(1).max(MAX_WORKING_DAYS).optional(),
    workingHours: z.coerce.number().positive().max(MAX_WORKING_HOURS).optional(),
  })
  .strict()
  .refine((q) => (q.workingDays === undefined) !== (q.workingHours === undefined), {
    message: 'give exactly one of workingDays or workingHours',
    path: ['workingDays'],
  });
export type DeadlineQuery = z.infer<typeof DeadlineQuery>;

export const SetOverrideBody = z
  .object({
    date: CalendarDate,
    kind: OverrideKind,
    name: z.string().trim().min(1).max(50).optional(),
  })
  .strict();
export type SetOverrideBody = z.infer<typeof SetOverrideBody>;

export const ListOverridesQuery = z
  .object({ year: z.coerce.number().int().min(OVERRIDE_YEARS.from).max(OVERRIDE_YEARS.to).optional() })
  .strict();
export type ListOverridesQuery = z.infer<typeof ListOverridesQuery>;

export interface OverrideView {
  date: string;
  kind: OverrideKind;
  name: string | null;
  createdAt: string;
  updatedAt: string;
}
