/** 政策找人 (benefits): policies as data, matching with explanations, worklists, payment cycles. The only import surface. */
export * as benefitsService from './service';
export * as benefitCyclesService from './cycles';
export type { BenefitsDeps, PeopleLookup } from './service';
export { benefitsRoutes } from './routes';
export { validatePolicy, type Policy, type Condition, type RuleError } from './core/rules';
export { compilePolicy, matchTable, CATEGORIES, type Category, type PolicyCounts } from './core/compile';
export { compileSql } from './core/compile-sql';
export { explain, explainer, STOP_REASONS, STOP_REASON_LABELS, type Explanation, type StopReason } from './core/explain';
export { tableOf, TableBuilder, type FactsTable } from './core/table';
export { DEMO_POLICIES, benchPolicies } from './core/demo-policies';
