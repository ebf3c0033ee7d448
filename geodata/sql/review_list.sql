-- The matching review list of an area and fiscal year (as match_review_list.sql, kept to plan
-- items whose area code matches any of the LIKE "patterns"), with the amounts, the agency and the
-- officer's decision when one was recorded (it applies at the next matching run).
SELECT r.allocation_key, r.item_key, r.item_level, r.item_area, r.confidence, r.title_score,
       a.title AS allocation_title, a.amount AS allocation_amount,
       g.name_th AS agency_th, g.name_en AS agency_en,
       i.title AS item_title, i.requested_amount AS item_amount,
       ar.name_th AS area_th, ar.name_en AS area_en,
       d.decision, d.decided_by, d.decided_at,
       count(*) OVER () AS total
FROM match_review r
JOIN allocations a ON a.source_key = r.allocation_key
LEFT JOIN organisations g ON g.id = a.agency_id
JOIN plan_item_keys k ON (k.item_level, k.item_area, k.item_fiscal_year, k.item_key)
                       = (r.item_level, r.item_area, r.item_fiscal_year, r.item_key)
JOIN plan_items i ON i.id = k.id
JOIN areas ar ON ar.code = i.area_code
LEFT JOIN match_decisions d
       ON (d.allocation_key, d.item_level, d.item_area, d.item_fiscal_year, d.item_key)
        = (r.allocation_key, r.item_level, r.item_area, r.item_fiscal_year, r.item_key)
WHERE r.item_fiscal_year = %(fiscal_year)s
  AND i.area_code LIKE ANY (%(patterns)s)
ORDER BY r.confidence DESC, r.allocation_key, r.item_key
LIMIT %(limit)s;
