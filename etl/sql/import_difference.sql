-- What this import changes in its sources: new rows, changed rows (before and after), retired
-- rows. %(kind)s is 'plans' (plan_items) or 'budget' (allocations); read in the load's
-- transaction, so a dry run shows exactly what the load would do and then rolls it back.
WITH now_rows AS (
    SELECT i.id, i.source_id, i.item_key AS row_key, i.title, i.requested_amount AS amount, i.area_code,
           i.fiscal_year, i.source_row
    FROM plan_items i WHERE %(kind)s = 'plans' AND i.id IN (SELECT id FROM upserted_rows)
    UNION ALL
    SELECT a.id, a.source_id, a.source_key, a.title, a.amount, a.area_code, a.fiscal_year, a.source_row
    FROM allocations a WHERE %(kind)s = 'budget' AND a.id IN (SELECT id FROM upserted_rows)
)
SELECT CASE WHEN u.inserted THEN 'new' ELSE 'changed' END AS change, src.name AS source, n.row_key,
       n.title, b.title AS title_before, b.amount AS amount_before, n.amount AS amount_after,
       b.area_code AS area_before, n.area_code AS area_after, n.fiscal_year, n.source_row
FROM upserted_rows u
JOIN now_rows n ON n.id = u.id
JOIN sources src ON src.id = n.source_id
LEFT JOIN before_rows b ON b.id = u.id
UNION ALL
SELECT 'retired', src.name, r.row_key, r.title, r.title, r.amount, NULL, r.area_code, NULL, r.fiscal_year,
       (r.data ->> 'source_row')::integer
FROM retired_rows r
JOIN sources src ON src.id = r.source_id
WHERE r.retired_run_id = %(run_id)s
ORDER BY 1, 2, 11, 3;
