-- Remove the plan items imported before sources existed (and plans left empty), so the files can
-- be imported again as sources. Allocations linked to them lose the link (match run links again).
UPDATE allocations
SET plan_item_id = NULL, match_method = NULL, match_confidence = NULL
WHERE plan_item_id IN (SELECT id FROM plan_items
                       WHERE source_id IS NULL AND NOT is_synthetic AND import_run_id IS NOT NULL);

DELETE FROM plan_items WHERE source_id IS NULL AND NOT is_synthetic AND import_run_id IS NOT NULL;

DELETE FROM plans p
WHERE p.import_run_id IS NOT NULL AND NOT p.is_synthetic
  AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.plan_id = p.id);
