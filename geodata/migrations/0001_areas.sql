-- Administrative geography: one table of areas keyed by DOPA code, nested by code prefix.
--
-- Codes nest (province 37, district 3701, tambon 370101, village 37010103), so the ancestors of
-- any area are prefixes of its code: roll-ups need no recursive queries. 'TH' is the country;
-- it holds items that could not be placed anywhere finer (never dropped, DESIGN §3.2).
-- Provincial clusters are areas too (C01…), but membership is versioned data, not a parent.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE area_levels (
    level       text PRIMARY KEY,
    rank        smallint NOT NULL UNIQUE,      -- 0 = widest
    code_length smallint,                      -- DOPA code length; NULL for clusters
    name_th     text NOT NULL,
    name_en     text NOT NULL
);

INSERT INTO area_levels (level, rank, code_length, name_th, name_en) VALUES
    ('country',  0, NULL, 'ประเทศ',        'Country'),
    ('cluster',  1, NULL, 'กลุ่มจังหวัด',    'Provincial cluster'),
    ('province', 2, 2,    'จังหวัด',        'Province'),
    ('district', 3, 4,    'อำเภอ',          'District'),
    ('tambon',   4, 6,    'ตำบล',           'Tambon'),
    ('village',  5, 8,    'หมู่บ้าน',        'Village');

CREATE TABLE areas (
    code            text PRIMARY KEY,
    level           text NOT NULL REFERENCES area_levels (level),
    parent_code     text REFERENCES areas (code),
    name_th         text NOT NULL,
    name_en         text,
    population      bigint CHECK (population >= 0),
    population_year smallint CHECK (population_year BETWEEN 2400 AND 2700),   -- Buddhist Era
    -- current: in the gazetteer; abolished: a former code (see successor_codes);
    -- boundary_only: present in a boundary file but unknown to the gazetteer.
    status          text NOT NULL DEFAULT 'current'
                    CHECK (status IN ('current', 'abolished', 'boundary_only')),
    successor_codes text[] NOT NULL DEFAULT '{}',
    is_synthetic    boolean NOT NULL DEFAULT false,  -- demo villages have invented names
    geom            geometry(MultiPolygon, 4326),    -- full-resolution boundary
    point           geometry(Point, 4326),           -- village location, or a label point
    geom_source     text CHECK (geom_source IN ('boundary', 'schematic')),
    CONSTRAINT area_code_matches_level CHECK (
        CASE level
            WHEN 'country'  THEN code = 'TH'
            WHEN 'cluster'  THEN code ~ '^C[0-9]{2}$'
            WHEN 'province' THEN code ~ '^[0-9]{2}$'
            WHEN 'district' THEN code ~ '^[0-9]{4}$'
            WHEN 'tambon'   THEN code ~ '^[0-9]{6}$'
            WHEN 'village'  THEN code ~ '^[0-9]{8}$'
        END),
    CONSTRAINT area_parent_is_prefix CHECK (
        parent_code IS NULL OR parent_code = 'TH' OR starts_with(code, parent_code))
);

CREATE INDEX areas_parent_idx ON areas (parent_code);
CREATE INDEX areas_level_idx ON areas (level);
CREATE INDEX areas_geom_idx ON areas USING gist (geom);
CREATE INDEX areas_point_idx ON areas USING gist (point);

-- Cluster membership changes over the years, so it carries a validity range (fiscal years, BE).
CREATE TABLE cluster_provinces (
    cluster_code  text NOT NULL REFERENCES areas (code) ON DELETE CASCADE,
    province_code text NOT NULL REFERENCES areas (code),
    valid_from_fy smallint NOT NULL DEFAULT 2500,
    valid_to_fy   smallint,
    PRIMARY KEY (cluster_code, province_code, valid_from_fy),
    CHECK (valid_to_fy IS NULL OR valid_to_fy >= valid_from_fy)
);
CREATE INDEX cluster_provinces_province_idx ON cluster_provinces (province_code);

-- Geometry for the browser, precomputed per level: simplified across the coverage (shared edges
-- stay shared), coordinates rounded, as GeoJSON geometry text ready to be sent.
CREATE TABLE area_web_geom (
    code        text PRIMARY KEY REFERENCES areas (code) ON DELETE CASCADE,
    level       text NOT NULL REFERENCES area_levels (level),
    parent_code text,
    source      text NOT NULL CHECK (source IN ('boundary', 'schematic')),
    geojson     text NOT NULL
);
CREATE INDEX area_web_geom_level_parent_idx ON area_web_geom (level, parent_code);
