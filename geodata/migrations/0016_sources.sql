-- Sources and their versions. Every import names its source (by default one per file); importing
-- a source again replaces its previous version: rows with the same identity (the source's own
-- reference, else the row's text as written) stay with their ids, changed rows are updated, rows
-- no longer in the source retire to retired_rows (kept, never counted), new rows are added.
CREATE TABLE sources (
    id            bigserial PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('plans', 'budget')),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    plan_level    text REFERENCES plan_levels (level),
    fiscal_year   smallint CHECK (fiscal_year BETWEEN 2500 AND 2700),
    owner_area    text REFERENCES areas (code),    -- the area most of its rows belong to
    first_run_id  bigint REFERENCES import_runs (id),
    last_run_id   bigint REFERENCES import_runs (id),
    rows          integer NOT NULL DEFAULT 0,      -- current rows (retired ones not counted)
    amount        numeric(18, 2) NOT NULL DEFAULT 0,
    CONSTRAINT sources_natural_key UNIQUE (kind, name)
);

ALTER TABLE plan_items ADD COLUMN source_id bigint REFERENCES sources (id);
-- A row's own text (title, place, amount, other): how its next version is found when it has no
-- reference of its own (has_ref), and how the same row loaded from another source is recognised.
ALTER TABLE plan_items ADD COLUMN as_written text[];
ALTER TABLE plan_items ADD COLUMN has_ref boolean NOT NULL DEFAULT false;
ALTER TABLE allocations ADD COLUMN source_id bigint REFERENCES sources (id);

-- A row's identity is its source and its key: where the locator puts it (and so its plan) may
-- change between versions without making it a new row. Rows of no source (the demo, imports
-- before sources existed) keep the old key within their plan.
ALTER TABLE plan_items DROP CONSTRAINT plan_items_natural_key;
CREATE UNIQUE INDEX plan_items_natural_key ON plan_items (plan_id, item_key) WHERE source_id IS NULL;
CREATE UNIQUE INDEX plan_items_source_key ON plan_items (source_id, item_key) WHERE source_id IS NOT NULL;
CREATE INDEX allocations_source_idx ON allocations (source_id);
CREATE INDEX plan_items_item_key_idx ON plan_items (item_key);  -- references and duplicates across sources

-- What earlier versions held and the current one no longer does: the whole row as it was.
CREATE TABLE retired_rows (
    id             bigserial PRIMARY KEY,
    source_id      bigint NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    kind           text NOT NULL CHECK (kind IN ('plans', 'budget')),
    row_key        text NOT NULL,                  -- item_key or source_key
    title          text NOT NULL,
    amount         numeric(16, 2) NOT NULL,
    area_code      text NOT NULL,
    fiscal_year    smallint NOT NULL,
    retired_run_id bigint NOT NULL REFERENCES import_runs (id),
    retired_at     timestamptz NOT NULL DEFAULT now(),
    data           jsonb NOT NULL
);
CREATE INDEX retired_rows_source_idx ON retired_rows (source_id);

-- Removing a source is a run of its own (the data version moves, the data page lists it).
ALTER TABLE import_runs DROP CONSTRAINT import_runs_kind_check;
ALTER TABLE import_runs ADD CONSTRAINT import_runs_kind_check
    CHECK (kind IN ('boundaries', 'clusters', 'population', 'plans', 'budget', 'demo', 'removal'));
