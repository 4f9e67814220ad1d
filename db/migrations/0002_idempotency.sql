-- Idempotency keys: a retried POST with the same Idempotency-Key replays the first answer
-- instead of acting twice (see docs/adr/0006-idempotency.md).
CREATE TABLE idempotency_keys (
  district_code  text NOT NULL,
  owner          text NOT NULL,
  key            text NOT NULL,
  method         text NOT NULL,
  path           text NOT NULL,
  request_hash   text NOT NULL,
  state          text NOT NULL CHECK (state IN ('pending', 'done')),
  status_code    integer,
  content_type   text,
  response_body  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, owner, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
