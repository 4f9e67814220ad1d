-- 知识库 for direct answers (直办): versioned entries. An edit writes a new version; the entry
-- points at its current one. Expired entries (valid_until before today) are hidden from
-- suggestions and flagged to their owner unit once per version (knowledge_expiry_flags).
CREATE TABLE knowledge_entries (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code   text NOT NULL,
  current_version integer NOT NULL DEFAULT 1,
  retired         boolean NOT NULL DEFAULT false,
  is_demo         boolean NOT NULL DEFAULT false,
  created_by      uuid,
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX knowledge_entries_district_idx ON knowledge_entries (district_code, retired);

CREATE TABLE knowledge_entry_versions (
  entry_id       uuid NOT NULL REFERENCES knowledge_entries (id),
  district_code  text NOT NULL,
  version        integer NOT NULL CHECK (version >= 1),
  question       text NOT NULL CHECK (length(question) BETWEEN 2 AND 500),
  answer         text NOT NULL CHECK (length(answer) BETWEEN 2 AND 5000),
  policy_basis   text NOT NULL DEFAULT '',
  owner_unit     text NOT NULL,
  category_code  text,
  keywords       text[] NOT NULL DEFAULT '{}',
  valid_until    date,
  created_by     uuid,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (entry_id, version)
);

CREATE TABLE knowledge_expiry_flags (
  entry_id      uuid NOT NULL REFERENCES knowledge_entries (id),
  district_code text NOT NULL,
  version       integer NOT NULL,
  owner_unit    text NOT NULL,
  flagged_at    timestamptz NOT NULL,
  resolved_at   timestamptz,
  PRIMARY KEY (entry_id, version)
);
CREATE INDEX knowledge_expiry_flags_owner_idx ON knowledge_expiry_flags (district_code, owner_unit) WHERE resolved_at IS NULL;
