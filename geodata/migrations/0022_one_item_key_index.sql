-- 0004 and 0016 each created an index on plan_items (item_key), the same index twice: every
-- imported item was written into both. The one of 0004 goes; 0016's serves the escalation
-- references and the look-ups across sources alike.
DROP INDEX IF EXISTS plan_items_key_idx;
