-- The current version of the budget sources being imported, as it was before this import (for
-- the difference), and the rows the new version no longer has.
DROP TABLE IF EXISTS before_rows;
CREATE TEMP TABLE before_rows ON COMMIT DROP AS
SELECT a.id, a.source_id, a.source_key AS row_key, a.title, a.amount, a.area_code, a.fiscal_year, a.source_row
FROM allocations a
JOIN sources src ON src.id = a.source_id
WHERE src.kind = 'budget' AND src.name IN (SELECT name FROM stage_sources);

DROP TABLE IF EXISTS gone_rows;
CREATE TEMP TABLE gone_rows ON COMMIT DROP AS
SELECT b.id
FROM before_rows b
WHERE NOT EXISTS (SELECT 1 FROM stage_allocations s WHERE s.source_key = b.row_key);
