-- 民生微实事 (micro projects): residents propose, others support, the street screens, accepted
-- proposals go through design, construction and acceptance (验收); optional vote rounds decide
-- which are built. A proposal's status is the fold of its append-only events; the columns on
-- micro_proposals are a projection rewritten in the same transaction.

CREATE TABLE micro_number_counters (
  district_code text NOT NULL,
  year          integer NOT NULL,
  last          integer NOT NULL,
  PRIMARY KEY (district_code, year)
);

CREATE TABLE micro_proposals (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code       text NOT NULL,
  number              text NOT NULL,
  title               text NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 60),
  description         text NOT NULL CHECK (char_length(btrim(description)) BETWEEN 1 AND 2000),
  lon                 double precision CHECK (lon BETWEEN -180 AND 180),
  lat                 double precision CHECK (lat BETWEEN -90 AND 90),
  address             text,
  area_code           text NOT NULL,
  community_code      text,
  subdistrict_code    text NOT NULL,
  area_path           text NOT NULL,
  estimated_cost_fen  bigint NOT NULL CHECK (estimated_cost_fen > 0 AND estimated_cost_fen <= 100000000),
  proposer_phone      text NOT NULL,
  proposer_phone_hash text NOT NULL,
  created_at          timestamptz NOT NULL,
  idempotency_key     text,
  is_demo             boolean NOT NULL DEFAULT false,
  -- the projection of micro_proposal_events
  status              text NOT NULL CHECK (status IN ('submitted', 'accepted', 'merged', 'rejected', 'design', 'construction', 'completed', 'not_selected')),
  reason              text,
  merged_into         uuid REFERENCES micro_proposals (id),
  round_id            uuid,
  selected_by_round   uuid,
  cost_fen            bigint NOT NULL CHECK (cost_fen > 0 AND cost_fen <= 100000000),
  budget_line         text,
  project_item_id     uuid,
  accepted_on         text,
  design_on           text,
  construction_on     text,
  completed_on        text,
  last_seq            integer NOT NULL,
  UNIQUE (district_code, number),
  UNIQUE (district_code, idempotency_key)
);
CREATE INDEX micro_proposals_scope_idx ON micro_proposals (district_code, area_path text_pattern_ops);
CREATE INDEX micro_proposals_status_idx ON micro_proposals (district_code, status, created_at);
CREATE INDEX micro_proposals_merged_idx ON micro_proposals (merged_into) WHERE merged_into IS NOT NULL;

-- The append-only log: (proposal_id, seq) is unique, so two acts racing cannot both land.
CREATE TABLE micro_proposal_events (
  id            bigserial PRIMARY KEY,
  district_code text NOT NULL,
  proposal_id   uuid NOT NULL REFERENCES micro_proposals (id),
  seq           integer NOT NULL,
  kind          text NOT NULL,
  at            timestamptz NOT NULL,
  actor_id      uuid,
  actor_role    text,
  data          jsonb NOT NULL DEFAULT '{}'::jsonb,
  UNIQUE (proposal_id, seq)
);

CREATE FUNCTION micro_proposal_events_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'micro_proposal_events is append-only';
END
$$;
CREATE TRIGGER micro_proposal_events_no_update BEFORE UPDATE OR DELETE ON micro_proposal_events
  FOR EACH ROW EXECUTE FUNCTION micro_proposal_events_is_append_only();

-- One support per verified resident (phone) and proposal: the primary key refuses a second.
CREATE TABLE micro_supports (
  district_code        text NOT NULL,
  proposal_id          uuid NOT NULL REFERENCES micro_proposals (id),
  supporter_phone_hash text NOT NULL,
  supporter_phone      text NOT NULL,
  created_at           timestamptz NOT NULL,
  is_demo              boolean NOT NULL DEFAULT false,
  PRIMARY KEY (proposal_id, supporter_phone_hash)
);
CREATE INDEX micro_supports_phone_idx ON micro_supports (district_code, supporter_phone_hash);

