-- Record a planning officer's decision on one suggestion (idempotent; the latest decision wins).
INSERT INTO match_decisions (allocation_key, item_level, item_area, item_fiscal_year, item_key, decision,
                             confidence, decided_by)
SELECT r.allocation_key, r.item_level, r.item_area, r.item_fiscal_year, r.item_key, %(decision)s,
       r.confidence, %(by)s
FROM match_review r
WHERE r.allocation_key = %(allocation_key)s AND r.item_key = %(item_key)s
ON CONFLICT (allocation_key, item_level, item_area, item_fiscal_year, item_key)
DO UPDATE SET decision = EXCLUDED.decision, decided_by = EXCLUDED.decided_by, decided_at = now();
