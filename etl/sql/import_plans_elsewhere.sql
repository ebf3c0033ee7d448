-- Staged rows that another source already holds word for word (same text as written).
SELECT s.source_row, s.source, src.name AS other_source, i.source_row AS other_row
FROM stage_plan_items s
JOIN plan_items i ON i.as_written = s.as_written
                AND i.item_key IN (s.content_key, CASE WHEN s.has_ref THEN s.item_key END)
JOIN sources src ON src.id = i.source_id
WHERE s.content_key IS NOT NULL AND src.name <> s.source
ORDER BY s.source_row;
