-- Residents report without an account: a phone number is confirmed by a one-time code first.
-- Only hashes are stored; a code lives 10 minutes and allows 5 attempts.
CREATE TABLE phone_verifications (
  district_code text NOT NULL,
  phone_hash    text NOT NULL,
  code_hash     text NOT NULL,
  attempts      integer NOT NULL DEFAULT 0,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  PRIMARY KEY (district_code, phone_hash)
);
