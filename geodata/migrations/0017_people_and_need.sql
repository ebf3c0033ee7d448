-- People and places (issue 11): the national village list, registered population by year and
-- the TPMAP need survey. Population and need are kept per source code exactly as published, with
-- no foreign key to areas: a code the gazetteer does not know (a municipal pseudo-tambon of the
-- need survey, a tambon code retired since) still loads, so every loaded total equals the
-- source's, and the dashboard simply finds no area for it.

-- A village's earlier names (Royal Gazette renames), so a plan that writes the old name still
-- finds the village.
CREATE TABLE area_former_names (
    code       text NOT NULL REFERENCES areas (code) ON DELETE CASCADE,
    name_th    text NOT NULL,
    name_en    text,
    renamed_on date,
    PRIMARY KEY (code, name_th)
);
CREATE INDEX area_former_names_name_idx ON area_former_names (name_th);

-- A village point placed inside its tambon by planmap (the list has no coordinates): drawn,
-- and always said to be approximate.
ALTER TABLE areas ADD COLUMN point_approximate boolean NOT NULL DEFAULT false;

-- Population moved to its own table, one row per year (per-capita figures use the year nearest
-- the fiscal year and say which); the single columns were never filled.
ALTER TABLE areas DROP COLUMN population, DROP COLUMN population_year;

CREATE TABLE area_population (
    code           text NOT NULL CHECK (code = 'TH' OR code ~ '^[0-9]{2}([0-9]{2}([0-9]{2})?)?$'),
    year_be        smallint NOT NULL CHECK (year_be BETWEEN 2400 AND 2700),
    reference_date date NOT NULL,
    total          bigint CHECK (total >= 0),        -- NULL: the source has no figure (not zero)
    male           bigint CHECK (male >= 0),
    female         bigint CHECK (female >= 0),
    households     bigint CHECK (households >= 0),
    import_run_id  bigint NOT NULL REFERENCES import_runs (id),
    PRIMARY KEY (code, year_be)
);

