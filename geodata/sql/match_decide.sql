-- Record a planning officer's decision on one suggestion: a new row of the history each time
-- (nothing is overwritten); match_decisions reads the latest.
INSERT INTO match_decision_history (allocation_key, item_level, item_area, item_fiscal_year, item_key,
                                    decision, confidence, decided_by)
SELECT r.allocation_key, r.item_level, r.item_area, r.item_fiscal_year, r.item_key, %(decision)s,
       r.confidence, %(by)s
FROM match_review r
WHERE r.allocation_key = %(allocation_key)s AND r.item_key = %(item_key)s
RETURNING item_area;
