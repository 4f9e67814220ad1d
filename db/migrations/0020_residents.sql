-- 人口信息 (the resident registry): buildings, households, persons and their dated facts.
--
-- Dating conventions (see src/domain/residents/facts.ts):
--   * valid_from is inclusive, valid_to is EXCLUSIVE (NULL = still valid): a fact holds on day d
--     when valid_from <= d AND (valid_to IS NULL OR d < valid_to). Changing a fact closes the old
--     row (valid_to = the change date) and opens a new one; rows are never overwritten, so the
--     registry of any past date can be reconstructed.
--   * benefit receipts cover a pay period [period_from, period_to], both INCLUSIVE (a month is
--     2026-01-01 .. 2026-01-31; a one-off service such as a check has period_from = period_to;
--     an open, standing entitlement has period_to NULL).
--   * income declarations hold from declared_on until the next declaration.
-- Personal identifiers (ID number, phone) are stored encrypted (AES-256-GCM, key outside the
-- database, ADR 0020) with a keyed HMAC blind index for exact lookup and duplicate checks and a
-- masked copy for display; the plain value is never stored.

-- 楼栋: a residence building, located (WGS-84) in a grid cell.
CREATE TABLE res_buildings (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
  address       text NOT NULL CHECK (length(address) BETWEEN 1 AND 200),
  lon           double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat           double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  grid_code     text NOT NULL,
  area_path     text NOT NULL CHECK (area_path LIKE '/%/'),
  is_demo       boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (district_code, grid_code) REFERENCES areas (district_code, code)
);
CREATE UNIQUE INDEX res_buildings_code_idx ON res_buildings (district_code, code);
CREATE INDEX res_buildings_path_idx ON res_buildings (district_code, area_path text_pattern_ops);

