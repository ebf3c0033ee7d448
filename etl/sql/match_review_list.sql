-- Suggestions waiting for review, most confident first, with both titles.
SELECT r.allocation_key, r.item_key, r.confidence, a.title AS allocation_title, i.title AS item_title
FROM match_review r
JOIN allocations a ON a.source_key = r.allocation_key
JOIN plan_item_keys k ON (k.item_level, k.item_area, k.item_fiscal_year, k.item_key)
                       = (r.item_level, r.item_area, r.item_fiscal_year, r.item_key)
JOIN plan_items i ON i.id = k.id
ORDER BY r.confidence DESC, r.allocation_key
LIMIT %(limit)s;
