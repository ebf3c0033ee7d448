-- Remove a source entirely: its rows, their history and the plans only it made. Allocations that
-- were linked to its plan items lose the link (`planmap match run` links them again elsewhere).
UPDATE allocations
SET plan_item_id = NULL, match_method = NULL, match_confidence = NULL
WHERE plan_item_id IN (SELECT id FROM plan_items WHERE source_id = %(source_id)s);

DELETE FROM plan_items WHERE source_id = %(source_id)s;

DELETE FROM allocations WHERE source_id = %(source_id)s;

DELETE FROM plans p
WHERE p.import_run_id IS NOT NULL AND NOT p.is_synthetic
  AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.plan_id = p.id);

DELETE FROM sources WHERE id = %(source_id)s;
