-- 登记更正: a request to correct the registry, e.g. a grid worker's visit found a person "not
-- eligible after visit" (died, moved, income changed). Civil-affairs staff resolve it by
-- importing or entering the dated change; the request keeps the trail.
CREATE TABLE res_corrections (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code text NOT NULL,
  person_id     uuid NOT NULL REFERENCES res_persons (id),
  area_path     text NOT NULL,
  field         text NOT NULL CHECK (field IN ('income', 'status', 'household', 'disability', 'hukou', 'marital', 'death', 'moved_out', 'other')),
  note          text NOT NULL CHECK (length(note) BETWEEN 2 AND 500),
  source        text NOT NULL,
  reference     text,
  status        text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'rejected')),
  created_by    uuid,
  created_at    timestamptz NOT NULL DEFAULT now(),
  resolved_at   timestamptz
);
CREATE INDEX res_corrections_path_idx ON res_corrections (district_code, area_path text_pattern_ops, status);
CREATE INDEX res_corrections_person_idx ON res_corrections (person_id);
