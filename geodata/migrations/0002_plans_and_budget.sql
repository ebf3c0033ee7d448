-- Demand (plans and their items), supply (allocations), the organisations behind them, and the
-- record of every import. Amounts are numeric(16,2): baht to the satang, never floating point.
-- Fiscal years are Buddhist Era everywhere (FY2568 = 1 Oct 2024 – 30 Sep 2025).

CREATE TABLE import_runs (
    id          bigserial PRIMARY KEY,
    kind        text NOT NULL
                CHECK (kind IN ('boundaries', 'clusters', 'population', 'plans', 'budget', 'demo')),
    source      text NOT NULL,                  -- file name(s) or generator description
    checksum    text,                           -- sha256 of the input bytes
    started_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    status      text NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'loaded', 'rejected', 'failed', 'dry_run')),
    counts      jsonb NOT NULL DEFAULT '{}',    -- by outcome and by location precision
    details     jsonb NOT NULL DEFAULT '{}'     -- options, boundary version, gazetteer diff …
);
CREATE INDEX import_runs_kind_idx ON import_runs (kind, started_at DESC);

CREATE TABLE import_rejects (
    id         bigserial PRIMARY KEY,
    run_id     bigint NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
    file       text NOT NULL,
    sheet      text,
    row_number integer,
    field      text,
    value      text,
    rule       text NOT NULL,
    message    text NOT NULL
);
CREATE INDEX import_rejects_run_idx ON import_rejects (run_id);

CREATE TABLE plan_levels (
    level   text PRIMARY KEY,
    rank    smallint NOT NULL UNIQUE,           -- 1 = village … 6 = cluster (escalation order)
    name_th text NOT NULL,
    name_en text NOT NULL
);
INSERT INTO plan_levels (level, rank, name_th, name_en) VALUES
    ('village',  1, 'แผนหมู่บ้าน/ชุมชน',       'Village / community plan'),
    ('tambon',   2, 'แผนชุมชนระดับตำบล',       'Tambon community plan'),
    ('local',    3, 'แผนพัฒนาท้องถิ่น',         'Local development plan'),
    ('district', 4, 'แผนพัฒนาอำเภอ',           'District development plan'),
    ('province', 5, 'แผนพัฒนาจังหวัด',          'Provincial development plan'),
    ('cluster',  6, 'แผนพัฒนากลุ่มจังหวัด',      'Provincial cluster plan');

CREATE TABLE organisations (
    id           bigserial PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN (
                     'ministry', 'agency', 'province_office', 'district_office', 'cluster_office',
                     'pao', 'municipality', 'sao', 'village_committee', 'tambon_centre', 'other')),
    code         text,                               -- official code where one exists
    name_th      text NOT NULL,
    name_en      text,
    parent_id    bigint REFERENCES organisations (id),   -- agency → its ministry
    area_code    text REFERENCES areas (code),            -- the area it serves / sits in
    is_synthetic boolean NOT NULL DEFAULT false,
    CONSTRAINT organisations_natural_key UNIQUE NULLS NOT DISTINCT (kind, name_th, area_code)
);

-- A local government covers one or more tambons (an อบจ. its whole province).
CREATE TABLE organisation_areas (
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    area_code       text NOT NULL REFERENCES areas (code),
    PRIMARY KEY (organisation_id, area_code)
);
CREATE INDEX organisation_areas_area_idx ON organisation_areas (area_code);

CREATE TABLE plans (
    id              bigserial PRIMARY KEY,
    level           text NOT NULL REFERENCES plan_levels (level),
    area_code       text NOT NULL REFERENCES areas (code),   -- the area the plan is for
    owner_id        bigint REFERENCES organisations (id),
    fiscal_year     smallint NOT NULL CHECK (fiscal_year BETWEEN 2500 AND 2700),
    period_start_fy smallint CHECK (period_start_fy BETWEEN 2500 AND 2700),  -- multi-year plans
    period_end_fy   smallint CHECK (period_end_fy BETWEEN 2500 AND 2700),
    title           text,
    submitted_on    date,
    import_run_id   bigint REFERENCES import_runs (id),
    is_synthetic    boolean NOT NULL DEFAULT false,
    CONSTRAINT plans_natural_key UNIQUE NULLS NOT DISTINCT (level, area_code, owner_id, fiscal_year),
    CHECK (period_end_fy IS NULL OR period_end_fy >= period_start_fy)
);
CREATE INDEX plans_area_idx ON plans (area_code);

