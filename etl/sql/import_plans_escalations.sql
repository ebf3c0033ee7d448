-- Link staged items to the item that took them up (by its item_key); only rows that name one.
UPDATE plan_items i
SET escalated_to_id = t.id
FROM (SELECT s.item_key, s.escalated_to_ref, p.id AS plan_id
      FROM stage_plan_items s
      JOIN plans p ON p.level = s.plan_level AND p.area_code = s.plan_area
                  AND p.fiscal_year = s.fiscal_year AND p.owner_id IS NULL AND NOT p.is_synthetic
      WHERE s.escalated_to_ref IS NOT NULL) AS s
JOIN plan_items t ON t.item_key = s.escalated_to_ref
WHERE i.plan_id = s.plan_id AND i.item_key = s.item_key
  AND i.escalated_to_id IS DISTINCT FROM t.id;
