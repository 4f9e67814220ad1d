-- The classifier's suggestion for a ticket (top-3 with calibrated probabilities), computed once
-- per ticket and model version; below the district's threshold the ticket waits in the human
-- triage queue (人工分类) until a dispatcher sets its category.
CREATE TABLE analysis_classifications (
  district_code   text NOT NULL,
  ticket_id       uuid NOT NULL,
  area_path       text NOT NULL,
  model_id        uuid NOT NULL REFERENCES analysis_models (id),
  top             jsonb NOT NULL,
  confidence      double precision NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
  needs_triage    boolean NOT NULL,
  category_at     text,
  classified_at   timestamptz NOT NULL,
  PRIMARY KEY (district_code, ticket_id)
);
CREATE INDEX analysis_classifications_triage_idx ON analysis_classifications (district_code, area_path text_pattern_ops) WHERE needs_triage;
