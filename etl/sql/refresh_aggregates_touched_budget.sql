-- What a budget load touched, read after its merge in the load's transaction from the load's
-- own temporary tables: upserted_rows (allocations inserted or changed), before_rows (the
-- allocations of the imported sources as they were) and gone_rows (allocations retired). One
-- row: the areas and fiscal years to refresh (etl.db.Touched), and whether they are complete.
--
-- Touched: every changed or retired allocation's area and year, before and after, and those of
-- the item it is linked to (the merge keeps links; a retired allocation's is in retired_rows).
-- Always complete.
WITH touched AS (
    SELECT a.area_code, a.fiscal_year
    FROM upserted_rows u JOIN allocations a ON a.id = u.id
  UNION
    SELECT b.area_code, b.fiscal_year
    FROM before_rows b
    WHERE b.id IN (SELECT id FROM upserted_rows) OR b.id IN (SELECT id FROM gone_rows)
  UNION
    SELECT i.area_code, i.fiscal_year
    FROM upserted_rows u JOIN allocations a ON a.id = u.id JOIN plan_items i ON i.id = a.plan_item_id
  UNION
    SELECT i.area_code, i.fiscal_year
    FROM retired_rows r
    JOIN plan_items i ON i.id = (r.data ->> 'plan_item_id')::bigint
    WHERE r.kind = 'budget' AND r.source_id IN (SELECT source_id FROM before_rows)
      AND (r.data ->> 'id')::bigint IN (SELECT id FROM gone_rows)
)
SELECT coalesce((SELECT array_agg(DISTINCT area_code) FROM touched), '{}') AS areas,
       coalesce((SELECT array_agg(DISTINCT fiscal_year::integer) FROM touched), '{}') AS years,
       true AS complete