-- TPMAP need per area and survey year, at the level the source publishes it (its own tambon,
-- district, province and country tables, and villages summed over their survey sub-areas; a
-- municipal community's id may carry a letter, e.g. 340151A0).
CREATE TABLE area_need (
    code               text NOT NULL CHECK (code = 'TH' OR code ~ '^[0-9]{2}([0-9]{2}([0-9]{2}([0-9A-Z]{2})?)?)?$'),
    survey_year_be     smallint NOT NULL CHECK (survey_year_be BETWEEN 2400 AND 2700),
    households         bigint NOT NULL CHECK (households >= 0),
    persons            bigint NOT NULL CHECK (persons >= 0),       -- persons surveyed (จปฐ.)
    failing_any        bigint NOT NULL CHECK (failing_any >= 0),   -- fail at least one indicator
    target_poor        bigint NOT NULL CHECK (target_poor >= 0),   -- … and hold a validated welfare card
    poor_health        bigint NOT NULL CHECK (poor_health >= 0),
    poor_living        bigint NOT NULL CHECK (poor_living >= 0),
    poor_education     bigint NOT NULL CHECK (poor_education >= 0),
    poor_income        bigint NOT NULL CHECK (poor_income >= 0),
    poor_access        bigint NOT NULL CHECK (poor_access >= 0),
    indicator_assessed bigint[] NOT NULL CHECK (cardinality(indicator_assessed) = 31),
    indicator_failing  bigint[] NOT NULL CHECK (cardinality(indicator_failing) = 31),
    source_rows        integer NOT NULL CHECK (source_rows >= 1),  -- survey sub-areas summed
    import_run_id      bigint NOT NULL REFERENCES import_runs (id),
    PRIMARY KEY (code, survey_year_be)
);

ALTER TABLE import_runs DROP CONSTRAINT import_runs_kind_check;
ALTER TABLE import_runs ADD CONSTRAINT import_runs_kind_check
    CHECK (kind IN ('boundaries', 'clusters', 'population', 'plans', 'budget', 'demo', 'removal',
                    'villages', 'need'));

-- The registered population of areas for a fiscal year: the count of 31 December nearest the
-- fiscal year, where 31 Dec 2564 BE lies inside FY 2565 and so matches it exactly (ties go to the
-- later count). A cluster is the sum of its member provinces that fiscal year, and has no figure
-- when a member has none. One definition, used by the cards, the map and the exports.
CREATE FUNCTION population_for(codes text[], fiscal_year integer)
RETURNS TABLE (code text, population bigint, year_be smallint)
LANGUAGE sql STABLE AS $$
    WITH members AS (
        SELECT c AS code, c AS member FROM unnest(codes) AS c WHERE c !~ '^C'
        UNION ALL
        SELECT cp.cluster_code, cp.province_code
        FROM cluster_provinces cp
        WHERE cp.cluster_code = ANY(codes)
          AND cp.valid_from_fy <= fiscal_year AND (cp.valid_to_fy IS NULL OR cp.valid_to_fy >= fiscal_year)
    ),
    nearest AS (
        SELECT DISTINCT ON (p.code) p.code, p.total, p.year_be
        FROM area_population p
        WHERE p.code IN (SELECT member FROM members) AND p.total IS NOT NULL
        ORDER BY p.code, abs(p.year_be + 1 - fiscal_year), p.year_be DESC
    )
    SELECT m.code,
           CASE WHEN count(n.code) = count(*) THEN sum(n.total)::bigint END,
           max(n.year_be)::smallint
    FROM members m LEFT JOIN nearest n ON n.code = m.member
    GROUP BY m.code
$$;

-- TPMAP need of areas for a fiscal year: the latest survey not after the fiscal year (else the
-- earliest), a cluster summed over its member provinces (None when a member has no survey).
CREATE FUNCTION need_for(codes text[], fiscal_year integer)
RETURNS TABLE (code text, survey_year_be smallint, households bigint, persons bigint, failing_any bigint,
               target_poor bigint, poor_health bigint, poor_living bigint, poor_education bigint,
               poor_income bigint, poor_access bigint, indicator_assessed bigint[], indicator_failing bigint[])
LANGUAGE sql STABLE AS $$
    WITH members AS (
        SELECT c AS code, c AS member FROM unnest(codes) AS c WHERE c !~ '^C'
        UNION ALL
        SELECT cp.cluster_code, cp.province_code
        FROM cluster_provinces cp
        WHERE cp.cluster_code = ANY(codes)
          AND cp.valid_from_fy <= fiscal_year AND (cp.valid_to_fy IS NULL OR cp.valid_to_fy >= fiscal_year)
    ),
    chosen AS (
        SELECT DISTINCT ON (n.code) n.*
        FROM area_need n
        WHERE n.code IN (SELECT member FROM members)
        ORDER BY n.code, (n.survey_year_be > fiscal_year), abs(n.survey_year_be - fiscal_year)
    ),
    indicators AS (
        SELECT m.code, array_agg(a.assessed ORDER BY a.i) AS assessed, array_agg(a.failing ORDER BY a.i) AS failing
        FROM (SELECT DISTINCT code FROM members) m
        CROSS JOIN LATERAL (
            SELECT u.i, sum(u.assessed)::bigint AS assessed, sum(u.failing)::bigint AS failing
            FROM members mm JOIN chosen c ON c.code = mm.member,
                 unnest(c.indicator_assessed, c.indicator_failing) WITH ORDINALITY AS u(assessed, failing, i)
            WHERE mm.code = m.code
            GROUP BY u.i
        ) a
        GROUP BY m.code
    )
    SELECT m.code, min(c.survey_year_be)::smallint,
           sum(c.households)::bigint, sum(c.persons)::bigint, sum(c.failing_any)::bigint,
           sum(c.target_poor)::bigint, sum(c.poor_health)::bigint, sum(c.poor_living)::bigint,
           sum(c.poor_education)::bigint, sum(c.poor_income)::bigint, sum(c.poor_access)::bigint,
           i.assessed, i.failing
    FROM members m
    LEFT JOIN chosen c ON c.code = m.member
    LEFT JOIN indicators i ON i.code = m.code
    GROUP BY m.code, i.assessed, i.failing
    HAVING count(c.code) = count(*)
$$;
