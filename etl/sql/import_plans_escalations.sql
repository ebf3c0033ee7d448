-- Link staged items to the item that took them up (by its item_key); only rows that name one.
UPDATE plan_items i
SET escalated_to_id = t.id
FROM (SELECT s.item_key, s.escalated_to_ref, src.id AS source_id
      FROM stage_plan_items s
      JOIN sources src ON src.kind = 'plans' AND src.name = s.source
      WHERE s.escalated_to_ref IS NOT NULL) AS s
JOIN plan_items t ON t.item_key = s.escalated_to_ref
WHERE i.source_id = s.source_id AND i.item_key = s.item_key
  AND i.escalated_to_id IS DISTINCT FROM t.id;
