-- Truth on real data (DESIGN §3.7, §3.11, §3.12): data-health findings of every import, what the
-- importing user decided on them, and the columns that let the dashboard say what it cannot know.

-- An import with findings nobody has decided on yet loads nothing and is 'held'.
ALTER TABLE import_runs DROP CONSTRAINT import_runs_status_check;
ALTER TABLE import_runs ADD CONSTRAINT import_runs_status_check
    CHECK (status IN ('running', 'loaded', 'rejected', 'held', 'failed', 'dry_run'));

-- One row per finding: a block of rows (or a whole file) that is questionable, the money it
-- carries, and what was done with it. action: NULL = waiting for a decision (the run is held);
-- 'drop' / 'keep' / 'file-year' = the user's decision; 'noted' = nothing to decide (the rows were
-- handled by a fixed rule, e.g. other years of a multi-year obligation, and counted apart).
CREATE TABLE import_findings (
    id         bigserial PRIMARY KEY,
    run_id     bigint NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
    rule       text NOT NULL,
    file       text NOT NULL,
    sheet      text,
    first_row  integer,
    last_row   integer,
    rows       integer NOT NULL,
    amount     numeric(18, 2) NOT NULL DEFAULT 0,
    message    text NOT NULL,
    option     text,                        -- the command-line option that decides it
    action     text
);
CREATE INDEX import_findings_run_idx ON import_findings (run_id);

-- Plans of the manual's annual cycle are judged against the planning calendar; one-off
-- programmes (the 2020 loan proposals) are not: their compliance is "not applicable".
-- The cycle is part of a plan's identity: a programme's list never merges into an annual plan.
ALTER TABLE plans ADD COLUMN cycle text NOT NULL DEFAULT 'annual' CHECK (cycle IN ('annual', 'one_off'));
ALTER TABLE plans DROP CONSTRAINT plans_natural_key;
ALTER TABLE plans ADD CONSTRAINT plans_natural_key
    UNIQUE NULLS NOT DISTINCT (level, area_code, owner_id, fiscal_year, is_synthetic, cycle);

-- multi_year: this fiscal year's instalment of a multi-year obligation (งบผูกพัน), counted in
-- that year but shown apart from the year's new funding.
-- notice_tracked: the source says when the agency notified the province. The Budget Bill does
-- not, so its allocations are never "not notified": the notice rule does not apply to them.
ALTER TABLE allocations
    ADD COLUMN multi_year boolean NOT NULL DEFAULT false,
    ADD COLUMN notice_tracked boolean NOT NULL DEFAULT true;

-- Supply pre-aggregate: new funding and multi-year instalments apart.
ALTER TABLE agg_supply_detail ADD COLUMN multi_year boolean NOT NULL DEFAULT false;
ALTER TABLE agg_supply_detail DROP CONSTRAINT agg_supply_detail_pkey;
ALTER TABLE agg_supply_detail ADD PRIMARY KEY
    (area_code, fiscal_year, funding_source, agency_id, status, sector, linked_level, multi_year, scope);

-- Demand pre-aggregates: the requested amount of the items a funded allocation reaches (the
-- link coverage of requests, beside every funded figure).
ALTER TABLE agg_demand ADD COLUMN linked_requested numeric(18, 2) NOT NULL DEFAULT 0;
ALTER TABLE agg_demand_sector ADD COLUMN linked_requested numeric(18, 2) NOT NULL DEFAULT 0;
