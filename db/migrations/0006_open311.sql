-- Open311 GeoReport v2 (the outward API at /open311/v2).
--
-- API keys for POST requests: only a SHA-256 of the key is stored (keys are 32 random bytes, so a
-- fast hash is enough), with a label naming the client. Keys are created by
-- open311Service.createApiKey (admin, audited), which shows the key once. Until an admin screen or
-- CLI command exists, an administrator can add one by hand:
--   key=$(openssl rand -hex 32)    # give this to the client
--   INSERT INTO open311_api_keys (district_code, label, key_hash, created_at)
--   VALUES ('<district code>', '<client name>', encode(sha256(convert_to('o311_' || '<key>', 'UTF8')), 'hex'), now());
-- The client then sends api_key=o311_<key>. Revoke with UPDATE … SET revoked_at = now().
CREATE TABLE open311_api_keys (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  label         text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
  key_hash      text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_by    uuid,
  created_at    timestamptz NOT NULL,
  revoked_at    timestamptz
);
CREATE INDEX open311_api_keys_district_idx ON open311_api_keys (district_code);

-- Which client submitted which ticket (a misbehaving key's tickets can be found), and the
-- submission's non-personal extras the tickets table has no column for. E-mail, device and
-- account ids are not kept.
CREATE TABLE open311_requests (
  ticket_id     uuid PRIMARY KEY REFERENCES tickets (id),
  district_code text NOT NULL,
  api_key_id    uuid NOT NULL REFERENCES open311_api_keys (id),
  media_url     text CHECK (media_url IS NULL OR length(media_url) <= 2000),
  created_at    timestamptz NOT NULL
);
CREATE INDEX open311_requests_key_idx ON open311_requests (district_code, api_key_id);
