-- 政策找人 (benefits): policies as versioned data, match runs with their explained results,
-- visit worklists for the 沉默少数, and monthly payment cycles that freeze once approved.

-- Every saved version of a policy is kept; the highest version is the one in use.
CREATE TABLE benefit_policies (
  district_code text NOT NULL,
  code          text NOT NULL,
  version       int  NOT NULL CHECK (version >= 1),
  name_zh       text NOT NULL,
  name_en       text NOT NULL,
  rule          jsonb NOT NULL,           -- the validated policy JSON (docs/POLICY-RULES.md)
  is_demo       boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL,
  created_by    text,
  PRIMARY KEY (district_code, code, version)
);

-- One run of every (or one) policy over the registry on a reference date.
CREATE TABLE benefit_match_runs (
  id            text PRIMARY KEY,
  district_code text NOT NULL,
  ref_date      date NOT NULL,
  scope_path    text NOT NULL,
  policies      jsonb NOT NULL,           -- [{code, version}]
  counts        jsonb NOT NULL,           -- per policy: eligible_receiving, eligible_missing, stop, not_eligible, tiers, monthlyFen
  persons       int  NOT NULL,
  created_at    timestamptz NOT NULL,
  created_by    text
);
CREATE INDEX benefit_match_runs_latest ON benefit_match_runs (district_code, created_at DESC);

-- The persons of a run who qualify or receive (not eligible and not receiving is not stored:
-- it is explained on demand). area_path keeps the list scoped.
CREATE TABLE benefit_match_results (
  run_id        text NOT NULL REFERENCES benefit_match_runs(id) ON DELETE CASCADE,
  district_code text NOT NULL,
  policy_code   text NOT NULL,
  person_id     text NOT NULL,
  household_id  text,
  area_path     text NOT NULL,
  grid_code     text,
  category      text NOT NULL CHECK (category IN ('eligible_receiving', 'eligible_missing', 'stop')),
  tier_code     text,
  monthly_fen   bigint,
  stop_reason   text,
  summary_zh    text NOT NULL,
  summary_en    text NOT NULL,
  explanation   jsonb NOT NULL,
  PRIMARY KEY (run_id, policy_code, person_id)
);
CREATE INDEX benefit_match_results_list ON benefit_match_results (run_id, policy_code, category, area_path);

-- Visit tasks: one per (policy, person) of the 沉默少数, for the grid worker of the household's grid.
CREATE TABLE benefit_visits (
  id            text PRIMARY KEY,
  district_code text NOT NULL,
  run_id        text NOT NULL,
  policy_code   text NOT NULL,
  person_id     text NOT NULL,
  household_id  text,
  area_path     text NOT NULL,
  grid_code     text,
  summary_zh    text NOT NULL,
  summary_en    text NOT NULL,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'applied', 'declined', 'not_eligible', 'unreachable')),
  reason        text,
  correction_status text CHECK (correction_status IN ('pending', 'recorded')),
  created_at    timestamptz NOT NULL,
  outcome_at    timestamptz,
  outcome_by    text
);
CREATE UNIQUE INDEX benefit_visits_one_open ON benefit_visits (district_code, policy_code, person_id) WHERE status = 'open';
CREATE INDEX benefit_visits_scope ON benefit_visits (district_code, area_path);

-- Monthly payment cycles: draft → reviewed → approved (frozen). The approver is not the preparer.
CREATE TABLE benefit_cycles (
  id             text PRIMARY KEY,
  district_code  text NOT NULL,
  policy_code    text NOT NULL,
  policy_version int  NOT NULL,
  month          text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  ref_date       date NOT NULL,
  status         text NOT NULL CHECK (status IN ('draft', 'reviewed', 'approved')),
  persons        int  NOT NULL,
  total_fen      bigint NOT NULL,
  prepared_by    text,
  prepared_at    timestamptz NOT NULL,
  reviewed_by    text,
  reviewed_at    timestamptz,
  approved_by    text,
  approved_at    timestamptz,
  -- who left the list since the previous cycle of the policy, and why (explained on this cycle's date, frozen with it)
  removed        jsonb NOT NULL DEFAULT '[]',
  UNIQUE (district_code, policy_code, month),
  CHECK (approved_by IS NULL OR prepared_by IS NULL OR approved_by <> prepared_by)
);

CREATE TABLE benefit_entitlements (
  cycle_id      text NOT NULL REFERENCES benefit_cycles(id),
  district_code text NOT NULL,
  person_id     text NOT NULL,
  household_id  text,
  area_path     text NOT NULL,
  street_code   text,
  name_masked   text NOT NULL,
  tier_code     text,
  amount_fen    bigint NOT NULL CHECK (amount_fen >= 0),
  summary_zh    text NOT NULL,
  summary_en    text NOT NULL,
  PRIMARY KEY (cycle_id, person_id)
);
CREATE INDEX benefit_entitlements_scope ON benefit_entitlements (district_code, area_path);

-- Frozen means frozen: an approved cycle and its entitlements reject every change.
CREATE FUNCTION benefit_cycle_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE cid text;
BEGIN
  IF TG_TABLE_NAME = 'benefit_cycles' THEN
    IF OLD.status = 'approved' THEN RAISE EXCEPTION 'benefit cycle % is approved and frozen', OLD.id; END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'INSERT' THEN cid := NEW.cycle_id; ELSE cid := OLD.cycle_id; END IF;
  IF EXISTS (SELECT 1 FROM benefit_cycles c WHERE c.id = cid AND c.status = 'approved') THEN
    RAISE EXCEPTION 'benefit cycle % is approved and frozen', cid;
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER benefit_cycles_frozen BEFORE UPDATE OR DELETE ON benefit_cycles
  FOR EACH ROW EXECUTE FUNCTION benefit_cycle_frozen();
CREATE TRIGGER benefit_entitlements_frozen BEFORE INSERT OR UPDATE OR DELETE ON benefit_entitlements
  FOR EACH ROW EXECUTE FUNCTION benefit_cycle_frozen();
