import { z } from 'zod';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'date: YYYY-MM-DD' });
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month: YYYY-MM' });
const code = z.string().regex(/^[a-z][a-z0-9_]{1,39}$/);
const id = z.string().min(1).max(80).regex(/^[A-Za-z0-9_-]+$/);
const page = { limit: z.coerce.number().int().min(1).max(500).default(50), offset: z.coerce.number().int().min(0).max(1_000_000).default(0) };

/** A policy body is checked by the rule validator (paths and zh/en messages), not by zod. */
export const PolicyBody = z.object({ policy: z.unknown() }).strict();
export const PreviewBody = z.object({ policy: z.unknown(), date }).strict();
export const ImportBody = z.object({ policies: z.array(z.unknown()).min(1).max(200) }).passthrough();
export const CodeParams = z.object({ code }).strict();
export const IdParams = z.object({ id }).strict();
export const MatchBody = z.object({ date, policy: code.optional() }).strict();
export const RunQuery = z.object({ run: id.optional() }).strict();
export const ResultsQuery = z.object({ run: id, policy: code, category: z.enum(['eligible_receiving', 'eligible_missing', 'stop']), ...page }).strict();
export const ExplainQuery = z.object({ person: id, date }).strict();
export const WorklistBody = z.object({ runId: id, policy: code.optional() }).strict();
export const VisitsQuery = z.object({ status: z.enum(['open', 'applied', 'declined', 'not_eligible', 'unreachable']).optional(), ...page }).strict();
export const OutcomeBody = z.object({ outcome: z.enum(['applied', 'declined', 'not_eligible', 'unreachable']), reason: z.string().trim().max(500).optional() }).strict();
export const CycleBody = z.object({ policy: code, month }).strict();
export const CyclesQuery = z.object({ policy: code.optional() }).strict();
export const DiffQuery = z.object({ from: id, to: id }).strict();
export const TotalsQuery = z.object({ from: month, to: month }).strict();
