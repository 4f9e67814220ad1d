/** The calendar module's public face: the only file other modules import. */
export * as calendarService from './service';
export type { CalendarDeps } from './service';
export { loadCalendar, officialWorkCalendar } from './service';
export { calendarRoutes } from './routes';
export { DeadlineQuery, SetOverrideBody, ListOverridesQuery, MAX_WORKING_DAYS, MAX_WORKING_HOURS, OVERRIDE_YEARS } from './contract';
export type { OverrideKind, OverrideView } from './contract';
export {
  WorkCalendar,
  DAY_KINDS,
  DEFAULT_WORKING_HOURS,
  TIME_ZONE,
  deadlineOf,
  formatShanghai,
  isCalendarDate,
  parseInstant,
  shanghaiDate,
} from './core/working-time';
export type { Coverage, DayInfo, DayKind, DayRule, Deadline, DeadlineSpec, WorkingPeriod } from './core/working-time';
