-- 街呼区应 in the 三率 table: each 报到 (call_reported event) counts for the unit that reported,
-- on its own day, and a report after the call's report-by time counts as late.
ALTER TABLE ticket_stats_daily ADD COLUMN call_reports integer NOT NULL DEFAULT 0;
ALTER TABLE ticket_stats_daily ADD COLUMN call_reports_late integer NOT NULL DEFAULT 0;
