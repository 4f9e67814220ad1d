-- 自动分析: versions of the category classifier. A district has at most one active model; the
-- activation log makes rollback possible (activate the model that was active before).
CREATE TABLE analysis_models (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  version       integer NOT NULL CHECK (version > 0),
  labels        jsonb NOT NULL,
  label_names   jsonb NOT NULL DEFAULT '{}'::jsonb,
  metrics       jsonb NOT NULL,
  training      jsonb NOT NULL,
  payload       text NOT NULL,
  size_bytes    integer NOT NULL,
  active        boolean NOT NULL DEFAULT false,
  is_demo       boolean NOT NULL DEFAULT false,
  created_by    uuid,
  created_at    timestamptz NOT NULL,
  UNIQUE (district_code, version)
);
CREATE UNIQUE INDEX analysis_models_one_active_idx ON analysis_models (district_code) WHERE active;

CREATE TABLE analysis_model_activations (
  id            bigserial PRIMARY KEY,
  district_code text NOT NULL,
  model_id      uuid NOT NULL REFERENCES analysis_models (id),
  action        text NOT NULL CHECK (action IN ('activate', 'rollback')),
  at            timestamptz NOT NULL,
  actor_id      uuid
);
CREATE INDEX analysis_model_activations_idx ON analysis_model_activations (district_code, id);
