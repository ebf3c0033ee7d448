-- Pre-aggregated tables the dashboard reads (refreshed after every load, never per click).
--
-- Each item is counted at its own area and at every ancestor (prefixes of its code, and 'TH').
-- scope 'total' = the area and everything inside it; scope 'own' = items tagged to exactly this
-- area (district-wide, province-wide …), which a map of its children cannot draw (§3.2):
--   total(area) = own(area) + Σ total(children).
-- Demand is kept per plan level, so a view never adds the same need from two levels (§3.1).

CREATE TABLE agg_demand (
    area_code        text NOT NULL REFERENCES areas (code) ON DELETE CASCADE,
    fiscal_year      smallint NOT NULL,
    plan_level       text NOT NULL REFERENCES plan_levels (level),
    scope            text NOT NULL CHECK (scope IN ('total', 'own')),
    items            integer NOT NULL,
    requested        numeric(18, 2) NOT NULL,
    beyond_capacity  integer NOT NULL,
    escalated        integer NOT NULL,
    PRIMARY KEY (area_code, fiscal_year, plan_level, scope)
);

CREATE TABLE agg_supply (
    area_code      text NOT NULL REFERENCES areas (code) ON DELETE CASCADE,
    fiscal_year    smallint NOT NULL,
    funding_source text NOT NULL,
    status         text NOT NULL,
    scope          text NOT NULL CHECK (scope IN ('total', 'own')),
    items          integer NOT NULL,
    amount         numeric(18, 2) NOT NULL,
    linked         integer NOT NULL,            -- allocations linked to a plan item
    PRIMARY KEY (area_code, fiscal_year, funding_source, status, scope)
);

-- Every area with its ancestors (itself included), from the code prefixes: the roll-up join.
CREATE VIEW area_ancestors AS
SELECT a.code AS area_code, x.ancestor_code, x.ancestor_code = a.code AS is_self
FROM areas a
CROSS JOIN LATERAL (
    SELECT 'TH'
    UNION ALL
    SELECT left(a.code, n) FROM unnest(ARRAY[2, 4, 6, 8]) AS n
    WHERE a.code <> 'TH' AND n <= length(a.code)
) AS x(ancestor_code)
WHERE a.level <> 'cluster';
