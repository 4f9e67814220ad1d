-- Per-district settings of the classifier (data, not code): the triage threshold and retraining.
CREATE TABLE analysis_settings (
  district_code       text PRIMARY KEY,
  triage_threshold    double precision NOT NULL DEFAULT 0.5 CHECK (triage_threshold > 0 AND triage_threshold < 1),
  retrain_every_days  integer NOT NULL DEFAULT 7 CHECK (retrain_every_days BETWEEN 1 AND 365),
  min_new_labels      integer NOT NULL DEFAULT 50 CHECK (min_new_labels >= 0),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- Retraining runs (the job and the command) with their progress, so the web app can show it.
CREATE TABLE analysis_training_runs (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  status        text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
  trigger       text NOT NULL CHECK (trigger IN ('manual', 'schedule', 'cli', 'demo')),
  done          integer NOT NULL DEFAULT 0,
  total         integer NOT NULL DEFAULT 0,
  stage         text NOT NULL DEFAULT 'queued',
  model_id      uuid REFERENCES analysis_models (id),
  error         text,
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  started_by    uuid
);
CREATE INDEX analysis_training_runs_idx ON analysis_training_runs (district_code, started_at DESC);
