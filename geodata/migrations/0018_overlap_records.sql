-- The records the duplicate search reads (etl.overlaps), kept between loads with what the search
-- derived from each: its object key (the title without places and quantities) and the items its
-- escalation walk passed (path), so that a load recomputes only the tambons and years it can
-- change. Rebuilt whole by every full refresh; maintained by each load in its transaction.
CREATE TABLE overlap_records (
    kind         text NOT NULL CHECK (kind IN ('allocation', 'plan_item')),
    id           bigint NOT NULL,
    fiscal_year  integer NOT NULL,
    tambon_code  text NOT NULL,
    source       text NOT NULL,
    title        text,
    amount       numeric,
    chain        text NOT NULL,
    object_key   text NOT NULL,
    path         bigint[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (kind, id)
);
CREATE INDEX overlap_records_place_idx ON overlap_records (fiscal_year, tambon_code);
CREATE INDEX overlap_records_key_idx ON overlap_records (object_key);
CREATE INDEX overlap_records_chain_idx ON overlap_records (chain);
CREATE INDEX overlap_records_path_idx ON overlap_records USING gin (path);
