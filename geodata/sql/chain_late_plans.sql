-- The overdue plans of an area and fiscal year for the compliance table: the rows of
-- compliance_plans.sql (inserted below) whose status is late, most days late first, with
-- the number of such plans ("total") when the table shows only the first "limit".
SELECT c.*, count(*) OVER () AS total
FROM ({plans}) AS c
WHERE c.status = 'late'
ORDER BY c.days_late DESC, c.level, c.area_code, c.id
LIMIT %(limit)s;
