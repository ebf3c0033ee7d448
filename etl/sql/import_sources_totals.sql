-- Each imported source's current rows and amount (retired rows not counted).
UPDATE sources src
SET rows = t.n, amount = t.amount
FROM (
    SELECT source_id, count(*) AS n, coalesce(sum(requested_amount), 0) AS amount
    FROM plan_items WHERE %(kind)s = 'plans' AND source_id IS NOT NULL GROUP BY source_id
    UNION ALL
    SELECT source_id, count(*), coalesce(sum(amount), 0)
    FROM allocations WHERE %(kind)s = 'budget' AND source_id IS NOT NULL GROUP BY source_id
) AS t
WHERE src.id = t.source_id AND src.kind = %(kind)s AND src.name IN (SELECT name FROM stage_sources);

-- Plans left with no item (every item moved to another plan or retired) are no plan at all.
DELETE FROM plans p
WHERE %(kind)s = 'plans' AND p.import_run_id IS NOT NULL AND NOT p.is_synthetic
  AND NOT EXISTS (SELECT 1 FROM plan_items i WHERE i.plan_id = p.id);
