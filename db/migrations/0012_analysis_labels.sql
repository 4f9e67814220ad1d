-- Labels for the next training: the category a dispatcher finally set. A row is written when a
-- ticket's category differs from the model's top suggestion (a correction) or when a closed
-- ticket is collected for training; the ticket's text stays in the tickets module.
CREATE TABLE analysis_labels (
  district_code  text NOT NULL,
  ticket_id      uuid NOT NULL,
  area_path      text NOT NULL,
  category_code  text NOT NULL,
  predicted_code text,
  source         text NOT NULL CHECK (source IN ('correction', 'closed')),
  recorded_at    timestamptz NOT NULL,
  PRIMARY KEY (district_code, ticket_id)
);
CREATE INDEX analysis_labels_source_idx ON analysis_labels (district_code, source);
