-- The item and allocation lists of an area select by code prefix ('3701' → its tambons and
-- villages) and show the largest first. A btree under the database's collation cannot serve a
-- prefix, so these indexes compare bytes (text_pattern_ops); the amount indexes serve the
-- national lists' "largest first" without sorting every row.
CREATE INDEX plan_items_area_prefix_idx ON plan_items (area_code text_pattern_ops, fiscal_year);
CREATE INDEX plan_items_year_amount_idx ON plan_items (fiscal_year, requested_amount DESC, id);
CREATE INDEX allocations_area_prefix_idx ON allocations (area_code text_pattern_ops, fiscal_year);
CREATE INDEX allocations_year_amount_idx ON allocations (fiscal_year, amount DESC, id);
