-- Deleting or replacing persons checks the spouse_id foreign key: without an index every deleted
-- person scanned all versions (replacing a 100k demo registry took minutes).
CREATE INDEX res_person_versions_spouse_idx ON res_person_versions (spouse_id) WHERE spouse_id IS NOT NULL;
