-- minsheng foundation: areas and grids, departments, users and sessions, grid staff, audit.
-- Every domain table carries district_code so a large deployment can shard by district.

-- 区 / 街道 / 社区 / 网格: one table, one row per area, a materialised path for scope checks.
CREATE TABLE areas (
  district_code    text NOT NULL,
  code             text NOT NULL,
  level            text NOT NULL CHECK (level IN ('district', 'subdistrict', 'community', 'grid_cell')),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  parent_code      text,
  path             text NOT NULL,
  statistical_code text,
  is_demo          boolean NOT NULL DEFAULT false,
  geometry         jsonb,
  geometry_source  text,
  bbox             double precision[],
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, code),
  FOREIGN KEY (district_code, parent_code) REFERENCES areas (district_code, code),
  CHECK ((level = 'district') = (parent_code IS NULL)),
  CHECK (path LIKE '/%/')
);
CREATE UNIQUE INDEX areas_path_idx ON areas (path text_pattern_ops);
CREATE INDEX areas_parent_idx ON areas (district_code, parent_code);

-- 部门: departments are data (城管, 住建, 民政 …), not code.
CREATE TABLE departments (
  district_code text NOT NULL,
  code          text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_-]{1,40}$'),
  name          text NOT NULL,
  name_en       text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, code)
);

CREATE TABLE users (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code       text NOT NULL,
  username            text NOT NULL CHECK (username ~ '^[A-Za-z0-9_.-]{3,40}$'),
  display_name        text NOT NULL,
  role                text NOT NULL CHECK (role IN ('resident', 'dispatcher', 'handler', 'grid_worker', 'civil_affairs', 'leader', 'admin')),
  area_code           text,
  area_path           text,
  department_code     text,
  phone               text,
  password_hash       text NOT NULL,
  is_demo             boolean NOT NULL DEFAULT false,
  disabled            boolean NOT NULL DEFAULT false,
  failed_logins       integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  last_login_at       timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (district_code, area_code) REFERENCES areas (district_code, code),
  FOREIGN KEY (district_code, department_code) REFERENCES departments (district_code, code),
  CHECK ((area_code IS NULL) = (area_path IS NULL))
);
CREATE UNIQUE INDEX users_username_idx ON users (lower(username));
CREATE INDEX users_scope_idx ON users (district_code, area_path text_pattern_ops);

-- Sessions: only a hash of the token is stored; a stolen database does not yield live sessions.
CREATE TABLE sessions (
  token_hash    text PRIMARY KEY,
  district_code text NOT NULL,
  user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Kinds of matched service staff per grid (网格员, 电力服务员, 家庭医生团队, 辅警 …): data.
CREATE TABLE staff_kinds (
  district_code text NOT NULL,
  code          text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,40}$'),
  name          text NOT NULL,
  name_en       text NOT NULL,
  sort_order    integer NOT NULL DEFAULT 0,
  PRIMARY KEY (district_code, code)
);

CREATE TABLE grid_staff (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  area_code     text NOT NULL,
  area_path     text NOT NULL,
  staff_kind    text NOT NULL,
  name          text NOT NULL,
  phone         text,
  user_id       uuid REFERENCES users (id),
  is_demo       boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (district_code, area_code) REFERENCES areas (district_code, code),
  FOREIGN KEY (district_code, staff_kind) REFERENCES staff_kinds (district_code, code)
);
CREATE INDEX grid_staff_area_idx ON grid_staff (district_code, area_code);
CREATE INDEX grid_staff_path_idx ON grid_staff (area_path text_pattern_ops);

-- Audit: append-only, written in the same transaction as the write or read it records.
CREATE TABLE audit_log (
  id            bigserial PRIMARY KEY,
  district_code text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now(),
  actor_id      uuid,
  actor_role    text,
  action        text NOT NULL,
  target_type   text,
  target_id     text,
  detail        jsonb NOT NULL DEFAULT '{}'::jsonb,
  ip            text
);
CREATE INDEX audit_log_district_at_idx ON audit_log (district_code, at DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at DESC);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
