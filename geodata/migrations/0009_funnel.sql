-- The escalation funnel, pre-aggregated (DESIGN §4: the dashboard never walks the chains per
-- click). One row per area, fiscal year and funnel step (1 = village needs … 8 = funded by an
-- agency), counting each root village need once with the amount its village asked for.
CREATE TABLE agg_funnel (
    area_code   text NOT NULL,
    fiscal_year smallint NOT NULL,
    step        smallint NOT NULL CHECK (step BETWEEN 1 AND 8),
    items       integer NOT NULL,
    amount      numeric(18, 2) NOT NULL,
    PRIMARY KEY (area_code, fiscal_year, step)
);
