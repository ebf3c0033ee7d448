-- The rows of the named plan sources that carry no reference of their own, with their text as
-- written: what the next version of each source is matched against (etl.versions).
SELECT src.name AS source, i.item_key, i.as_written
FROM plan_items i
JOIN sources src ON src.id = i.source_id
WHERE src.kind = 'plans' AND src.name = ANY(%(names)s) AND i.as_written IS NOT NULL AND NOT i.has_ref
ORDER BY src.name, i.source_row, i.id;
