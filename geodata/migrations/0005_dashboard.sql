-- What the dashboard reads: per-item funding, and the pre-aggregates its filters need.
-- All of it is derived data, rebuilt by geodata/sql/refresh_aggregates.sql after every load
-- (never per click), so the tables carry no foreign keys: a load deletes and re-inserts items
-- freely, and the refresh that follows makes these tables agree with them again.
--
-- FUNDED (DESIGN §3.6). An item is funded in a fiscal year when an allocation with status
-- 'funded' for that fiscal year is linked to it, or to an item up its escalation chain
-- (item → escalated_to_id → … ). Links only count upwards: an allocation linked to a province
-- item funds that item and every item below it whose chain reaches it (the district, local,
-- tambon and village copies of the same need); it does not fund the cluster copy above it.
--
-- FUNDED AMOUNT, attributed per plan level so that nothing is counted twice and totals
-- reconcile to the satang. For an allocation A linked to item X and a plan level L, let S be
-- the items of level L whose chain reaches X (X itself when X is of level L):
--   * one item in S (the usual case, and always so in the demo, where every item escalates to
--     its own copy): that item is attributed the whole of A;
--   * several items in S (needs that were merged into one item further up): A is split among
--     them pro rata to their requested amounts (equally when those are all zero), in whole
--     satang, the satang left over by rounding down going one each to the largest remainders
--     (ties: lowest item id). The shares therefore add up to A exactly.
-- So at every plan level, Σ attributed funding = Σ funded allocations that reach that level,
-- to the satang; an item funded by several allocations adds their shares up. The funded amount
-- is not capped at the requested amount (an allocation larger than the request stays visible),
-- and the unfunded gap is requested − funded.
CREATE TABLE item_funding (
    item_id     bigint PRIMARY KEY,
    fiscal_year smallint NOT NULL,
    funded      numeric(18, 2) NOT NULL,    -- attributed funded amount, baht
    allocations integer NOT NULL            -- funded allocations reaching the item
);

-- agg_demand gains the funded side (all sectors), read when no sector filter is set.
ALTER TABLE agg_demand
    ADD COLUMN funded_items integer NOT NULL DEFAULT 0,
    ADD COLUMN funded numeric(18, 2) NOT NULL DEFAULT 0;

-- Demand by sector: area × fiscal year × plan level × sector (the sector filter).
-- sector '' = items without a sector. Same scopes as agg_demand:
--   total(area) = own(area) + Σ total(children).
-- Clusters: total(cluster) = own(cluster) + Σ total(member provinces of that fiscal year).
CREATE TABLE agg_demand_sector (
    area_code       text NOT NULL,
    fiscal_year     smallint NOT NULL,
    plan_level      text NOT NULL,
    scope           text NOT NULL CHECK (scope IN ('total', 'own')),
    sector          text NOT NULL,
    items           integer NOT NULL,
    requested       numeric(18, 2) NOT NULL,
    beyond_capacity integer NOT NULL,
    escalated       integer NOT NULL,
    funded_items    integer NOT NULL,
    funded          numeric(18, 2) NOT NULL,
    PRIMARY KEY (area_code, fiscal_year, plan_level, scope, sector)
);

-- Supply by what its filters need: area × fiscal year × funding source × agency × status ×
-- sector, and the plan level of the item an allocation is linked to (linked_level; '' = not
-- linked), which gives the manual's indicators (agency requests for province-plan items).
-- agency_id 0 = no agency; sector '' = no sector.
CREATE TABLE agg_supply_detail (
    area_code      text NOT NULL,
    fiscal_year    smallint NOT NULL,
    funding_source text NOT NULL,
    agency_id      bigint NOT NULL,
    status         text NOT NULL,
    sector         text NOT NULL,
    linked_level   text NOT NULL,
    scope          text NOT NULL CHECK (scope IN ('total', 'own')),
    items          integer NOT NULL,
    amount         numeric(18, 2) NOT NULL,
    PRIMARY KEY (area_code, fiscal_year, funding_source, agency_id, status, sector, linked_level, scope)
);

-- The pre-aggregates are derived data, deleted and rebuilt by every refresh: a foreign key on
-- them only costs a lookup per row (≈ a million rows on the national data) and protects nothing.
ALTER TABLE agg_demand DROP CONSTRAINT IF EXISTS agg_demand_area_code_fkey;
ALTER TABLE agg_demand DROP CONSTRAINT IF EXISTS agg_demand_plan_level_fkey;
ALTER TABLE agg_supply DROP CONSTRAINT IF EXISTS agg_supply_area_code_fkey;
