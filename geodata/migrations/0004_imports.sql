-- What imports need beyond the core schema.

-- The unit that would receive the money (หน่วยรับงบประมาณ) of a plan item, and what the
-- location parser said about the place (kept for review: "typo ตาบล→ตำบล", "several tambons …").
ALTER TABLE plan_items
    ADD COLUMN agency_id bigint REFERENCES organisations (id),
    ADD COLUMN location_note text;
ALTER TABLE allocations
    ADD COLUMN location_note text,
    ADD COLUMN budget_plan text;
CREATE INDEX plan_items_agency_idx ON plan_items (agency_id);
CREATE INDEX allocations_agency_idx ON allocations (agency_id);
CREATE INDEX plan_items_key_idx ON plan_items (item_key);   -- escalation references

-- Items and allocations can be tagged to a provincial cluster (a cluster's own budget):
-- a cluster rolls up to the country like a province does, so national totals stay complete.
CREATE OR REPLACE VIEW area_ancestors AS
SELECT a.code AS area_code, x.ancestor_code, x.ancestor_code = a.code AS is_self
FROM areas a
CROSS JOIN LATERAL (
    SELECT 'TH'
    UNION ALL
    SELECT a.code WHERE a.level = 'cluster'
    UNION ALL
    SELECT left(a.code, n) FROM unnest(ARRAY[2, 4, 6, 8]) AS n
    WHERE a.code <> 'TH' AND a.level <> 'cluster' AND n <= length(a.code)
) AS x(ancestor_code);
