-- 三率 daily summary: the ticket statistics of each local (Asia/Shanghai) day, per subdistrict
-- and per grouping key, recomputed from ticket_events by refreshTicketStats (src/domain/tickets/stats.ts)
-- with the very queries that count live. A dashboard over a month or a year sums these rows
-- and counts only the days after the last refresh from the events; see stats.repo.ts.
-- Derived data: it can be dropped and rebuilt from the log at any time (`minsheng tickets stats-refresh --full`).

CREATE TABLE ticket_stats_daily (
  district_code    text NOT NULL,
  day              date NOT NULL,            -- local day of the counted event (dispatch, reply, follow-up, receipt)
  area_path        text NOT NULL,            -- the ticket's area path cut at the subdistrict level
  dimension        text NOT NULL CHECK (dimension IN ('unit', 'subdistrict', 'community', 'category', 'channel', 'type')),
  key              text,                     -- the unit, area code, category, channel or type; NULL = none
  dispatched       integer NOT NULL DEFAULT 0,
  accepted_in_time integer NOT NULL DEFAULT 0,
  returned         integer NOT NULL DEFAULT 0,
  replies          integer NOT NULL DEFAULT 0,
  resolved         integer NOT NULL DEFAULT 0,
  with_due         integer NOT NULL DEFAULT 0,
  on_time          integer NOT NULL DEFAULT 0,
  followed_up      integer NOT NULL DEFAULT 0,
  rated            integer NOT NULL DEFAULT 0,
  satisfied        integer NOT NULL DEFAULT 0,
  reopened         integer NOT NULL DEFAULT 0,
  received         integer NOT NULL DEFAULT 0
);
CREATE INDEX ticket_stats_daily_read_idx ON ticket_stats_daily (district_code, dimension, day);

-- How far the summary reaches, per district: days up to through_day are read from it; events at
-- or after the watermark may still change those days, and the next refresh recomputes the days
-- their tickets touch.
CREATE TABLE ticket_stats_refreshes (
  district_code text PRIMARY KEY,
  through_day   date NOT NULL,
  watermark     timestamptz NOT NULL,
  refreshed_at  timestamptz NOT NULL
);
