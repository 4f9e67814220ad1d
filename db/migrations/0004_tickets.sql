-- 接诉即办: citizen tickets. The event log is the truth; `tickets` holds the request itself plus
-- a projection of the log (status, units, deadlines) rewritten in the same transaction as each
-- event, so lists and statistics are plain indexed SQL.

-- The district's own 3-level category catalogue (data, editable by admins).
CREATE TABLE ticket_categories (
  district_code text NOT NULL,
  code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,40}$'),
  parent_code   text,
  level         integer NOT NULL CHECK (level BETWEEN 1 AND 3),
  name          text NOT NULL,
  name_en       text NOT NULL DEFAULT '',
  active        boolean NOT NULL DEFAULT true,
  auto_dispatch boolean NOT NULL DEFAULT false,
  PRIMARY KEY (district_code, code),
  FOREIGN KEY (district_code, parent_code) REFERENCES ticket_categories (district_code, code)
);

-- 派单目录: category × area → unit, most specific first (data, editable by admins).
CREATE TABLE ticket_routes (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  category_code text NOT NULL,
  area_path     text,
  unit          text NOT NULL CHECK (unit ~ '^(department|subdistrict):[A-Za-z0-9_-]+$'),
  reason        text NOT NULL DEFAULT '',
  FOREIGN KEY (district_code, category_code) REFERENCES ticket_categories (district_code, code)
);
CREATE INDEX ticket_routes_category_idx ON ticket_routes (district_code, category_code);

-- Time limits per type × category × urgency (NULL = any), the most specific row wins.
CREATE TABLE ticket_time_limits (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code        text NOT NULL,
  ticket_type          text,
  category_code        text,
  urgency              text,
  accept_working_hours numeric NOT NULL CHECK (accept_working_hours > 0),
  handle_working_days  integer CHECK (handle_working_days > 0),
  handle_working_hours numeric CHECK (handle_working_hours > 0),
  CHECK ((handle_working_days IS NULL) <> (handle_working_hours IS NULL))
);

CREATE TABLE ticket_number_counters (
  district_code text NOT NULL,
  day           text NOT NULL,
  last          integer NOT NULL,
  PRIMARY KEY (district_code, day)
);

CREATE TABLE tickets (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code    text NOT NULL,
  number           text NOT NULL,
  type             text NOT NULL CHECK (type IN ('consultation', 'help', 'complaint', 'report', 'suggestion', 'praise')),
  channel          text NOT NULL CHECK (channel IN ('hotline', 'web', 'qr', 'grid_patrol', 'sensor', 'supervision', 'open311')),
  title            text NOT NULL,
  content          text NOT NULL,
  urgency          text NOT NULL CHECK (urgency IN ('normal', 'urgent', 'emergency')),
  category_code    text,
  lon              double precision,
  lat              double precision,
  address          text,
  area_path        text NOT NULL,
  grid_cell_code   text,
  community_code   text,
  subdistrict_code text,
  requester_name   text,
  requester_phone  text,
  anonymous        boolean NOT NULL DEFAULT false,
  query_code_hash  text,
  idempotency_key  text,
  created_by       uuid,
  created_at       timestamptz NOT NULL,
  -- projection of the event log
  status           text NOT NULL,
  lead_unit        text,
  assisting_units  text[] NOT NULL DEFAULT '{}',
  due_at           timestamptz,
  accept_due_at    timestamptz,
  accepted_at      timestamptz,
  replied_at       timestamptz,
  closed_at        timestamptz,
  resolution       text,
  rating           text,
  returns          integer NOT NULL DEFAULT 0,
  reopens          integer NOT NULL DEFAULT 0,
  urges            integer NOT NULL DEFAULT 0,
  merged_into      uuid,
  paused_since     timestamptz,
  last_seq         integer NOT NULL DEFAULT 0,
  FOREIGN KEY (district_code, category_code) REFERENCES ticket_categories (district_code, code)
);
CREATE UNIQUE INDEX tickets_number_idx ON tickets (district_code, number);
CREATE UNIQUE INDEX tickets_idempotency_idx ON tickets (district_code, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX tickets_scope_idx ON tickets (district_code, area_path text_pattern_ops);
CREATE INDEX tickets_status_idx ON tickets (district_code, status, due_at);
CREATE INDEX tickets_lead_unit_idx ON tickets (district_code, lead_unit, status);
CREATE INDEX tickets_created_idx ON tickets (district_code, created_at);

-- The append-only log. (ticket_id, seq) is unique: two acts racing on one ticket cannot both land.
CREATE TABLE ticket_events (
  id            bigserial PRIMARY KEY,
  district_code text NOT NULL,
  ticket_id     uuid NOT NULL REFERENCES tickets (id),
  seq           integer NOT NULL,
  kind          text NOT NULL,
  at            timestamptz NOT NULL,
  actor_id      uuid,
  actor_role    text,
  unit          text,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (ticket_id, seq)
);
CREATE INDEX ticket_events_kind_at_idx ON ticket_events (district_code, kind, at);

CREATE FUNCTION ticket_events_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ticket_events is append-only';
END
$$;
CREATE TRIGGER ticket_events_no_update BEFORE UPDATE OR DELETE ON ticket_events
  FOR EACH ROW EXECUTE FUNCTION ticket_events_is_append_only();

-- Photos: stored in the database (no file paths to traverse), checked by magic bytes and size.
CREATE TABLE ticket_attachments (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  ticket_id     uuid NOT NULL REFERENCES tickets (id),
  event_seq     integer,
  file_name     text NOT NULL,
  mime_type     text NOT NULL CHECK (mime_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
  sha256        text NOT NULL,
  content       bytea NOT NULL,
  created_at    timestamptz NOT NULL
);
CREATE INDEX ticket_attachments_ticket_idx ON ticket_attachments (ticket_id);