-- One need as it appears in one plan. The same need escalated to the next level appears again
-- there; escalated_to_id links the two, so a chain is one need (no double counting, §3.1).
-- area_code is the finest area known; 'TH' with precision 'none' when it could not be placed.
CREATE TABLE plan_items (
    id                  bigserial PRIMARY KEY,
    plan_id             bigint NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    item_key            text NOT NULL,           -- natural key within the plan
    title               text NOT NULL,
    sector              text,
    strategy            text,
    area_code           text NOT NULL REFERENCES areas (code),
    location_precision  text NOT NULL CHECK (location_precision IN
                            ('village', 'tambon', 'district', 'province', 'cluster', 'none')),
    location_confidence real CHECK (location_confidence BETWEEN 0 AND 1),
    fiscal_year         smallint NOT NULL CHECK (fiscal_year BETWEEN 2500 AND 2700),
    requested_amount    numeric(16, 2) NOT NULL CHECK (requested_amount >= 0),
    beyond_capacity     boolean NOT NULL DEFAULT false,
    escalated_to_id     bigint REFERENCES plan_items (id) ON DELETE SET NULL,
    import_run_id       bigint REFERENCES import_runs (id),
    source_row          integer,
    is_synthetic        boolean NOT NULL DEFAULT false,
    CONSTRAINT plan_items_natural_key UNIQUE (plan_id, item_key),
    CHECK (escalated_to_id IS NULL OR escalated_to_id <> id)
);
CREATE INDEX plan_items_area_idx ON plan_items (area_code);
CREATE INDEX plan_items_year_idx ON plan_items (fiscal_year);
CREATE INDEX plan_items_escalated_idx ON plan_items (escalated_to_id);

-- Supply: one row per item per fiscal year (a multi-year Budget Bill item is one row for each
-- year it is in, §3.4). status 'requested' = in an agency's budget request; 'funded' = in the Act.
CREATE TABLE allocations (
    id                  bigserial PRIMARY KEY,
    source_key          text NOT NULL UNIQUE,    -- natural key from the source
    fiscal_year         smallint NOT NULL CHECK (fiscal_year BETWEEN 2500 AND 2700),
    agency_id           bigint REFERENCES organisations (id),
    funding_source      text NOT NULL CHECK (funding_source IN
                            ('agency', 'province', 'cluster', 'local', 'subsidy', 'other')),
    title               text NOT NULL,
    sector              text,
    area_code           text NOT NULL REFERENCES areas (code),
    location_precision  text NOT NULL CHECK (location_precision IN
                            ('village', 'tambon', 'district', 'province', 'cluster', 'none')),
    location_confidence real CHECK (location_confidence BETWEEN 0 AND 1),
    amount              numeric(16, 2) NOT NULL CHECK (amount >= 0),
    status              text NOT NULL CHECK (status IN ('requested', 'funded', 'cancelled')),
    notified_on         date,                    -- agency told the province (due ≤ 30 days after the Act)
    plan_item_id        bigint REFERENCES plan_items (id) ON DELETE SET NULL,
    match_confidence    real CHECK (match_confidence BETWEEN 0 AND 1),
    match_method        text CHECK (match_method IN ('reference', 'auto', 'reviewed')),
    import_run_id       bigint REFERENCES import_runs (id),
    source_row          integer,
    is_synthetic        boolean NOT NULL DEFAULT false,
    CHECK ((plan_item_id IS NULL) = (match_method IS NULL))
);
CREATE INDEX allocations_area_idx ON allocations (area_code);
CREATE INDEX allocations_item_idx ON allocations (plan_item_id);
CREATE INDEX allocations_year_idx ON allocations (fiscal_year);
