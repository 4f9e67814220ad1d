-- 主动治理: repeat complaints at one place become a task for the grid cell's staff. One task per
-- (grid cell, topic) while it is open: `source_key` makes the generation job idempotent.
CREATE TABLE proactive_tasks (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code  text NOT NULL,
  area_path      text NOT NULL,
  grid_cell_code text NOT NULL,
  source_key     text NOT NULL,
  label          text NOT NULL,
  description    text NOT NULL,
  keywords       text[] NOT NULL DEFAULT '{}',
  ticket_ids     uuid[] NOT NULL,
  ticket_count   integer NOT NULL,
  requesters     integer NOT NULL,
  hot_index      double precision NOT NULL,
  first_at       timestamptz NOT NULL,
  last_at        timestamptz NOT NULL,
  status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'dismissed')),
  note           text,
  is_demo        boolean NOT NULL DEFAULT false,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  updated_by     uuid
);
CREATE UNIQUE INDEX proactive_tasks_source_idx ON proactive_tasks (district_code, source_key) WHERE status IN ('open', 'in_progress');
CREATE INDEX proactive_tasks_scope_idx ON proactive_tasks (district_code, area_path text_pattern_ops, status);
