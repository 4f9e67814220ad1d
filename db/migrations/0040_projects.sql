-- 民生实事 (livelihood projects): a year's programme of public commitments ("5类29项",
-- "15件30项"), a results tree of items and sub-items with measurable targets and milestones,
-- and progress reports as evidence. Progress and status are never stored: they are derived
-- from the reports at a reference date (src/domain/projects/core, docs/PROJECT-STATUS.md),
-- so a summary for any past date reads the same rows. History is append-only.

CREATE TABLE project_programmes (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  summary       text NOT NULL DEFAULT '',
  is_demo       boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL,
  UNIQUE (district_code, year)
);

-- 类: the programme's categories (e.g. 5类: 教育, 养老, 住房, 交通, 环境).
CREATE TABLE project_categories (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  programme_id  uuid NOT NULL REFERENCES project_programmes (id),
  code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,20}$'),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  sort_order    integer NOT NULL DEFAULT 0,
  UNIQUE (programme_id, code)
);

-- 件 and 项: items and sub-items (one level of nesting is what the programmes use; the tree
-- allows more). `area_path` is the narrowest area covering every area concerned (the district
-- for district-wide items) and is what scoped SQL filters on.
CREATE TABLE project_items (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code    text NOT NULL,
  programme_id     uuid NOT NULL REFERENCES project_programmes (id),
  category_id      uuid NOT NULL REFERENCES project_categories (id),
  parent_id        uuid REFERENCES project_items (id),
  code             text NOT NULL CHECK (code ~ '^[0-9]{1,3}(\.[0-9]{1,3}){0,3}$'),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description      text NOT NULL DEFAULT '',
  owner_department text NOT NULL,
  co_units         text[] NOT NULL DEFAULT '{}',
  area_codes       text[] NOT NULL DEFAULT '{}',
  area_path        text NOT NULL CHECK (area_path LIKE '/%/'),
  locations        jsonb,
  budget_fen       bigint NOT NULL DEFAULT 0 CHECK (budget_fen >= 0),
  planned_start    date NOT NULL,
  planned_end      date NOT NULL,
  progress_rule    text NOT NULL CHECK (progress_rule IN ('targets', 'children', 'stage')),
  weight           numeric NOT NULL DEFAULT 1 CHECK (weight >= 0 AND weight <= 1000),
  closed_on        date,
  closed_reason    text,
  is_demo          boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  CHECK (planned_end >= planned_start),
  CHECK (parent_id IS NULL OR parent_id <> id),
  UNIQUE (programme_id, code),
  FOREIGN KEY (district_code, owner_department) REFERENCES departments (district_code, code)
);
CREATE INDEX project_items_scope_idx ON project_items (district_code, area_path text_pattern_ops);
CREATE INDEX project_items_programme_idx ON project_items (programme_id, parent_id);
CREATE INDEX project_items_owner_idx ON project_items (district_code, owner_department);

-- 目标: measurable targets. `kind` decides what values are possible (counts are whole and
-- non-negative, percentages lie in 0–100); a target equal to its baseline measures nothing.
CREATE TABLE project_targets (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  item_id       uuid NOT NULL REFERENCES project_items (id),
  metric        text NOT NULL CHECK (length(metric) BETWEEN 1 AND 100),
  unit          text NOT NULL CHECK (length(unit) BETWEEN 1 AND 20),
  kind          text NOT NULL CHECK (kind IN ('count', 'quantity', 'percent')),
  baseline      numeric NOT NULL CHECK (baseline >= 0),
  target        numeric NOT NULL CHECK (target >= 0),
  weight        numeric NOT NULL DEFAULT 1 CHECK (weight > 0 AND weight <= 1000),
  sort_order    integer NOT NULL DEFAULT 0,
  CHECK (target <> baseline),
  CHECK (kind <> 'percent' OR (baseline <= 100 AND target <= 100)),
  CHECK (kind <> 'count' OR (baseline = trunc(baseline) AND target = trunc(target)))
);
CREATE INDEX project_targets_item_idx ON project_targets (item_id);

