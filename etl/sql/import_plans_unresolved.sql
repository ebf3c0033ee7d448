-- Staged items whose "escalated to" reference names no item, in this import or loaded before.
SELECT s.source_row, s.escalated_to_ref
FROM stage_plan_items s
WHERE s.escalated_to_ref IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM stage_plan_items t WHERE t.item_key = s.escalated_to_ref)
  AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.item_key = s.escalated_to_ref)
ORDER BY s.source_row;