-- 户: a household at one address (building + room). area_path is the building's grid cell.
CREATE TABLE res_households (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  code          text NOT NULL CHECK (code ~ '^[A-Za-z0-9_-]{1,40}$'),
  building_id   uuid NOT NULL REFERENCES res_buildings (id),
  room          text NOT NULL DEFAULT '' CHECK (length(room) <= 40),
  grid_code     text NOT NULL,
  area_path     text NOT NULL CHECK (area_path LIKE '/%/'),
  is_demo       boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX res_households_code_idx ON res_households (district_code, code);
CREATE INDEX res_households_path_idx ON res_households (district_code, area_path text_pattern_ops);
CREATE INDEX res_households_building_idx ON res_households (building_id);

-- 人: the stable facts of a person. area_path is the CURRENT residence (for scoped search); the
-- residence on a past date comes from res_memberships.
CREATE TABLE res_persons (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code    text NOT NULL,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  id_number_enc    text NOT NULL,          -- AES-256-GCM: v1.<iv>.<tag>.<ciphertext> (base64url)
  id_number_hmac   text NOT NULL,          -- HMAC-SHA-256 blind index (hex)
  id_number_masked text NOT NULL,          -- 3702**********1234
  phone_enc        text,
  phone_hmac       text,
  phone_masked     text,
  birth_date       date NOT NULL,
  sex              text NOT NULL CHECK (sex IN ('M', 'F')),
  registered_from  date NOT NULL,          -- in the registry (and the district) from this day
  moved_out_on     date,                   -- left the district on this day (not resident from then)
  died_on          date,
  area_path        text NOT NULL CHECK (area_path LIKE '/%/'),
  is_demo          boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (moved_out_on IS NULL OR moved_out_on >= registered_from),
  CHECK (died_on IS NULL OR died_on >= birth_date)
);
CREATE UNIQUE INDEX res_persons_id_hmac_idx ON res_persons (district_code, id_number_hmac);
CREATE INDEX res_persons_phone_hmac_idx ON res_persons (district_code, phone_hmac);
CREATE INDEX res_persons_path_idx ON res_persons (district_code, area_path text_pattern_ops);
CREATE INDEX res_persons_name_idx ON res_persons (district_code, name);

-- Dated person attributes: marital status and spouse, hukou, disability.
CREATE TABLE res_person_versions (
  id               bigserial PRIMARY KEY,
  district_code    text NOT NULL,
  person_id        uuid NOT NULL REFERENCES res_persons (id),
  valid_from       date NOT NULL,
  valid_to         date,
  marital_status   text CHECK (marital_status IN ('single', 'married', 'divorced', 'widowed')),
  spouse_id        uuid REFERENCES res_persons (id),
  hukou_type       text NOT NULL CHECK (hukou_type IN ('local', 'city', 'outside')),
  hukou_place      text,                   -- 6-digit division code of the hukou place, when known
  disability_type  text CHECK (disability_type IN ('视力', '听力', '言语', '肢体', '智力', '精神', '多重')),
  disability_grade smallint CHECK (disability_grade BETWEEN 1 AND 4),
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  CHECK ((disability_type IS NULL) = (disability_grade IS NULL))
);
CREATE INDEX res_person_versions_person_idx ON res_person_versions (person_id, valid_from);
CREATE INDEX res_person_versions_district_idx ON res_person_versions (district_code, valid_from);

-- 户成员: dated membership of a person in a household, with the relationship to the head.
CREATE TABLE res_memberships (
  id            bigserial PRIMARY KEY,
  district_code text NOT NULL,
  household_id  uuid NOT NULL REFERENCES res_households (id),
  person_id     uuid NOT NULL REFERENCES res_persons (id),
  relationship  text NOT NULL CHECK (relationship IN ('head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other')),
  valid_from    date NOT NULL,
  valid_to      date,
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX res_memberships_person_idx ON res_memberships (person_id, valid_from);
CREATE INDEX res_memberships_household_idx ON res_memberships (household_id, valid_from);
CREATE INDEX res_memberships_district_idx ON res_memberships (district_code);

-- 收入申报: personal monthly income in 分, holding from declared_on until the next declaration.
CREATE TABLE res_incomes (
  id                 bigserial PRIMARY KEY,
  district_code      text NOT NULL,
  person_id          uuid NOT NULL REFERENCES res_persons (id),
  declared_on        date NOT NULL,
  monthly_income_fen bigint NOT NULL CHECK (monthly_income_fen >= 0),
  source             text NOT NULL DEFAULT 'import'
);
CREATE INDEX res_incomes_person_idx ON res_incomes (person_id, declared_on);
CREATE INDEX res_incomes_district_idx ON res_incomes (district_code);

-- 特殊身份: dated special statuses (低保, 特困, 独居老人 …), codes in facts.ts SPECIAL_STATUSES.
CREATE TABLE res_statuses (
  id            bigserial PRIMARY KEY,
  district_code text NOT NULL,
  person_id     uuid NOT NULL REFERENCES res_persons (id),
  status        text NOT NULL CHECK (status ~ '^[a-z][a-z0-9_]{1,40}$'),
  valid_from    date NOT NULL,
  valid_to      date,
  source        text NOT NULL DEFAULT 'import',
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE INDEX res_statuses_person_idx ON res_statuses (person_id, valid_from);
CREATE INDEX res_statuses_district_idx ON res_statuses (district_code, status);

-- 待遇领取: benefit receipts, one row per pay period (or per one-off service).
CREATE TABLE res_receipts (
  id            bigserial PRIMARY KEY,
  district_code text NOT NULL,
  person_id     uuid NOT NULL REFERENCES res_persons (id),
  benefit_code  text NOT NULL CHECK (benefit_code ~ '^[a-z][a-z0-9_]{1,40}$'),
  period_from   date NOT NULL,
  period_to     date,
  amount_fen    bigint NOT NULL DEFAULT 0 CHECK (amount_fen >= 0),
  source        text NOT NULL DEFAULT 'import',
  is_demo       boolean NOT NULL DEFAULT false,
  CHECK (period_to IS NULL OR period_to >= period_from)
);
CREATE INDEX res_receipts_person_idx ON res_receipts (person_id, benefit_code, period_from);
CREATE INDEX res_receipts_district_idx ON res_receipts (district_code, benefit_code);

-- 导入记录: every import (applied or dry run) with its per-row report.
CREATE TABLE res_imports (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  file_name     text NOT NULL,
  effective_on  date NOT NULL,
  dry_run       boolean NOT NULL,
  rows_total    integer NOT NULL,
  rows_applied  integer NOT NULL,
  rows_skipped  integer NOT NULL,
  report        jsonb NOT NULL,
  actor_id      uuid,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX res_imports_district_idx ON res_imports (district_code, created_at DESC);
