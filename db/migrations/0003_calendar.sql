-- Working-time calendar: a district's corrections to the national holiday arrangement.
-- The arrangement itself (holidays and 调休 adjusted workdays) comes from the chinese-days
-- package; a row here wins over it for that district and date: a year the package does not
-- have yet (entered when the State Council announces it), or a local holiday.
CREATE TABLE calendar_overrides (
  district_code text NOT NULL,
  date          date NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('workday', 'holiday')),
  name          text CHECK (name IS NULL OR length(name) BETWEEN 1 AND 50),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (district_code, date)
);
