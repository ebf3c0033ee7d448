-- Totals are sums of many numeric(16,2) amounts: as numeric(18,2) a few hundred rows at the
-- per-row maximum overflowed them mid-refresh. numeric(30, 2) holds 10^14 such rows and
-- stays exact to the satang.
ALTER TABLE agg_demand
    ALTER COLUMN requested TYPE numeric(30, 2),
    ALTER COLUMN funded TYPE numeric(30, 2),
    ALTER COLUMN linked_requested TYPE numeric(30, 2);
ALTER TABLE agg_demand_sector
    ALTER COLUMN requested TYPE numeric(30, 2),
    ALTER COLUMN funded TYPE numeric(30, 2),
    ALTER COLUMN linked_requested TYPE numeric(30, 2);
ALTER TABLE agg_supply ALTER COLUMN amount TYPE numeric(30, 2);
ALTER TABLE agg_supply_detail ALTER COLUMN amount TYPE numeric(30, 2);
ALTER TABLE item_funding ALTER COLUMN funded TYPE numeric(30, 2);
ALTER TABLE agg_funnel ALTER COLUMN amount TYPE numeric(30, 2);
ALTER TABLE import_findings ALTER COLUMN amount TYPE numeric(30, 2);
