-- Distinct root needs of an area and fiscal year: items that no other item escalated into, so
-- a need carried up through four plans is counted once, at the level where it arose.
SELECT count(*) AS items, coalesce(sum(i.requested_amount), 0) AS amount
FROM plan_items i
WHERE i.fiscal_year = %(fiscal_year)s
  AND (%(area)s = 'TH' OR starts_with(i.area_code, %(area)s))
  AND NOT EXISTS (SELECT 1 FROM plan_items c WHERE c.escalated_to_id = i.id);
