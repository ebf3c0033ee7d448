-- Apply one matching run: forget previous automatic links and suggestions, then link automatic
-- matches and accepted decisions, and list the rest for review; rejected pairs never come back.
UPDATE allocations SET plan_item_id = NULL, match_confidence = NULL, match_method = NULL
WHERE match_method = 'auto';

DELETE FROM match_review;

UPDATE allocations a
SET plan_item_id = k.id, match_confidence = d.confidence, match_method = 'reviewed'
FROM match_decisions d
JOIN plan_item_keys k ON (k.item_level, k.item_area, k.item_fiscal_year, k.item_key)
                       = (d.item_level, d.item_area, d.item_fiscal_year, d.item_key)
WHERE d.decision = 'accepted' AND a.source_key = d.allocation_key
  AND (a.match_method IS NULL OR a.match_method = 'reviewed');

UPDATE allocations a
SET plan_item_id = s.item_id, match_confidence = s.confidence, match_method = 'auto'
FROM stage_matches s
JOIN plan_item_keys k ON k.id = s.item_id
WHERE a.source_key = s.allocation_key AND a.match_method IS NULL
  AND s.confidence >= %(auto)s
  AND NOT EXISTS (SELECT 1 FROM match_decisions d
                  WHERE d.allocation_key = s.allocation_key AND d.decision = 'rejected'
                    AND (d.item_level, d.item_area, d.item_fiscal_year, d.item_key)
                        = (k.item_level, k.item_area, k.item_fiscal_year, k.item_key));

INSERT INTO match_review (allocation_key, item_level, item_area, item_fiscal_year, item_key, confidence, title_score)
SELECT s.allocation_key, k.item_level, k.item_area, k.item_fiscal_year, k.item_key, s.confidence, s.title_score
FROM stage_matches s
JOIN plan_item_keys k ON k.id = s.item_id
JOIN allocations a ON a.source_key = s.allocation_key
WHERE a.match_method IS NULL AND s.confidence < %(auto)s
  AND NOT EXISTS (SELECT 1 FROM match_decisions d
                  WHERE d.allocation_key = s.allocation_key
                    AND (d.item_level, d.item_area, d.item_fiscal_year, d.item_key)
                        = (k.item_level, k.item_area, k.item_fiscal_year, k.item_key));
