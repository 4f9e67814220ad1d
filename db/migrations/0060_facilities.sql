-- 服务圈: facilities by type, where people live, road networks for network distance.
-- Types (and their default coverage standard) are data per district; coordinates are WGS-84.

CREATE TABLE facility_types (
  district_code    text NOT NULL,
  code             text NOT NULL CHECK (code ~ '^[a-z][a-z0-9_]{1,40}$'),
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  name_en          text NOT NULL,
  capacity_unit    text NOT NULL DEFAULT '',
  capacity_unit_en text NOT NULL DEFAULT '',
  -- the default standard: a radius, a travel time at a speed with a detour factor, or a network distance
  standard_mode    text NOT NULL CHECK (standard_mode IN ('radius', 'time', 'network')),
  radius_m         double precision CHECK (radius_m > 0),
  minutes          double precision CHECK (minutes > 0),
  speed_kmh        double precision CHECK (speed_kmh > 0),
  detour_factor    double precision NOT NULL DEFAULT 1.3 CHECK (detour_factor >= 1),
  population_group text NOT NULL DEFAULT 'all' CHECK (population_group IN ('all', 'aged60', 'aged70', 'children', 'disabled')),
  per_km2_target   double precision,
  basis            text NOT NULL DEFAULT '',
  sort_order       integer NOT NULL DEFAULT 0,
  PRIMARY KEY (district_code, code)
);

CREATE TABLE facilities (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code    text NOT NULL,
  type_code        text NOT NULL,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  lon              double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat              double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  address          text,
  area_path        text NOT NULL,
  grid_cell_code   text,
  community_code   text,
  subdistrict_code text,
  capacity         integer CHECK (capacity >= 0),
  opening_hours    text,
  owner_unit       text,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'planned', 'suspended', 'closed')),
  external_id      text,
  source           text NOT NULL DEFAULT 'manual',
  is_demo          boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL,
  FOREIGN KEY (district_code, type_code) REFERENCES facility_types (district_code, code)
);
CREATE INDEX facilities_type_idx ON facilities (district_code, type_code, status);
CREATE INDEX facilities_path_idx ON facilities (area_path text_pattern_ops);
CREATE UNIQUE INDEX facilities_external_idx ON facilities (district_code, type_code, external_id) WHERE external_id IS NOT NULL;

-- Where people live: imported points (a building, a courtyard) or per-grid counts placed at the
-- cell's interior point, with sub-population counts. Counts, not persons: no personal data.
CREATE TABLE population_points (
  id               bigserial PRIMARY KEY,
  district_code    text NOT NULL,
  source           text NOT NULL,
  kind             text NOT NULL DEFAULT 'point' CHECK (kind IN ('point', 'grid_count')),
  label            text,
  lon              double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat              double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  area_path        text NOT NULL,
  grid_cell_code   text,
  community_code   text,
  subdistrict_code text,
  households       integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  people           integer NOT NULL CHECK (people >= 0),
  aged60           integer NOT NULL DEFAULT 0 CHECK (aged60 >= 0 AND aged60 <= people),
  aged70           integer NOT NULL DEFAULT 0 CHECK (aged70 >= 0 AND aged70 <= aged60),
  children         integer NOT NULL DEFAULT 0 CHECK (children >= 0 AND children <= people),
  disabled         integer NOT NULL DEFAULT 0 CHECK (disabled >= 0 AND disabled <= people),
  is_demo          boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL
);
CREATE INDEX population_points_path_idx ON population_points (district_code, area_path text_pattern_ops);

-- A road or footpath network imported as GeoJSON LineStrings (WGS-84), for network distance.
CREATE TABLE road_networks (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  district_code    text NOT NULL,
  name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  lines            jsonb NOT NULL,
  line_count       integer NOT NULL,
  length_m         double precision NOT NULL,
  source           text NOT NULL,
  is_demo          boolean NOT NULL DEFAULT false,
  created_at       timestamptz NOT NULL,
  UNIQUE (district_code, name)
);