-- 节点: milestones. The actual date is set by a progress report (kept in the report too).
CREATE TABLE project_milestones (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  item_id       uuid NOT NULL REFERENCES project_items (id),
  title         text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  planned_on    date NOT NULL,
  sort_order    integer NOT NULL DEFAULT 0
);
CREATE INDEX project_milestones_item_idx ON project_milestones (item_id);

-- 进度报告: immutable. A report states, as of a date, values per target, milestones reached,
-- a stage (for items whose progress follows a stage) and a narrative. A reviewer's return is
-- a row in project_report_returns; a correction is a new report naming the one it corrects.
CREATE TABLE project_reports (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  item_id       uuid NOT NULL REFERENCES project_items (id),
  as_of         date NOT NULL,
  stage         text CHECK (stage IN ('preparing', 'tendering', 'constructing', 'accepting', 'done')),
  narrative     text NOT NULL CHECK (length(narrative) BETWEEN 1 AND 5000),
  target_values jsonb NOT NULL DEFAULT '[]'::jsonb,
  milestones    jsonb NOT NULL DEFAULT '[]'::jsonb,
  corrects_id   uuid REFERENCES project_reports (id),
  reporter_id   uuid,
  reporter_role text,
  reporter_unit text,
  created_at    timestamptz NOT NULL
);
CREATE INDEX project_reports_item_idx ON project_reports (item_id, as_of);

CREATE TABLE project_report_returns (
  report_id     uuid PRIMARY KEY REFERENCES project_reports (id),
  district_code text NOT NULL,
  reason        text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
  returned_by   uuid,
  returned_at   timestamptz NOT NULL
);

-- Evidence: photos and documents in the database, type read from the bytes.
CREATE TABLE project_report_files (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  report_id     uuid NOT NULL REFERENCES project_reports (id),
  item_id       uuid NOT NULL REFERENCES project_items (id),
  file_name     text NOT NULL,
  mime_type     text NOT NULL CHECK (mime_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
  size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  sha256        text NOT NULL,
  content       bytea NOT NULL,
  is_public     boolean NOT NULL DEFAULT true,
  created_at    timestamptz NOT NULL
);
CREATE INDEX project_report_files_item_idx ON project_report_files (item_id);
CREATE INDEX project_report_files_report_idx ON project_report_files (report_id);

-- The item's history: every creation, edit, report, return, closure and import, append-only.
CREATE TABLE project_events (
  id            bigserial PRIMARY KEY,
  district_code text NOT NULL,
  item_id       uuid NOT NULL REFERENCES project_items (id),
  kind          text NOT NULL,
  at            timestamptz NOT NULL,
  actor_id      uuid,
  actor_role    text,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX project_events_item_idx ON project_events (item_id, id);

-- 评价: residents rate a completed item, once per device token (only its hash is kept).
CREATE TABLE project_ratings (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  item_id       uuid NOT NULL REFERENCES project_items (id),
  voter_hash    text NOT NULL,
  score         integer NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment       text CHECK (comment IS NULL OR length(comment) <= 500),
  created_at    timestamptz NOT NULL,
  UNIQUE (item_id, voter_hash)
);

CREATE FUNCTION project_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END
$$;
CREATE TRIGGER project_events_no_update BEFORE UPDATE OR DELETE ON project_events
  FOR EACH ROW EXECUTE FUNCTION project_history_is_append_only();
CREATE TRIGGER project_reports_no_update BEFORE UPDATE OR DELETE ON project_reports
  FOR EACH ROW EXECUTE FUNCTION project_history_is_append_only();
CREATE TRIGGER project_report_returns_no_update BEFORE UPDATE OR DELETE ON project_report_returns
  FOR EACH ROW EXECUTE FUNCTION project_history_is_append_only();
CREATE TRIGGER project_report_files_no_update BEFORE UPDATE OR DELETE ON project_report_files
  FOR EACH ROW EXECUTE FUNCTION project_history_is_append_only();