-- Photos, in the database like tickets' (no file paths), checked by magic bytes and size.
CREATE TABLE micro_photos (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  proposal_id   uuid NOT NULL REFERENCES micro_proposals (id),
  file_name     text NOT NULL,
  mime_type     text NOT NULL CHECK (mime_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 5242880),
  sha256        text NOT NULL,
  content       bytea NOT NULL,
  created_at    timestamptz NOT NULL
);
CREATE INDEX micro_photos_proposal_idx ON micro_photos (proposal_id);

-- A resident who confirmed a phone code gets a short-lived token (hash stored), so that one
-- code covers proposing, supporting several proposals and voting in one sitting.
CREATE TABLE micro_resident_tokens (
  token_hash    text PRIMARY KEY,
  district_code text NOT NULL,
  phone         text NOT NULL,
  phone_hash    text NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);

-- Notices to proposers and supporters at each stage: written in the act's transaction
-- (pending), sent after commit through the SMS sender, marked sent or failed (retried).
CREATE TABLE micro_notifications (
  id                   bigserial PRIMARY KEY,
  district_code        text NOT NULL,
  proposal_id          uuid NOT NULL REFERENCES micro_proposals (id),
  event_seq            integer NOT NULL,
  recipient_phone_hash text NOT NULL,
  recipient_phone      text NOT NULL,
  recipient_role       text NOT NULL CHECK (recipient_role IN ('proposer', 'supporter')),
  channel              text NOT NULL DEFAULT 'sms' CHECK (channel IN ('sms')),
  text                 text NOT NULL,
  status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts             integer NOT NULL DEFAULT 0,
  created_at           timestamptz NOT NULL,
  sent_at              timestamptz,
  UNIQUE (proposal_id, event_seq, recipient_phone_hash)
);
CREATE INDEX micro_notifications_pending_idx ON micro_notifications (district_code, status) WHERE status <> 'sent';
CREATE INDEX micro_notifications_recipient_idx ON micro_notifications (district_code, recipient_phone_hash);

-- Vote rounds (票决): a budget, min and max items per ballot, the proposals on the ballot.
CREATE TABLE micro_rounds (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  title         text NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 60),
  area_code     text NOT NULL,
  area_path     text NOT NULL,
  budget_fen    bigint NOT NULL CHECK (budget_fen > 0),
  min_items     integer NOT NULL CHECK (min_items >= 1),
  max_items     integer NOT NULL CHECK (max_items >= min_items),
  status        text NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at     timestamptz NOT NULL,
  closed_at     timestamptz,
  created_by    uuid,
  result        jsonb,
  is_demo       boolean NOT NULL DEFAULT false
);
CREATE INDEX micro_rounds_scope_idx ON micro_rounds (district_code, area_path text_pattern_ops);

CREATE TABLE micro_round_proposals (
  round_id    uuid NOT NULL REFERENCES micro_rounds (id),
  proposal_id uuid NOT NULL REFERENCES micro_proposals (id),
  cost_fen    bigint NOT NULL CHECK (cost_fen > 0),
  PRIMARY KEY (round_id, proposal_id)
);

-- One ballot per verified resident and round: the primary key refuses a second.
CREATE TABLE micro_ballots (
  round_id         uuid NOT NULL REFERENCES micro_rounds (id),
  district_code    text NOT NULL,
  voter_phone_hash text NOT NULL,
  cast_at          timestamptz NOT NULL,
  PRIMARY KEY (round_id, voter_phone_hash)
);

CREATE TABLE micro_ballot_choices (
  round_id         uuid NOT NULL,
  voter_phone_hash text NOT NULL,
  proposal_id      uuid NOT NULL,
  PRIMARY KEY (round_id, voter_phone_hash, proposal_id),
  FOREIGN KEY (round_id, voter_phone_hash) REFERENCES micro_ballots (round_id, voter_phone_hash),
  FOREIGN KEY (round_id, proposal_id) REFERENCES micro_round_proposals (round_id, proposal_id)
);
